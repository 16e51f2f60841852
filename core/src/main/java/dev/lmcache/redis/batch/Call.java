package dev.lmcache.redis.batch;

import dev.lmcache.redis.key.ClusterSlots;
import io.lettuce.core.protocol.RedisCommand;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * One Redis command of a batch, for one key. The command is built by a factory so that it can
 * be built again (with a fresh output) when a cluster node answers MOVED or ASK.
 */
final class Call<T> {
    final byte[] key;
    final int slot;
    final Supplier<RedisCommand<byte[], ByteBuffer, T>> factory;
    final CompletableFuture<T> result = new CompletableFuture<>();
    /** The command of the latest attempt, cancelled if the call times out so that it is never sent late. */
    volatile CompletableFuture<?> attempt;

    Call(byte[] key, boolean cluster, Supplier<RedisCommand<byte[], ByteBuffer, T>> factory) {
        this.key = key;
        this.slot = cluster ? ClusterSlots.slot(key) : 0;
        this.factory = factory;
    }
}
