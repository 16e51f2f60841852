package dev.lmcache.redis.batch;

import dev.lmcache.redis.topology.NodeLink;
import dev.lmcache.redis.topology.RedisTopology;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.RedisCommand;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Step 5 of a batch: groups calls by the node that owns their slot (one group in standalone) and
 * writes every group at once, each with a single flush, all nodes concurrently. That is what
 * makes a batch one round trip. A call answered with MOVED/ASK is rebuilt and sent through the
 * cluster router, which follows the redirect, and a topology refresh is scheduled.
 */
final class Dispatcher {
    private final RedisTopology topology;

    Dispatcher(RedisTopology topology) {
        this.topology = topology;
    }

    boolean isCluster() {
        return topology.isCluster();
    }

    /** The link a key's slot maps to now (null if unknown): used to keep ordered pairs together. */
    NodeLink linkFor(int slot) {
        return topology.linkFor(slot);
    }

    void send(List<? extends Call<?>> calls) {
        Map<NodeLink, List<RedisCommand<byte[], ByteBuffer, ?>>> groups = new IdentityHashMap<>();
        List<RedisCommand<byte[], ByteBuffer, ?>> unrouted = null;
        for (Call<?> call : calls) {
            RedisCommand<byte[], ByteBuffer, ?> cmd = attempt(call);
            NodeLink link = topology.linkFor(call.slot);
            if (link == null) {
                if (unrouted == null) {
                    unrouted = new ArrayList<>();
                }
                unrouted.add(cmd);
            } else {
                groups.computeIfAbsent(link, l -> new ArrayList<>()).add(cmd);
            }
        }
        groups.forEach(NodeLink::dispatch);
        if (unrouted != null) {
            topology.route(unrouted);
        }
    }

    private <T> AsyncCommand<byte[], ByteBuffer, T> attempt(Call<T> call) {
        AsyncCommand<byte[], ByteBuffer, T> cmd = new AsyncCommand<>(call.factory.get());
        cmd.whenComplete((v, e) -> {
            if (e != null && topology.isCluster() && isRedirect(e)) {
                topology.redirected();
                AsyncCommand<byte[], ByteBuffer, T> retry = new AsyncCommand<>(call.factory.get());
                retry.whenComplete((v2, e2) -> complete(call, v2, e2));
                topology.route(List.of(retry));
            } else {
                if (e != null && topology.isCluster() && isNoAnswer(e)) {
                    topology.unreachable();
                }
                complete(call, v, e);
            }
        });
        return cmd;
    }

    private static <T> void complete(Call<T> call, T value, Throwable error) {
        if (error != null) {
            call.result.completeExceptionally(error);
        } else {
            call.result.complete(value);
        }
    }

    /** A failure that is not the node's error reply: it was not reached, or did not answer in time. */
    static boolean isNoAnswer(Throwable e) {
        return e instanceof RedisException && !(e instanceof RedisCommandExecutionException);
    }

    static boolean isRedirect(Throwable e) {
        String m = e instanceof RedisCommandExecutionException ? e.getMessage() : null;
        return m != null && (m.startsWith("MOVED") || m.startsWith("ASK"));
    }
}
