package dev.lmcache.redis.bench.peers;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.resource.ClientResources;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Plain Lettuce as most applications use it: one shared connection with auto-flush on (each
 * command written and flushed as it is issued), async SET / GET per key, every caller
 * multiplexed on that connection. The peer for single-value calls.
 */
final class LettucePlainPeer extends SharedConnectionPeer {

    LettucePlainPeer(Server server, ClientResources resources) {
        super("lettuce", server, resources);
    }

    @Override
    public CompletableFuture<Void> batchedPut(int caller, List<BenchKey> keys, List<Payloads.Value> values) {
        if (keys.size() == 1) {
            return connection.async().set(keys.get(0).name(), values.get(0).bytes()).toCompletableFuture().thenApply(ok -> null);
        }
        List<RedisFuture<String>> replies = new ArrayList<>(keys.size());
        for (int i = 0; i < keys.size(); i++) {
            replies.add(connection.async().set(keys.get(i).name(), values.get(i).bytes()));
        }
        return LettuceLink.Connection.all(replies);
    }

    @Override
    public CompletableFuture<List<ByteBuffer>> batchedGet(int caller, List<BenchKey> keys) {
        if (keys.size() == 1) {
            return connection.async().get(keys.get(0).name()).toCompletableFuture()
                    .thenApply(b -> java.util.Collections.singletonList(b == null ? null : ByteBuffer.wrap(b)));
        }
        List<RedisFuture<byte[]>> replies = new ArrayList<>(keys.size());
        for (BenchKey k : keys) {
            replies.add(connection.async().get(k.name()));
        }
        return LettuceLink.Connection.all(replies).thenApply(v -> {
            List<ByteBuffer> out = new ArrayList<>(replies.size());
            for (RedisFuture<byte[]> r : replies) {
                byte[] b = r.toCompletableFuture().join();
                out.add(b == null ? null : ByteBuffer.wrap(b));
            }
            return out;
        });
    }
}
