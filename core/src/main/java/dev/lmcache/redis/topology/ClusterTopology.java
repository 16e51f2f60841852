package dev.lmcache.redis.topology;

import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.protocol.RedisCommand;
import io.netty.util.concurrent.FastThreadLocalThread;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Redis Cluster: each slot's master from Lettuce's partition table (refreshed periodically and
 * on MOVED/ASK), one pipelined connection per master. The engine writes a group per master, all
 * masters at once, so a batch costs one round trip however many slots it touches (Lettuce's own
 * MGET would split it per slot).
 */
final class ClusterTopology implements RedisTopology {
    private static final Logger log = LoggerFactory.getLogger(ClusterTopology.class);
    private static final long UNREACHABLE_REFRESH_INTERVAL_NANOS = 1_000_000_000L;

    private final RedisClusterClient client;
    private final StatefulRedisClusterConnection<byte[], ByteBuffer> router;
    private final Lane bulk;
    private final Lane lookups;
    private final AtomicBoolean refreshing = new AtomicBoolean();
    /** When the last refresh for an unreachable node started (nanoTime). */
    private final AtomicLong lastUnreachableRefresh =
            new AtomicLong(System.nanoTime() - UNREACHABLE_REFRESH_INTERVAL_NANOS);
    private final long maxValueBytes;

    /** The connections of one {@link RedisTopology.Lane}: its own router and a link per master. */
    private static final class Lane {
        final StatefulRedisClusterConnection<byte[], ByteBuffer> router;
        final Map<String, NodeLink> links = new ConcurrentHashMap<>();
        final Map<String, CompletableFuture<?>> connecting = new ConcurrentHashMap<>();

        Lane(StatefulRedisClusterConnection<byte[], ByteBuffer> router) {
            this.router = router;
            for (RedisClusterNode n : router.getPartitions()) {
                if (n.is(RedisClusterNode.NodeFlag.UPSTREAM)) {
                    links.put(n.getNodeId(), new NodeLink(name(n), router.getConnection(n.getNodeId())));
                }
            }
        }

        NodeLink linkFor(RedisClusterNode n) {
            NodeLink link = links.get(n.getNodeId());
            if (link == null) {
                connectLater(n);
            }
            return link;
        }

        private void connectLater(RedisClusterNode n) {
            String id = n.getNodeId();
            connecting.computeIfAbsent(id, k -> router.getConnectionAsync(k).whenComplete((c, e) -> {
                if (c != null) {
                    links.put(k, new NodeLink(name(n), c));
                } else {
                    log.debug("could not connect to cluster node {}: {}", name(n), e.toString());
                }
                connecting.remove(k);
            }));
        }
    }

    ClusterTopology(RedisClusterClient client, StatefulRedisClusterConnection<byte[], ByteBuffer> router,
                    StatefulRedisClusterConnection<byte[], ByteBuffer> lookupRouter) {
        this.client = client;
        this.router = router;
        this.bulk = new Lane(router);
        this.lookups = new Lane(lookupRouter);
        this.maxValueBytes = bulk.links.isEmpty() ? Topologies.DEFAULT_MAX_VALUE
                : Topologies.readMaxValueBytes(bulk.links.values().iterator().next());
    }

    private static String name(RedisClusterNode n) {
        return n.getUri().getHost() + ":" + n.getUri().getPort();
    }

    @Override
    public NodeLink linkFor(int slot, RedisTopology.Lane lane) {
        RedisClusterNode n = router.getPartitions().getPartitionBySlot(slot);
        if (n == null) {
            return null;
        }
        return (lane == RedisTopology.Lane.LOOKUP ? lookups : bulk).linkFor(n);
    }

    /**
     * Hands the commands to the router on Lettuce's computation pool when called on a Netty
     * thread: the router may wait for a connection to a node it has not connected to yet (after
     * ASK, MOVED or a topology change), and that connection is made by the event loops, so
     * waiting on one of them (a redirect is re-sent from the reply's completion, on the event
     * loop) could deadlock it for good.
     */
    @Override
    public void route(List<? extends RedisCommand<byte[], ByteBuffer, ?>> commands) {
        if (Thread.currentThread() instanceof FastThreadLocalThread) {
            client.getResources().eventExecutorGroup().execute(() -> dispatchOrFail(commands));
        } else {
            router.dispatch(commands);
        }
    }

    private void dispatchOrFail(List<? extends RedisCommand<byte[], ByteBuffer, ?>> commands) {
        try {
            router.dispatch(commands);
        } catch (RuntimeException e) {
            // nobody else would complete them: the caller has already returned
            commands.forEach(c -> c.completeExceptionally(e));
        }
    }

    @Override
    public void redirected() {
        if (refreshing.compareAndSet(false, true)) {
            client.refreshPartitionsAsync().whenComplete((v, e) -> refreshing.set(false));
        }
    }

    /**
     * Lettuce refreshes on its own only at some reconnect attempts, whose delays double, so after
     * a replica is promoted the slots would stay on the dead master for seconds or until the
     * periodic refresh; failed commands ask for a refresh instead, rate-limited because a dead
     * node fails every command sent to it.
     */
    @Override
    public void unreachable() {
        long now = System.nanoTime();
        long last = lastUnreachableRefresh.get();
        if (now - last >= UNREACHABLE_REFRESH_INTERVAL_NANOS && lastUnreachableRefresh.compareAndSet(last, now)) {
            log.debug("a cluster node did not answer; refreshing the topology");
            redirected();
        }
    }

    @Override
    public List<NodeLink> masters() {
        List<NodeLink> out = new ArrayList<>();
        for (RedisClusterNode n : router.getPartitions()) {
            if (n.is(RedisClusterNode.NodeFlag.UPSTREAM) && !n.getSlots().isEmpty()) {
                NodeLink link = bulk.links.get(n.getNodeId());
                if (link == null) {
                    StatefulRedisConnection<byte[], ByteBuffer> c = router.getConnection(n.getNodeId());
                    link = new NodeLink(name(n), c);
                    bulk.links.put(n.getNodeId(), link);
                }
                out.add(link);
            }
        }
        return out;
    }

    @Override
    public boolean isCluster() {
        return true;
    }

    @Override
    public long maxValueBytes() {
        return maxValueBytes;
    }

    @Override
    public void close() {
        router.close();
        lookups.router.close();
        client.shutdown();
    }
}
