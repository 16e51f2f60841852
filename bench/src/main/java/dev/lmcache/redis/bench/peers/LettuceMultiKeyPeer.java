package dev.lmcache.redis.bench.peers;

import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.resource.ClientResources;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Plain Lettuce with one MSET (MGET) per batch on one shared connection (auto-flush on, the
 * default). On a cluster Lettuce's {@code mset}/{@code mget} split the keys by slot and send
 * one command per slot, all at once.
 */
final class LettuceMultiKeyPeer extends SharedConnectionPeer {

    LettuceMultiKeyPeer(Server server, ClientResources resources) {
        super("lettuce-mset", server, resources);
    }

    @Override
    public CompletableFuture<Void> batchedPut(int caller, List<BenchKey> keys, List<Payloads.Value> values) {
        Map<byte[], byte[]> map = new LinkedHashMap<>(keys.size() * 2);
        for (int i = 0; i < keys.size(); i++) {
            map.put(keys.get(i).name(), values.get(i).bytes());
        }
        return connection.async().mset(map).toCompletableFuture().thenApply(ok -> null);
    }

    @Override
    public CompletableFuture<List<ByteBuffer>> batchedGet(int caller, List<BenchKey> keys) {
        byte[][] names = new byte[keys.size()][];
        for (int i = 0; i < names.length; i++) {
            names[i] = keys.get(i).name();
        }
        return connection.async().mget(names).toCompletableFuture().thenApply(kvs -> {
            List<ByteBuffer> out = new ArrayList<>(kvs.size());
            for (KeyValue<byte[], byte[]> kv : kvs) {
                out.add(kv.hasValue() ? ByteBuffer.wrap(kv.getValue()) : null);
            }
            return out;
        });
    }
}
