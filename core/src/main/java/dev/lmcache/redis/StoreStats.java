package dev.lmcache.redis;

/**
 * Counters and latency histograms of a store since it was opened. Values are read live (cheap,
 * lock-free for counters); a snapshot is not atomic across fields.
 */
public interface StoreStats {

    /** The operations measured, one per {@link KvCacheStore} method. */
    enum Operation {
        EXISTS, GET, PUT, BATCHED_PUT, BATCHED_GET, BATCHED_CONTAINS, BATCHED_GET_NON_BLOCKING, REMOVE, LIST, PING
    }

    /**
     * Calls of one operation: how many, how many failed, how many chunks they carried, and the
     * latency distribution (from submission, including queueing) in microseconds.
     */
    record OperationStats(long calls, long errors, long chunks, double meanMicros, double p50Micros,
                          double p95Micros, double p99Micros, double maxMicros) {
    }

    OperationStats operation(Operation op);

    /** Payload bytes (KV data, not headers) written to Redis. */
    long bytesWritten();

    /** Payload bytes returned to callers. */
    long bytesRead();

    /** Chunks found by reads. */
    long hits();

    /** Chunks not found by reads (including invalid values reported as misses). */
    long misses();

    /**
     * Values that could not be a valid chunk (corrupt header, wrong size, wrong type; a wrong type
     * only where a GET saw it, see {@link KvCacheStore}: an MGET reads it as a missing key).
     */
    long invalidValues();

    /** Metadata keys deleted because their data was gone (evicted). */
    long orphansDeleted();

    /** Bytes currently in flight, and the highest value seen. */
    long inFlightBytes();

    long peakInFlightBytes();

    /** Jobs waiting for a worker slot. */
    int queuedJobs();
}
