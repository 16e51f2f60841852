package dev.lmcache.redis;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Opaque values under names used verbatim: one Redis key per object, its value the raw bytes, no
 * header (the {@code single} and {@code mp} layouts as LMCache's RESP and Valkey clients write
 * them). For callers that receive names rather than {@link ChunkKey}s, such as a server speaking
 * LMCache's RESP protocol, so that they share one cache with LMCache processes talking to Redis
 * directly. Obtained from {@link KvCacheStore#objects()}; thread-safe.
 *
 * <p>Each call is one job of the store: it is scheduled by priority with the store's other work,
 * its bytes are charged to the store's in-flight budget, and its commands go out as one pipelined
 * burst per node, all nodes concurrently, routed by slot in a cluster (MOVED and ASK are followed,
 * never reported). Names are used exactly as given: the store's key layout and key prefix do not
 * apply.
 *
 * <p>Every method returns one future per name, in the order of the names. A future fails with
 * {@link KvCacheException} when that name's command failed (timeout, unreachable node, error
 * reply) or the store is closed; a missing value is not a failure. Invalid arguments (null lists
 * or elements, lists of different lengths, a value larger than the server accepts) throw
 * {@link IllegalArgumentException} before anything is sent.
 */
public interface RawObjects {

    /** {@code expectedSize} for {@link #get} that accepts a value of any size. */
    int ANY_SIZE = -1;

    /**
     * Reads the values. A future completes with the value (a buffer from the store's
     * {@link BufferAllocator}, asked with a {@code null} key, holding exactly the value's bytes
     * between position and limit; the caller owns it), or empty if the name is absent, holds a
     * non-string value, or, when {@code expectedSize} is not {@link #ANY_SIZE}, holds a value of
     * another size (logged as a warning, never copied). Priority GET.
     *
     * @param expectedSize the only size accepted, or {@link #ANY_SIZE}
     */
    List<CompletableFuture<Optional<ByteBuffer>>> get(List<byte[]> names, int expectedSize);

    /**
     * Stores {@code values.get(i)} under {@code names.get(i)} with the store's TTL (none if
     * {@code ttl_seconds} is 0). A future completes once Redis acknowledged that write. The bytes
     * between each buffer's position and limit are read until that name's future completes (large
     * direct buffers are written to the socket without a copy), and the buffers' positions and
     * limits are never changed. Priority PUT.
     */
    List<CompletableFuture<Void>> put(List<byte[]> names, List<ByteBuffer> values);

    /**
     * {@link #put(List, List)} with an explicit expiry instead of the store's TTL: {@code SET ... EX
     * ttlSeconds} when it is positive, no expiry when it is 0.
     *
     * @throws IllegalArgumentException also if {@code ttlSeconds} is negative
     */
    List<CompletableFuture<Void>> put(List<byte[]> names, List<ByteBuffer> values, long ttlSeconds);

    /** Whether each name exists (whatever its value). Priority PEEK, on the lookup connections. */
    List<CompletableFuture<Boolean>> exists(List<byte[]> names);

    /** Deletes the names; each future completes with true if that name existed. Priority PUT. */
    List<CompletableFuture<Boolean>> delete(List<byte[]> names);
}
