package dev.lmcache.redis.bench.peers;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Jedis 8 with one MSET (MGET) per batch, standalone only: on a cluster Jedis accepts a
 * multi-key command only when every key hashes to one slot, which random keys do not.
 */
final class JedisMultiKeyPeer extends JedisPeer {

    /** @throws IllegalArgumentException for a cluster (MSET across slots is refused by the server) */
    JedisMultiKeyPeer(Server server) {
        super("jedis-mset", standaloneOnly(server));
    }

    private static Server standaloneOnly(Server server) {
        if (server.isCluster()) {
            throw new IllegalArgumentException("jedis-mset runs on a standalone server only (MSET/MGET must stay within one slot on a cluster)");
        }
        return server;
    }

    @Override
    public CompletableFuture<Void> batchedPut(int caller, List<BenchKey> keys, List<Payloads.Value> values) {
        byte[][] keysAndValues = new byte[keys.size() * 2][];
        for (int i = 0; i < keys.size(); i++) {
            keysAndValues[2 * i] = keys.get(i).name();
            keysAndValues[2 * i + 1] = values.get(i).bytes();
        }
        try {
            link.client().mset(keysAndValues);
            return CompletableFuture.completedFuture(null);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public CompletableFuture<List<ByteBuffer>> batchedGet(int caller, List<BenchKey> keys) {
        byte[][] names = new byte[keys.size()][];
        for (int i = 0; i < names.length; i++) {
            names[i] = keys.get(i).name();
        }
        try {
            List<byte[]> values = link.client().mget(names);
            List<ByteBuffer> out = new ArrayList<>(values.size());
            for (byte[] b : values) {
                out.add(b == null ? null : ByteBuffer.wrap(b));
            }
            return CompletableFuture.completedFuture(out);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
