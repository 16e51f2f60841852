package dev.lmcache.redis.topology;

import io.lettuce.core.protocol.RedisCommand;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Where commands go. Standalone and sentinel have one node; a cluster maps each hash slot to its
 * master. The batching engine is the same for all: it groups commands by {@link #linkFor} and
 * dispatches each group at once.
 */
public interface RedisTopology extends AutoCloseable {

    /**
     * The link to the node serving {@code slot}, or null if that node has no open link yet (the
     * caller then uses {@link #route}).
     */
    NodeLink linkFor(int slot, Lane lane);

    /** The bulk-lane link for {@code slot}: see {@link #linkFor(int, Lane)}. */
    default NodeLink linkFor(int slot) {
        return linkFor(slot, Lane.BULK);
    }

    /**
     * Which connection to a node a command travels on. A connection delivers replies in order, so
     * a lookup queued behind megabytes of chunk data waits for all of it; lookups (EXISTS, the
     * PEEK priority) therefore get connections of their own.
     */
    enum Lane {
        /** Chunk reads and writes, deletes. */
        BULK,
        /** Presence checks: small and latency-critical. */
        LOOKUP
    }

    /** Sends commands through the cluster router, which follows MOVED/ASK redirects itself. */
    void route(List<? extends RedisCommand<byte[], ByteBuffer, ?>> commands);

    /** Called when a node answered MOVED (the slot has a new owner): schedules a topology refresh. */
    void redirected();

    /**
     * Called when a command failed without an answer from its node (disconnected, rejected while
     * reconnecting, timed out): in a cluster the node may have been replaced by its replica, so a
     * topology refresh is scheduled, at most about once a second.
     */
    default void unreachable() {
    }

    /** Every master currently known (for SCAN and PING). */
    List<NodeLink> masters();

    boolean isCluster();

    /** The largest value the server accepts (proto-max-bulk-len), 512 MiB if it cannot be read. */
    long maxValueBytes();

    @Override
    void close();
}
