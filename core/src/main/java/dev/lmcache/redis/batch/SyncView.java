package dev.lmcache.redis.batch;

import dev.lmcache.redis.ChunkKey;
import dev.lmcache.redis.KvCacheException;
import dev.lmcache.redis.KvCacheStore;
import dev.lmcache.redis.KvChunk;
import dev.lmcache.redis.PrefixMatch;
import dev.lmcache.redis.PrefixQuery;
import dev.lmcache.redis.SyncKvCacheStore;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Blocks on the asynchronous store. No extra timeout is added: every Redis command carries the
 * configured request timeout, so every future completes.
 */
final class SyncView implements SyncKvCacheStore {
    private final KvCacheStore store;

    SyncView(KvCacheStore store) {
        this.store = store;
    }

    private static <T> T await(CompletableFuture<T> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KvCacheException("interrupted while waiting for Redis", e);
        } catch (ExecutionException e) {
            Throwable c = Failures.unwrap(e);
            if (c instanceof RuntimeException r) {
                throw r;
            }
            throw new KvCacheException(Failures.describe(c), c);
        }
    }

    @Override
    public boolean exists(ChunkKey key) {
        return await(store.exists(key));
    }

    @Override
    public Optional<KvChunk> get(ChunkKey key) {
        return await(store.get(key));
    }

    @Override
    public void put(ChunkKey key, KvChunk chunk) {
        await(store.put(key, chunk));
    }

    @Override
    public void batchedPut(List<ChunkKey> keys, List<KvChunk> chunks) {
        await(store.batchedPut(keys, chunks));
    }

    @Override
    public List<Optional<KvChunk>> batchedGet(List<ChunkKey> keys) {
        return await(store.batchedGet(keys));
    }

    @Override
    public int batchedContains(List<ChunkKey> keys) {
        return await(store.batchedContains(keys));
    }

    @Override
    public PrefixMatch lookup(PrefixQuery query) {
        return await(store.lookup(query));
    }

    @Override
    public List<KvChunk> batchedGetNonBlocking(List<ChunkKey> keys) {
        return await(store.batchedGetNonBlocking(keys));
    }

    @Override
    public boolean remove(ChunkKey key) {
        return await(store.remove(key));
    }

    @Override
    public List<ChunkKey> list(String modelOrNull) {
        return await(store.list(modelOrNull));
    }

    @Override
    public long ping() {
        return await(store.ping());
    }

    @Override
    public KvCacheStore async() {
        return store;
    }
}
