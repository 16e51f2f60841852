/**
 * The public API of lmcache-redis: a store of LMCache KV-cache chunks in Redis, Redis Cluster or
 * Valkey, byte-compatible with LMCache.
 *
 * <p>Start with {@link dev.lmcache.redis.KvCacheStore#open(StoreConfig)} and
 * {@link dev.lmcache.redis.StoreConfig}; chunks are {@link dev.lmcache.redis.ChunkKey} and
 * {@link dev.lmcache.redis.KvChunk} values. Everything in this package and in
 * {@code dev.lmcache.redis.micrometer} is API; the sub-packages {@code batch}, {@code codec},
 * {@code config}, {@code key}, {@code layout}, {@code metrics}, {@code schedule} and
 * {@code topology} are internal, whatever their types' visibility. The formats are described in
 * {@code docs/LMCACHE-FORMAT.md}.
 *
 * <p>Nullness: every parameter, return value and field here is non-null unless annotated
 * {@link org.jspecify.annotations.Nullable}; absence is an {@link java.util.Optional}.
 */
@NullMarked
package dev.lmcache.redis;

import org.jspecify.annotations.NullMarked;
