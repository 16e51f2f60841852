package dev.lmcache.redis;

/** STUB: replaced by the metrics work. */
public interface StoreStats {
}
