package dev.lmcache.redis.bench.peers;

import dev.lmcache.redis.ChunkKey;
import java.nio.charset.StandardCharsets;

/**
 * One key of a workload, in the two forms the peers take: the store's {@link ChunkKey} and the
 * UTF-8 Redis key name the plain clients use. The name is the chunk key string, which is also
 * the Redis key the store's {@code single} layout writes, so every peer writes keys of the same
 * length (the {@code lmcache} layout adds its {@code metadata} / {@code kv_bytes} suffixes).
 *
 * @param chunk the store's key
 * @param name  {@code chunk.toString()} as UTF-8
 */
record BenchKey(ChunkKey chunk, byte[] name) {

    /** The key of chunk {@code index} in a peer's own namespace (its model name). */
    static BenchKey of(String namespace, long index) {
        ChunkKey k = ChunkKey.of(namespace, 1, 0, index, "bfloat16");
        return new BenchKey(k, k.toString().getBytes(StandardCharsets.UTF_8));
    }
}
