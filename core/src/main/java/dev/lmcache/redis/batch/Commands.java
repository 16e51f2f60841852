package dev.lmcache.redis.batch;

import dev.lmcache.redis.codec.BulkDestination;
import dev.lmcache.redis.codec.BulkOutput;
import dev.lmcache.redis.codec.BulkReply;
import dev.lmcache.redis.codec.BytesCodec;
import dev.lmcache.redis.codec.LentSet;
import dev.lmcache.redis.codec.MultiBulkOutput;
import dev.lmcache.redis.codec.ValueLease;
import io.lettuce.core.output.IntegerOutput;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.RedisCommand;
import java.nio.ByteBuffer;

/** The few Redis commands the engine sends, built for {@link BytesCodec}. */
final class Commands {
    private static final BytesCodec CODEC = BytesCodec.INSTANCE;

    private Commands() {
    }

    /**
     * SET key value [EX ttl], the value lent to the socket without a copy when {@code lease} is
     * not null (see {@link ValueLease}).
     */
    static RedisCommand<byte[], ByteBuffer, String> set(byte[] key, ByteBuffer value, ValueLease lease,
                                                        long ttlSeconds) {
        return lease != null ? new LentSet(key, lease, ttlSeconds) : set(key, value, ttlSeconds);
    }

    /** SET key value [EX ttl]. */
    static RedisCommand<byte[], ByteBuffer, String> set(byte[] key, ByteBuffer value, long ttlSeconds) {
        CommandArgs<byte[], ByteBuffer> args = new CommandArgs<>(CODEC).addKey(key).addValue(value);
        if (ttlSeconds > 0) {
            args.add("EX").add(ttlSeconds);
        }
        return new Command<>(CommandType.SET, new StatusOutput<>(CODEC), args);
    }

    /** MSET key value [key value ...]: all set at one instant (it has no EX; values are copied). */
    static RedisCommand<byte[], ByteBuffer, String> mset(byte[][] keys, ByteBuffer[] values) {
        CommandArgs<byte[], ByteBuffer> args = new CommandArgs<>(CODEC);
        for (int i = 0; i < keys.length; i++) {
            args.addKey(keys[i]).addValue(values[i]);
        }
        return new Command<>(CommandType.MSET, new StatusOutput<>(CODEC), args);
    }

    /**
     * GET key (or GETEX key EX ttl to refresh the TTL of a hit), the value copied into the buffer
     * {@code destination} returns.
     */
    static RedisCommand<byte[], ByteBuffer, BulkReply> get(byte[] key, long refreshTtlSeconds,
                                                           BulkDestination destination) {
        CommandArgs<byte[], ByteBuffer> args = new CommandArgs<>(CODEC).addKey(key);
        CommandType type = CommandType.GET;
        if (refreshTtlSeconds > 0) {
            type = CommandType.GETEX;
            args.add("EX").add(refreshTtlSeconds);
        }
        return new Command<>(type, new BulkOutput(CODEC, destination), args);
    }

    /**
     * MGET key..., value {@code i} copied into the buffer {@code destinations[i]} returns (see
     * {@link MultiBulkOutput}); its reply is an array, so it is never sent inside a command group.
     */
    static RedisCommand<byte[], ByteBuffer, BulkReply[]> mget(byte[][] keys, BulkDestination[] destinations) {
        CommandArgs<byte[], ByteBuffer> args = new CommandArgs<>(CODEC);
        for (byte[] k : keys) {
            args.addKey(k);
        }
        return new Command<>(CommandType.MGET, new MultiBulkOutput(destinations), args);
    }

    static RedisCommand<byte[], ByteBuffer, Long> exists(byte[] key) {
        return integer(CommandType.EXISTS, key);
    }

    /** {@code TYPE key} answered with an integer (EXISTS, DEL). */
    static RedisCommand<byte[], ByteBuffer, Long> integer(CommandType type, byte[] key) {
        return new Command<>(type, new IntegerOutput<>(CODEC), new CommandArgs<>(CODEC).addKey(key));
    }

    static RedisCommand<byte[], ByteBuffer, Long> del(byte[] key) {
        return integer(CommandType.DEL, key);
    }
}
