package dev.lmcache.redis.batch;

import dev.lmcache.redis.KvCacheStore;
import dev.lmcache.redis.StoreConfig;

/** STUB: replaced by the connector work. */
public final class RedisKvCacheStore {
    private RedisKvCacheStore() {
    }

    public static KvCacheStore open(StoreConfig config) {
        throw new UnsupportedOperationException();
    }
}
