package dev.lmcache.redis;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * A remote KV-cache chunk store over Redis, Redis Cluster or Valkey with LMCache's
 * remote-connector semantics, batched and pipelined. Thread-safe; one instance per process is
 * the intended use. Every method is asynchronous; {@link #sync()} gives the blocking view.
 *
 * <p>A batch of N chunks costs about one network round trip whatever N, standalone or cluster.
 * Operations are scheduled by priority (lookups before prefetches before reads before writes)
 * on a bounded number of concurrently executing jobs, and the bytes in flight are bounded by
 * {@code max_inflight_bytes}: callers beyond it wait instead of buffering without limit.
 *
 * <p>Futures fail with {@link KvCacheException} (or {@link BatchException} for partial batch
 * failure), never with a silent miss. A value in Redis that cannot be a valid chunk (corrupt
 * header, wrong size, wrong type, metadata whose data was evicted) is reported as a miss and a
 * warning is logged; wrong bytes are never returned. One exception to the warning: a batched read
 * of small values (all expected below 64 KiB, no TTL refresh) uses MGET, which answers a key of
 * another type with nil; a raw-layout value or a metadata key of another type is then a plain
 * miss, without a warning and not counted in {@link StoreStats#invalidValues()}.
 */
public interface KvCacheStore extends AutoCloseable {

    /** Opens a store for the given configuration; connects eagerly and fails fast. */
    static KvCacheStore open(StoreConfig config) {
        return open(config, BufferAllocator.HEAP);
    }

    /**
     * Opens a store whose reads land in buffers from {@code allocator} (for example pooled or
     * pinned memory); buffers the caller will not receive are handed back to
     * {@link BufferAllocator#release}.
     */
    static KvCacheStore open(StoreConfig config, BufferAllocator allocator) {
        return dev.lmcache.redis.batch.StoreFactory.open(config, allocator);
    }

    /** Opens a store for a URL with default settings ({@link StoreConfig#fromUrl(String)}). */
    static KvCacheStore open(String url) {
        return open(StoreConfig.fromUrl(url));
    }

    /** The configuration this store runs with (secrets redacted in its {@code toString}). */
    StoreConfig config();

    /** Completes with true if the chunk is readable (its metadata key exists). Priority PEEK. */
    CompletableFuture<Boolean> exists(ChunkKey key);

    /** Completes with the chunk, or empty on miss. Priority GET. */
    CompletableFuture<Optional<KvChunk>> get(ChunkKey key);

    /** Completes when the chunk is stored; fails naming the key otherwise. Priority PUT. */
    CompletableFuture<Void> put(ChunkKey key, KvChunk chunk);

    /**
     * Stores all chunks ({@code keys.get(i)} gets {@code chunks.get(i)}). Completes when all are
     * stored; otherwise fails with a {@link BatchException} listing the failed positions (the
     * others are stored). Priority PUT.
     *
     * @throws IllegalArgumentException (through the future) if the lists differ in length, contain
     *     null, or a chunk is larger than the server accepts
     */
    CompletableFuture<Void> batchedPut(List<ChunkKey> keys, List<KvChunk> chunks);

    /**
     * Reads all chunks: a list aligned with {@code keys}, empty per miss. Priority GET.
     * Fails with {@link BatchException} if some reads failed (not merely missed).
     */
    CompletableFuture<List<Optional<KvChunk>>> batchedGet(List<ChunkKey> keys);

    /**
     * The prefix hit count: the number of consecutive keys present from the first. {@code [hit,
     * miss, hit]} gives 1. Priority PEEK.
     */
    CompletableFuture<Integer> batchedContains(List<ChunkKey> keys);

    /**
     * The consecutive prefix of chunks up to the first miss or failure. Chunks read past the
     * prefix are dropped and their buffers released to the allocator. A miss or a failed read
     * (timeout, refused, server error) ends the prefix, as in LMCache, and a failure is logged as a
     * warning naming the key; the future itself fails only for invalid arguments or a closed store.
     * Priority PREFETCH.
     */
    CompletableFuture<List<KvChunk>> batchedGetNonBlocking(List<ChunkKey> keys);

    /**
     * How many leading tokens of a prompt are stored: the prompt is hashed as the query's
     * {@link TokenHasher} says, every chunk named once per rank in this store's key layout (with
     * its key prefix and MP object group), and all the names are looked up at once: one round
     * trip, to every node concurrently in a cluster. A chunk counts only if all its ranks' keys are
     * present; a miss ends the prefix (LMCache's rule). A store without any of the keys gives
     * {@code 0} matched tokens, not an error. Priority PEEK.
     *
     * @throws IllegalArgumentException (through the future) if the query's hashing profile does not
     *     fit this store's key layout ({@link PrefixQuery#forLayout(KeyLayout)})
     */
    default CompletableFuture<PrefixMatch> lookup(PrefixQuery query) {
        List<List<ChunkKey>> perChunk;
        try {
            perChunk = java.util.Objects.requireNonNull(query, "query").forLayout(config().keyLayout());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        List<ChunkKey> flat = new java.util.ArrayList<>(perChunk.size() * query.worldSize());
        perChunk.forEach(flat::addAll);
        return batchedContains(flat).thenApply(present -> {
            int chunks = present / query.worldSize();
            int tokens = chunks == 0 ? 0 : query.hashes().get(chunks - 1).end();
            return new PrefixMatch(tokens, chunks, query.hashes(), perChunk.subList(0, chunks), flat.size());
        });
    }

    /** Deletes the chunk's keys; completes with true if anything was deleted. Priority PUT. */
    CompletableFuture<Boolean> remove(ChunkKey key);

    /**
     * Lists stored chunk keys with SCAN on every master (never KEYS), optionally only those of
     * one model ({@code null} for all). Keys that do not parse as chunk keys are skipped.
     */
    CompletableFuture<List<ChunkKey>> list(@Nullable String modelOrNull);

    /** Round-trips a PING to every master; completes with the slowest round trip in nanos. */
    CompletableFuture<Long> ping();

    /** Counters and latency histograms since start. */
    StoreStats stats();

    /** The blocking view of this store. */
    SyncKvCacheStore sync();

    /**
     * The raw-object view of this store: values under names used verbatim, through this store's
     * scheduler, byte budget, connections and allocator (see {@link RawObjects}). Closing the store
     * closes the view.
     */
    RawObjects objects();

    /**
     * Drains queued and in-flight work, then closes connections. Idempotent. Operations submitted
     * after close fail with {@link KvCacheException}.
     */
    @Override
    void close();
}
