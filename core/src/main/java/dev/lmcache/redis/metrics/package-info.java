/**
 * Internal: the counters and latency histograms behind {@link dev.lmcache.redis.StoreStats}.
 * Micrometer export is public, in {@code dev.lmcache.redis.micrometer}. Nothing here is API and it
 * may change in any release; applications use {@code dev.lmcache.redis}.
 */
package dev.lmcache.redis.metrics;
