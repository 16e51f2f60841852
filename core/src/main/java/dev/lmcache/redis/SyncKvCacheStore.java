package dev.lmcache.redis;

import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The blocking view of a {@link KvCacheStore}: each method waits for the asynchronous
 * operation of the same name (bounded by the configured request timeout) and rethrows its
 * failure as a {@link KvCacheException}.
 */
public interface SyncKvCacheStore {
    boolean exists(ChunkKey key);

    Optional<KvChunk> get(ChunkKey key);

    void put(ChunkKey key, KvChunk chunk);

    void batchedPut(List<ChunkKey> keys, List<KvChunk> chunks);

    List<Optional<KvChunk>> batchedGet(List<ChunkKey> keys);

    int batchedContains(List<ChunkKey> keys);

    /** {@link KvCacheStore#lookup(PrefixQuery)}, waiting for the result. */
    PrefixMatch lookup(PrefixQuery query);

    List<KvChunk> batchedGetNonBlocking(List<ChunkKey> keys);

    boolean remove(ChunkKey key);

    List<ChunkKey> list(@Nullable String modelOrNull);

    long ping();

    /** The asynchronous store behind this view. */
    KvCacheStore async();
}
