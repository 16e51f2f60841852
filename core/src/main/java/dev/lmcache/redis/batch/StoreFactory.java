package dev.lmcache.redis.batch;

import dev.lmcache.redis.BufferAllocator;
import dev.lmcache.redis.KvCacheStore;
import dev.lmcache.redis.StoreConfig;

/**
 * The one public entry into the engine, for {@link KvCacheStore#open(StoreConfig, BufferAllocator)}:
 * the store implementation itself is package-private. Internal: applications call
 * {@code KvCacheStore.open}.
 */
public final class StoreFactory {
    private StoreFactory() {
    }

    /**
     * Connects and returns the store; see {@link KvCacheStore#open(StoreConfig, BufferAllocator)}.
     *
     * @throws dev.lmcache.redis.KvCacheException if the servers cannot be reached
     */
    public static KvCacheStore open(StoreConfig config, BufferAllocator allocator) {
        return RedisKvCacheStore.open(config, allocator);
    }
}
