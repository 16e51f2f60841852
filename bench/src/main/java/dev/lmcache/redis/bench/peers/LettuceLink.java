package dev.lmcache.redis.bench.peers;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A plain Lettuce client and connections from it, standalone or cluster alike: both expose
 * {@link RedisClusterAsyncCommands} and {@link StatefulConnection}, so the Lettuce peers are
 * written once. Keys and values are {@code byte[]} ({@link ByteArrayCodec}), Lettuce's default
 * settings otherwise.
 */
final class LettuceLink implements AutoCloseable {
    private final RedisClient standalone;
    private final RedisClusterClient cluster;
    private final Server server;

    LettuceLink(Server server, ClientResources resources) {
        this.server = server;
        if (server.isCluster()) {
            this.cluster = RedisClusterClient.create(resources, server.lettuceUris());
            this.standalone = null;
        } else {
            this.standalone = RedisClient.create(resources, server.lettuceUris().get(0));
            this.cluster = null;
        }
    }

    /** One connection and its async commands. */
    record Connection(StatefulConnection<byte[], byte[]> stateful, RedisClusterAsyncCommands<byte[], byte[]> async) {
        /** Waits for all the futures; the result completes exceptionally if any failed. */
        static CompletableFuture<Void> all(List<? extends RedisFuture<?>> futures) {
            return CompletableFuture.allOf(futures.stream().map(RedisFuture::toCompletableFuture).toArray(CompletableFuture[]::new));
        }

        void close() {
            stateful.close();
        }
    }

    /** Opens a connection; with {@code autoFlush} false, commands go out on {@code flushCommands()}. */
    Connection connect(boolean autoFlush) {
        Connection c;
        if (cluster != null) {
            StatefulRedisClusterConnection<byte[], byte[]> s = cluster.connect(ByteArrayCodec.INSTANCE);
            c = new Connection(s, s.async());
        } else {
            StatefulRedisConnection<byte[], byte[]> s = standalone.connect(ByteArrayCodec.INSTANCE);
            c = new Connection(s, s.async());
        }
        c.stateful().setAutoFlushCommands(autoFlush);
        return c;
    }

    boolean isCluster() {
        return server.isCluster();
    }

    @Override
    public void close() {
        if (cluster != null) {
            cluster.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        } else {
            standalone.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }
}
