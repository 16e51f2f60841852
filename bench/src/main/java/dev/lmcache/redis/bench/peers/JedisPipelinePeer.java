package dev.lmcache.redis.bench.peers;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;

/**
 * Jedis 8 pipelined: one SET (GET) per key on a {@code Pipeline} (standalone) or
 * {@code ClusterPipeline} (cluster, one pooled connection per node involved), then
 * {@code sync()}. Blocking: the call runs on the caller's thread.
 */
final class JedisPipelinePeer extends JedisPeer {

    JedisPipelinePeer(Server server) {
        super("jedis-pipeline", server);
    }

    @Override
    public CompletableFuture<Void> batchedPut(int caller, List<BenchKey> keys, List<Payloads.Value> values) {
        try (AbstractPipeline p = link.pipelined()) {
            List<Response<String>> replies = new ArrayList<>(keys.size());
            for (int i = 0; i < keys.size(); i++) {
                replies.add(p.set(keys.get(i).name(), values.get(i).bytes()));
            }
            p.sync();
            for (Response<String> r : replies) {
                r.get(); // throws the command's error, if any
            }
            return CompletableFuture.completedFuture(null);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public CompletableFuture<List<ByteBuffer>> batchedGet(int caller, List<BenchKey> keys) {
        try (AbstractPipeline p = link.pipelined()) {
            List<Response<byte[]>> replies = new ArrayList<>(keys.size());
            for (BenchKey k : keys) {
                replies.add(p.get(k.name()));
            }
            p.sync();
            List<ByteBuffer> out = new ArrayList<>(replies.size());
            for (Response<byte[]> r : replies) {
                byte[] b = r.get();
                out.add(b == null ? null : ByteBuffer.wrap(b));
            }
            return CompletableFuture.completedFuture(out);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
