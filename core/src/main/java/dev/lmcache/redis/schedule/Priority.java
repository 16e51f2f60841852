package dev.lmcache.redis.schedule;

/**
 * Scheduling classes, highest first, as in LMCache's remote connectors: lookups must not wait
 * behind bulk writes.
 */
public enum Priority {
    /** exists, batchedContains. */
    PEEK,
    /** batchedGetNonBlocking (prefetch of the hit prefix). */
    PREFETCH,
    /** get, batchedGet, list. */
    GET,
    /** put, batchedPut, remove. */
    PUT
}
