package dev.lmcache.redis.bench.peers;

import dev.lmcache.redis.BufferAllocator;
import dev.lmcache.redis.ChunkKey;
import dev.lmcache.redis.ChunkMetadata;
import dev.lmcache.redis.KeyLayout;
import dev.lmcache.redis.KvCacheStore;
import dev.lmcache.redis.KvChunk;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The store ({@link KvCacheStore}) with one key layout: {@code single} (one raw value per chunk,
 * the same Redis commands as the plain clients) or {@code lmcache} (a 28-byte header key and a
 * data key per chunk, what LMCache's {@code redis://} connector writes).
 *
 * <p>Writes hand the store direct buffers (sent without a copy from 64 KiB up); reads land in
 * direct buffers from a recycling {@link BufferAllocator}, as an application that owns its
 * buffers would read: {@link #release} hands them back for the next read.
 */
final class StorePeer implements Peer {
    private final String name;
    private final KvCacheStore store;
    private final Recycler buffers = new Recycler();

    StorePeer(Server server, KeyLayout layout) {
        this.name = "store-" + layout.configName();
        this.store = KvCacheStore.open(server.config().toBuilder().keyLayout(layout).build(), buffers);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean isStore() {
        return true;
    }

    @Override
    public boolean blocking() {
        return false;
    }

    @Override
    public void prepare(int callers) {
        // one store serves any number of callers
    }

    @Override
    public CompletableFuture<Void> batchedPut(int caller, List<BenchKey> keys, List<Payloads.Value> values) {
        List<ChunkKey> chunkKeys = new ArrayList<>(keys.size());
        List<KvChunk> chunks = new ArrayList<>(keys.size());
        for (int i = 0; i < keys.size(); i++) {
            ByteBuffer data = values.get(i).direct();
            chunkKeys.add(keys.get(i).chunk());
            chunks.add(new KvChunk(ChunkMetadata.binary(data.remaining()), data));
        }
        return store.batchedPut(chunkKeys, chunks);
    }

    @Override
    public CompletableFuture<List<ByteBuffer>> batchedGet(int caller, List<BenchKey> keys) {
        List<ChunkKey> chunkKeys = new ArrayList<>(keys.size());
        for (BenchKey k : keys) {
            chunkKeys.add(k.chunk());
        }
        return store.batchedGet(chunkKeys).thenApply(StorePeer::data);
    }

    private static List<ByteBuffer> data(List<Optional<KvChunk>> chunks) {
        List<ByteBuffer> out = new ArrayList<>(chunks.size());
        for (Optional<KvChunk> c : chunks) {
            out.add(c.map(KvChunk::data).orElse(null));
        }
        return out;
    }

    @Override
    public void release(List<ByteBuffer> values) {
        for (ByteBuffer b : values) {
            if (b != null) {
                buffers.release(null, b);
            }
        }
    }

    @Override
    public void delete(List<BenchKey> keys) {
        List<CompletableFuture<Boolean>> removals = new ArrayList<>();
        for (BenchKey k : keys) {
            removals.add(store.remove(k.chunk()));
        }
        CompletableFuture.allOf(removals.toArray(CompletableFuture[]::new)).join();
    }

    @Override
    public void close() {
        store.close();
    }

    /**
     * Direct buffers kept per size and handed out again: the store writes a read into the buffer
     * the allocator gives, so a reused buffer costs no allocation and no zeroing.
     */
    private static final class Recycler implements BufferAllocator {
        private final Map<Integer, ConcurrentLinkedQueue<ByteBuffer>> free = new ConcurrentHashMap<>();

        @Override
        public ByteBuffer allocate(ChunkKey key, int size) {
            ByteBuffer b = free.computeIfAbsent(size, s -> new ConcurrentLinkedQueue<>()).poll();
            return b != null ? b.clear() : ByteBuffer.allocateDirect(size);
        }

        @Override
        public void release(ChunkKey key, ByteBuffer buffer) {
            // the store hands out a slice of exactly the chunk's size: its capacity is that size
            ByteBuffer whole = buffer.duplicate().clear();
            free.computeIfAbsent(whole.capacity(), s -> new ConcurrentLinkedQueue<>()).offer(whole);
        }
    }
}
