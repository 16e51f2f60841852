package dev.lmcache.redis.bench.peers;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Jedis 8 as most applications use it: a pooled client, one blocking SET / GET per value (a
 * batch of N is N round trips). The peer for single-value calls.
 */
final class JedisPlainPeer extends JedisPeer {

    JedisPlainPeer(Server server) {
        super("jedis", server);
    }

    @Override
    public CompletableFuture<Void> batchedPut(int caller, List<BenchKey> keys, List<Payloads.Value> values) {
        try {
            for (int i = 0; i < keys.size(); i++) {
                link.client().set(keys.get(i).name(), values.get(i).bytes());
            }
            return CompletableFuture.completedFuture(null);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public CompletableFuture<List<ByteBuffer>> batchedGet(int caller, List<BenchKey> keys) {
        try {
            List<ByteBuffer> out = new ArrayList<>(keys.size());
            for (BenchKey k : keys) {
                byte[] b = link.client().get(k.name());
                out.add(b == null ? null : ByteBuffer.wrap(b));
            }
            return CompletableFuture.completedFuture(out);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
