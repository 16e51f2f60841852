package dev.lmcache.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.SslOptions;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Plain Lettuce access to the same server, bypassing the store: to plant corrupt values and to
 * check the exact bytes the store wrote.
 */
public final class RawRedis implements AutoCloseable {
    private final AutoCloseable client;
    private final RedisClusterCommands<byte[], byte[]> commands;

    private RawRedis(AutoCloseable client, RedisClusterCommands<byte[], byte[]> commands) {
        this.client = client;
        this.commands = commands;
    }

    /** Opens {@code redis://...} or {@code redis-cluster://h:p,h:p}. */
    public static RawRedis open(String url) {
        if (url.startsWith("redis-cluster://")) {
            List<RedisURI> uris = new ArrayList<>();
            for (String hp : url.substring("redis-cluster://".length()).split(",")) {
                uris.add(RedisURI.create("redis://" + hp));
            }
            RedisClusterClient c = RedisClusterClient.create(uris);
            return new RawRedis(c::shutdown, c.connect(ByteArrayCodec.INSTANCE).sync());
        }
        RedisClient c = RedisClient.create(url);
        return new RawRedis(c::shutdown, c.connect(ByteArrayCodec.INSTANCE).sync());
    }

    /** Opens a standalone {@code rediss://...} server whose certificate {@code caCert} (PEM) signed. */
    public static RawRedis openTls(String url, Path caCert) {
        RedisClient c = RedisClient.create(url);
        c.setOptions(ClientOptions.builder().sslOptions(SslOptions.builder().trustManager(caCert.toFile()).build()).build());
        return new RawRedis(c::shutdown, c.connect(ByteArrayCodec.INSTANCE).sync());
    }

    public RedisClusterCommands<byte[], byte[]> cmd() {
        return commands;
    }

    public byte[] get(String key) {
        return commands.get(b(key));
    }

    public void set(String key, byte[] value) {
        commands.set(b(key), value);
    }

    public boolean exists(String key) {
        return commands.exists(b(key)) > 0;
    }

    public void del(String key) {
        commands.del(b(key));
    }

    public long ttl(String key) {
        return commands.ttl(b(key));
    }

    public static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        try {
            client.close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
