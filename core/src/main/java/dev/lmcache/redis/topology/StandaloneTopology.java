package dev.lmcache.redis.topology;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.protocol.RedisCommand;
import java.nio.ByteBuffer;
import java.util.List;

/** One node: standalone, unix socket, or the master a sentinel names (Lettuce follows failover). */
final class StandaloneTopology implements RedisTopology {
    private final RedisClient client;
    private final NodeLink link;
    private final NodeLink lookupLink;
    private final long maxValueBytes;

    StandaloneTopology(RedisClient client, StatefulRedisConnection<byte[], ByteBuffer> connection,
                       StatefulRedisConnection<byte[], ByteBuffer> lookupConnection, String name) {
        this.client = client;
        this.link = new NodeLink(name, connection);
        this.lookupLink = new NodeLink(name, lookupConnection);
        this.maxValueBytes = Topologies.readMaxValueBytes(link);
    }

    @Override
    public NodeLink linkFor(int slot, Lane lane) {
        return lane == Lane.LOOKUP ? lookupLink : link;
    }

    @Override
    public void route(List<? extends RedisCommand<byte[], ByteBuffer, ?>> commands) {
        link.dispatch(commands);
    }

    @Override
    public void redirected() {
        // no redirects without a cluster
    }

    @Override
    public List<NodeLink> masters() {
        return List.of(link);
    }

    @Override
    public boolean isCluster() {
        return false;
    }

    @Override
    public long maxValueBytes() {
        return maxValueBytes;
    }

    @Override
    public void close() {
        client.shutdown();
    }
}
