package dev.lmcache.redis.topology;

import dev.lmcache.redis.KvCacheException;
import dev.lmcache.redis.StoreConfig;
import dev.lmcache.redis.codec.BytesCodec;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.resource.ClientResources;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Opens the {@link RedisTopology} a configuration asks for. */
public final class Topologies {
    private static final Logger log = LoggerFactory.getLogger(Topologies.class);
    static final long DEFAULT_MAX_VALUE = 512L * 1024 * 1024;

    private Topologies() {
    }

    /**
     * Connects eagerly. Fails with {@link KvCacheException} naming the (redacted) URL and the
     * cause when the server is unreachable, refuses the credentials or the TLS handshake.
     */
    public static RedisTopology open(StoreConfig config) {
        if (LettuceSettings.verifyDisabled(config)) {
            log.warn("tls_verify=none: the server certificate is NOT verified (explicitly configured)");
        }
        List<RedisURI> uris = LettuceSettings.uris(config);
        ClientResources resources = SharedResources.acquire();
        try {
            switch (config.mode()) {
                case CLUSTER -> {
                    RedisClusterClient client = RedisClusterClient.create(resources, uris);
                    client.setOptions(LettuceSettings.clusterOptions(config));
                    try {
                        StatefulRedisClusterConnection<byte[], ByteBuffer> c = client.connect(BytesCodec.INSTANCE);
                        StatefulRedisClusterConnection<byte[], ByteBuffer> lookups = client.connect(BytesCodec.INSTANCE);
                        return new Releasing(new ClusterTopology(client, c, lookups));
                    } catch (RuntimeException e) {
                        client.shutdown();
                        throw e;
                    }
                }
                default -> {
                    RedisClient client = RedisClient.create(resources);
                    client.setOptions(LettuceSettings.clientOptions(config));
                    try {
                        StatefulRedisConnection<byte[], ByteBuffer> c = client.connect(BytesCodec.INSTANCE, uris.get(0));
                        StatefulRedisConnection<byte[], ByteBuffer> lookups = client.connect(BytesCodec.INSTANCE, uris.get(0));
                        return new Releasing(new StandaloneTopology(client, c, lookups, config.redactedUrl()));
                    } catch (RuntimeException e) {
                        client.shutdown();
                        throw e;
                    }
                }
            }
        } catch (RuntimeException e) {
            SharedResources.release();
            throw new KvCacheException("cannot connect to " + config.redactedUrl() + ": " + describe(e), e);
        }
    }

    /** The root cause's message, which for Lettuce names the actual problem (auth, TLS, refused). */
    static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String top = e instanceof RedisConnectionException ? e.getMessage() : e.toString();
        return root == e ? top : top + " (cause: " + root + ")";
    }

    static long readMaxValueBytes(NodeLink link) {
        try {
            Map<String, String> r = link.async().configGet("proto-max-bulk-len").get(5, TimeUnit.SECONDS);
            String v = r.get("proto-max-bulk-len");
            if (v != null) {
                return Long.parseLong(v.trim());
            }
        } catch (Exception e) {
            log.debug("CONFIG GET proto-max-bulk-len not available ({}); assuming 512 MiB", e.toString());
        }
        return DEFAULT_MAX_VALUE;
    }

    /** Releases the shared client resources when the topology closes. */
    private record Releasing(RedisTopology delegate) implements RedisTopology {
        @Override
        public NodeLink linkFor(int slot, Lane lane) {
            return delegate.linkFor(slot, lane);
        }

        @Override
        public void route(List<? extends io.lettuce.core.protocol.RedisCommand<byte[], ByteBuffer, ?>> commands) {
            delegate.route(commands);
        }

        @Override
        public void redirected() {
            delegate.redirected();
        }

        @Override
        public void unreachable() {
            delegate.unreachable();
        }

        @Override
        public List<NodeLink> masters() {
            return delegate.masters();
        }

        @Override
        public boolean isCluster() {
            return delegate.isCluster();
        }

        @Override
        public long maxValueBytes() {
            return delegate.maxValueBytes();
        }

        @Override
        public void close() {
            try {
                delegate.close();
            } finally {
                SharedResources.release();
            }
        }
    }
}
