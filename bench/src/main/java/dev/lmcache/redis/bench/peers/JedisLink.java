package dev.lmcache.redis.bench.peers;

import dev.lmcache.redis.HostAndPort;
import dev.lmcache.redis.StoreConfig;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.UnifiedJedis;

/**
 * A Jedis 8 client (its {@code RedisClient} or {@code RedisClusterClient}, each a pool of
 * blocking connections) with room for {@code callers} connections per node, so that every
 * caller thread holds one while it waits for its replies.
 *
 * <p>A cluster pipeline reads the replies of the nodes in parallel on an executor; without one
 * Jedis makes a new thread pool for every {@code sync()}, so one shared executor is passed
 * (the faster way to use it).
 */
final class JedisLink implements AutoCloseable {
    /** Like Lettuce's default command timeout, so neither client gives up on a 512 MiB batch before the other. */
    private static final int SOCKET_TIMEOUT_MS = 60_000;

    private final UnifiedJedis client;
    private final ExecutorService syncWorkers;
    private final int poolSize;

    JedisLink(Server server, int callers) {
        StoreConfig config = server.config();
        DefaultJedisClientConfig.Builder cb = DefaultJedisClientConfig.builder()
                .socketTimeoutMillis(SOCKET_TIMEOUT_MS).ssl(config.tls());
        config.username().ifPresent(cb::user);
        config.password().ifPresent(p -> cb.password(new String(p)));
        if (!server.isCluster()) {
            cb.database(config.database());
        }
        JedisClientConfig clientConfig = cb.build();
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        this.poolSize = Math.max(8, callers);
        pool.setMaxTotal(poolSize);
        pool.setMaxIdle(poolSize);
        if (server.isCluster()) {
            Set<redis.clients.jedis.HostAndPort> nodes = new LinkedHashSet<>();
            for (HostAndPort hp : config.endpoints()) {
                nodes.add(new redis.clients.jedis.HostAndPort(hp.host(), hp.port()));
            }
            this.client = RedisClusterClient.builder().nodes(nodes).clientConfig(clientConfig).poolConfig(pool).build();
            this.syncWorkers = Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "jedis-cluster-sync");
                t.setDaemon(true);
                return t;
            });
        } else {
            HostAndPort hp = config.endpoints().get(0);
            this.client = RedisClient.builder().hostAndPort(hp.host(), hp.port()).clientConfig(clientConfig).poolConfig(pool).build();
            this.syncWorkers = null;
        }
    }

    /** The connections per node this link was made for. */
    int poolSize() {
        return poolSize;
    }

    UnifiedJedis client() {
        return client;
    }

    /** A pipeline ({@code Pipeline} standalone, {@code ClusterPipeline} on a cluster); close it after {@code sync()}. */
    AbstractPipeline pipelined() {
        return client instanceof RedisClusterClient c ? c.pipelined(syncWorkers) : client.pipelined();
    }

    @Override
    public void close() {
        client.close();
        if (syncWorkers != null) {
            syncWorkers.shutdownNow();
        }
    }
}
