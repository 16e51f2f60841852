package dev.lmcache.redis.cli.target;

import dev.lmcache.redis.KvCacheException;
import dev.lmcache.redis.StoreConfig;
import dev.lmcache.redis.cli.text.Failures;
import dev.lmcache.redis.topology.LettuceSettings;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.protocol.ProtocolVersion;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Plain Lettuce connections to the servers of a {@link StoreConfig}, for what the store API does
 * not offer: SCAN, TTL and STRLEN of every key ({@code inspect}) and administrative commands
 * ({@code acl --apply}). Built from the configuration's public settings (endpoints, socket,
 * database, credentials, TLS) the same way the store connects. Byte-array keys, so that names
 * that are not UTF-8 survive a round trip.
 */
public final class RedisNodes implements AutoCloseable {

    /**
     * One server.
     *
     * @param name       host:port (or the socket path) for messages
     * @param master     whether it serves writes (a cluster master, or the standalone / sentinel master)
     * @param connection a connection to it alone
     */
    public record Node(String name, boolean master, StatefulRedisConnection<byte[], byte[]> connection) {
    }

    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(2);

    private final RedisClient client;
    private final RedisClusterClient clusterClient;
    private final StatefulRedisConnection<byte[], byte[]> single;
    private final StatefulRedisClusterConnection<byte[], byte[]> cluster;
    private final List<Node> nodes;

    private RedisNodes(RedisClient client, StatefulRedisConnection<byte[], byte[]> single, String name) {
        this.client = client;
        this.clusterClient = null;
        this.single = single;
        this.cluster = null;
        this.nodes = List.of(new Node(name, true, single));
    }

    private RedisNodes(RedisClusterClient clusterClient, StatefulRedisClusterConnection<byte[], byte[]> cluster) {
        this.client = null;
        this.clusterClient = clusterClient;
        this.single = null;
        this.cluster = cluster;
        List<Node> list = new ArrayList<>();
        for (RedisClusterNode n : cluster.getPartitions()) {
            boolean master = n.is(RedisClusterNode.NodeFlag.UPSTREAM);
            if (!master && !n.is(RedisClusterNode.NodeFlag.REPLICA) || n.is(RedisClusterNode.NodeFlag.FAIL)) {
                continue;
            }
            RedisURI uri = n.getUri();
            list.add(new Node(uri.getHost() + ":" + uri.getPort(), master, cluster.getConnection(n.getNodeId())));
        }
        this.nodes = List.copyOf(list);
    }

    /**
     * Connects to every server of {@code config}: the one server (standalone, or the master a
     * sentinel names), or every node of a cluster.
     *
     * @throws KvCacheException naming the redacted URL and the cause when a server cannot be reached
     */
    public static RedisNodes connect(StoreConfig config) {
        try {
            switch (config.mode()) {
                case CLUSTER -> {
                    RedisClusterClient c = RedisClusterClient.create(LettuceSettings.uris(config));
                    c.setOptions(fill(ClusterClientOptions.builder(), config).validateClusterNodeMembership(false)
                            .build());
                    try {
                        return new RedisNodes(c, c.connect(ByteArrayCodec.INSTANCE));
                    } catch (RuntimeException e) {
                        c.shutdown(Duration.ZERO, SHUTDOWN_TIMEOUT);
                        throw e;
                    }
                }
                default -> {
                    RedisURI uri = LettuceSettings.uris(config).get(0);
                    RedisClient c = RedisClient.create();
                    c.setOptions(fill(ClientOptions.builder(), config).build());
                    try {
                        return new RedisNodes(c, c.connect(ByteArrayCodec.INSTANCE, uri), name(config));
                    } catch (RuntimeException e) {
                        c.shutdown(Duration.ZERO, SHUTDOWN_TIMEOUT);
                        throw e;
                    }
                }
            }
        } catch (RuntimeException e) {
            throw new KvCacheException("cannot connect to " + config.redactedUrl() + ": " + Failures.message(e), e);
        }
    }

    /** The servers that take writes; SCAN on each of them covers the whole key space once. */
    public List<Node> masters() {
        return nodes.stream().filter(Node::master).toList();
    }

    /** Every reachable server: the masters and, in a cluster, their replicas. */
    public List<Node> all() {
        return nodes;
    }

    /** Synchronous commands routed by key (to the slot's master in a cluster). */
    public RedisClusterCommands<byte[], byte[]> routed() {
        return cluster != null ? cluster.sync() : single.sync();
    }

    /** Closes the connections and shuts the clients down. */
    @Override
    public void close() {
        try {
            if (cluster != null) {
                cluster.close();
            }
            if (single != null) {
                single.close();
            }
        } finally {
            if (clusterClient != null) {
                clusterClient.shutdown(Duration.ZERO, SHUTDOWN_TIMEOUT);
            }
            if (client != null) {
                client.shutdown(Duration.ZERO, SHUTDOWN_TIMEOUT);
            }
        }
    }

    private static String name(StoreConfig c) {
        return switch (c.mode()) {
            case SENTINEL -> "master " + c.sentinelMasterName();
            default -> c.unixSocket().map(Object::toString).orElseGet(() -> c.endpoints().get(0).toString());
        };
    }

    private static <B extends ClientOptions.Builder> B fill(B b, StoreConfig c) {
        // RESP2 as the store speaks it: no HELLO, which older servers and restricted ACL users may refuse.
        b.protocolVersion(ProtocolVersion.RESP2)
                .timeoutOptions(TimeoutOptions.enabled(c.requestTimeout()))
                .socketOptions(SocketOptions.builder().connectTimeout(c.connectTimeout()).build());
        if (c.tls()) {
            b.sslOptions(LettuceSettings.sslOptions(c));
        }
        return b;
    }
}
