package dev.lmcache.redis.bench.peers;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One client under test, seen the same way by every workload: a batched write and a batched
 * read of N values under given keys. Each implementation uses its client the way that client
 * is meant to be used for a batch (an async pipeline, a blocking pipeline, MSET/MGET, or the
 * store's batched calls).
 *
 * <p>Calls from different callers may run at once; a caller index in {@code 0..callers-1} (see
 * {@link #prepare}) never has two calls in flight, so a peer may give each caller its own
 * connection. A {@linkplain #blocking() blocking} peer runs the call on the caller's thread and
 * returns a completed future; the workloads then give every caller its own thread.
 */
interface Peer extends AutoCloseable {

    /** The name in tables and JSON, e.g. {@code jedis-pipeline}. */
    String name();

    /** True for the store's peers (the rows compared against the best of the others). */
    default boolean isStore() {
        return false;
    }

    /**
     * True for the server's ceiling ({@link RawSocketPeer}): a minimal reader that shows what the
     * server can send, reported beside the store and never counted as the best peer.
     */
    default boolean isCeiling() {
        return false;
    }

    /** True if calls block the calling thread (Jedis); false if they return at once (the store, Lettuce). */
    boolean blocking();

    /** Opens what {@code callers} concurrent callers need (connections); called before each workload phase. */
    void prepare(int callers);

    /**
     * Writes {@code values.get(i)} under {@code keys.get(i)}; the future completes when every
     * value is stored and fails if any write failed. The peer must not change or keep the
     * values after the future completes.
     */
    CompletableFuture<Void> batchedPut(int caller, List<BenchKey> keys, List<Payloads.Value> values);

    /**
     * Reads the values of {@code keys}, in key order, {@code null} for a missing key. The
     * caller hands the list back with {@link #release} once it has checked the bytes.
     */
    CompletableFuture<List<ByteBuffer>> batchedGet(int caller, List<BenchKey> keys);

    /** Takes back buffers returned by {@link #batchedGet} (the store reuses them). Default: nothing. */
    default void release(List<ByteBuffer> values) {
    }

    /** Deletes the keys (not timed; cleans up after a workload). */
    void delete(List<BenchKey> keys);

    /** Closes the client's connections. */
    @Override
    void close();
}
