package dev.lmcache.redis.batch;

import static dev.lmcache.redis.TestChunks.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lmcache.redis.ChunkKey;
import dev.lmcache.redis.CountingAllocator;
import dev.lmcache.redis.ChunkMetadata;
import dev.lmcache.redis.KeyLayout;
import dev.lmcache.redis.KvCacheException;
import dev.lmcache.redis.KvCacheStore;
import dev.lmcache.redis.KvChunk;
import dev.lmcache.redis.RawRedis;
import dev.lmcache.redis.StoreConfig;
import dev.lmcache.redis.TestChunks;
import dev.lmcache.redis.KeyNaming;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * LMCache's remote-connector contract, checked for every layout against a real server. Concrete
 * subclasses supply a standalone server or a 3-master cluster: the same engine must behave the
 * same on both.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class StoreContract {
    static final int LAYERS = 2;
    static final int TOKENS = 16;
    static final int HIDDEN = 64;
    static final int CHUNK_BYTES = 2 * LAYERS * TOKENS * HIDDEN * 2;

    private final Map<KeyLayout, KvCacheStore> stores = new EnumMap<>(KeyLayout.class);
    private RawRedis raw;

    /** redis://... or redis-cluster://... of the server under test. */
    abstract String url();

    abstract boolean cluster();

    StoreConfig.Builder config(KeyLayout layout) {
        StoreConfig.Builder b = StoreConfig.builder().url(url()).keyLayout(layout);
        if (!layout.hasMetadataKey()) {
            b.chunkSizeTokens(TOKENS).singleChunkShape(List.of(2, LAYERS, TOKENS, HIDDEN)).singleChunkDtype("bfloat16").singleChunkFmt(1);
        }
        return b;
    }

    KvCacheStore store(KeyLayout layout) {
        return stores.computeIfAbsent(layout, l -> KvCacheStore.open(config(l).build()));
    }

    RawRedis raw() {
        if (raw == null) {
            raw = RawRedis.open(url());
        }
        return raw;
    }

    KeyNaming naming(KeyLayout layout) {
        return KeyNaming.of(layout, cluster(), null);
    }

    String model() {
        return "test/" + getClass().getSimpleName();
    }

    static KvChunk chunk(long seed) {
        return TestChunks.kvChunk(LAYERS, TOKENS, HIDDEN, seed);
    }

    static List<KvChunk> chunks(int n, long seed) {
        List<KvChunk> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(chunk(seed + i));
        }
        return out;
    }

    @AfterAll
    void closeStores() throws Exception {
        stores.values().forEach(KvCacheStore::close);
        if (raw != null) {
            raw.close();
        }
    }

    @ParameterizedTest
    @EnumSource(value = KeyLayout.class, names = {"LMCACHE", "TAGGED", "SINGLE"})
    void putThenGetReturnsIdenticalBytesAndMetadata(KeyLayout layout) {
        var s = store(layout).sync();
        ChunkKey k = TestChunks.key(model());
        KvChunk c = chunk(1);
        s.put(k, c);
        Optional<KvChunk> got = s.get(k);
        assertThat(got).isPresent();
        assertThat(got.get().metadata()).isEqualTo(c.metadata());
        assertThat(bytes(got.get().data())).isEqualTo(bytes(c.data()));
        assertThat(s.exists(k)).isTrue();
    }

    @ParameterizedTest
    @EnumSource(value = KeyLayout.class, names = {"LMCACHE", "TAGGED", "SINGLE"})
    void batchedGetIsPositionalInKeyOrderWithEmptyForMisses(KeyLayout layout) {
        var s = store(layout).sync();
        List<ChunkKey> keys = TestChunks.keys(model(), 40);
        List<KvChunk> chunks = chunks(40, 100);
        s.batchedPut(keys.subList(0, 30), chunks.subList(0, 30));
        List<ChunkKey> shuffled = new ArrayList<>(keys);
        java.util.Collections.reverse(shuffled);
        List<Optional<KvChunk>> got = s.batchedGet(shuffled);
        assertThat(got).hasSize(40);
        for (int i = 0; i < 40; i++) {
            int original = 39 - i;
            if (original >= 30) {
                assertThat(got.get(i)).as("missing key #%d", original).isEmpty();
            } else {
                assertThat(bytes(got.get(i).orElseThrow().data())).as("chunk at position %d", i)
                        .isEqualTo(bytes(chunks.get(original).data()));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = KeyLayout.class, names = {"LMCACHE", "TAGGED", "SINGLE"})
    void batchedContainsCountsOnlyTheConsecutivePrefix(KeyLayout layout) {
        var s = store(layout).sync();
        List<ChunkKey> keys = TestChunks.keys(model(), 5);
        s.put(keys.get(0), chunk(1));
        s.put(keys.get(2), chunk(2));
        s.put(keys.get(3), chunk(3));
        assertThat(s.batchedContains(keys)).isEqualTo(1);
        assertThat(s.batchedContains(keys.subList(2, 5))).isEqualTo(2);
        assertThat(s.batchedContains(keys.subList(1, 5))).isZero();
        assertThat(s.batchedContains(List.of())).isZero();
    }

    @ParameterizedTest
    @EnumSource(value = KeyLayout.class, names = {"LMCACHE", "TAGGED", "SINGLE"})
    void batchedGetNonBlockingReturnsThePrefixAndReleasesBuffersPastIt(KeyLayout layout) {
        CountingAllocator counting = CountingAllocator.direct();
        try (KvCacheStore store = KvCacheStore.open(config(layout).build(), counting)) {
            List<ChunkKey> keys = TestChunks.keys(model(), 4);
            List<KvChunk> chunks = chunks(4, 7);
            store.sync().put(keys.get(0), chunks.get(0));
            store.sync().put(keys.get(1), chunks.get(1));
            store.sync().put(keys.get(3), chunks.get(3));
            List<KvChunk> prefix = store.sync().batchedGetNonBlocking(keys);
            assertThat(prefix).hasSize(2);
            assertThat(bytes(prefix.get(0).data())).isEqualTo(bytes(chunks.get(0).data()));
            assertThat(bytes(prefix.get(1).data())).isEqualTo(bytes(chunks.get(1).data()));
            assertThat(prefix.get(0).data().isDirect()).as("read lands in the allocator's buffer").isTrue();
            assertThat(counting.allocated.get()).isEqualTo(3);
            assertThat(counting.released.get()).as("chunk #3 was read past the gap and released").isEqualTo(1);
        }
    }

    @ParameterizedTest
    @EnumSource(value = KeyLayout.class, names = {"LMCACHE", "TAGGED", "SINGLE"})
    void removeDeletesEveryKeyOfTheChunk(KeyLayout layout) {
        var s = store(layout).sync();
        ChunkKey k = TestChunks.key(model());
        s.put(k, chunk(5));
        assertThat(s.remove(k)).isTrue();
        assertThat(s.exists(k)).isFalse();
        assertThat(s.get(k)).isEmpty();
        assertThat(raw().exists(naming(layout).dataKey(k))).isFalse();
        assertThat(s.remove(k)).isFalse();
    }

    @ParameterizedTest
    @EnumSource(value = KeyLayout.class, names = {"LMCACHE", "TAGGED", "SINGLE"})
    void listFindsTheStoredKeysOfOneModel(KeyLayout layout) {
        var s = store(layout).sync();
        String model = model() + "/list-" + layout.configName();
        List<ChunkKey> keys = TestChunks.keys(model, 12);
        s.batchedPut(keys, chunks(12, 3));
        assertThat(s.list(model)).containsExactlyInAnyOrderElementsOf(keys);
        assertThat(s.list(null)).containsAll(keys);
    }

    @ParameterizedTest
    @EnumSource(value = KeyLayout.class, names = {"LMCACHE", "TAGGED"})
    void metadataWhoseDataWasEvictedIsAMissAndTheOrphanIsDeleted(KeyLayout layout) throws Exception {
        var s = store(layout).sync();
        ChunkKey k = TestChunks.key(model());
        s.put(k, chunk(9));
        raw().del(naming(layout).dataKey(k));
        long before = store(layout).stats().orphansDeleted();
        assertThat(s.get(k)).isEmpty();
        // the orphan is deleted in the background: wait for the DEL and its reply
        for (int i = 0; i < 100 && (raw().exists(naming(layout).metadataKey(k))
                || store(layout).stats().orphansDeleted() == before); i++) {
            Thread.sleep(10);
        }
        assertThat(raw().exists(naming(layout).metadataKey(k))).as("orphan metadata deleted").isFalse();
        assertThat(store(layout).stats().orphansDeleted()).isGreaterThan(before);
        assertThat(s.exists(k)).isFalse();
    }

    @ParameterizedTest
    @EnumSource(value = KeyLayout.class, names = {"LMCACHE", "TAGGED", "SINGLE"})
    void dataOfTheWrongSizeIsAMissNeverWrongBytes(KeyLayout layout) {
        var s = store(layout).sync();
        ChunkKey k = TestChunks.key(model());
        s.put(k, chunk(11));
        raw().set(naming(layout).dataKey(k), new byte[CHUNK_BYTES - 1]);
        long invalid = store(layout).stats().invalidValues();
        assertThat(s.get(k)).isEmpty();
        assertThat(s.batchedGetNonBlocking(List.of(k))).isEmpty();
        assertThat(store(layout).stats().invalidValues()).isGreaterThan(invalid);
        assertThat(raw().exists(naming(layout).dataKey(k))).as("someone else's value is not deleted").isTrue();
    }

    @ParameterizedTest
    @EnumSource(value = KeyLayout.class, names = {"LMCACHE", "TAGGED"})
    void aCorruptOrTruncatedHeaderIsAMiss(KeyLayout layout) {
        var s = store(layout).sync();
        ChunkKey k = TestChunks.key(model());
        s.put(k, chunk(12));
        raw().set(naming(layout).metadataKey(k), new byte[] {1, 2, 3});
        assertThat(s.get(k)).isEmpty();
        ChunkKey k2 = TestChunks.key(model());
        s.put(k2, chunk(13));
        byte[] garbage = new byte[28];
        Arrays.fill(garbage, (byte) 0xff);
        raw().set(naming(layout).metadataKey(k2), garbage);
        assertThat(s.batchedGet(List.of(k, k2))).containsExactly(Optional.empty(), Optional.empty());
    }

    @ParameterizedTest
    @EnumSource(value = KeyLayout.class, names = {"LMCACHE", "TAGGED", "SINGLE"})
    void aValueOfTheWrongRedisTypeIsAMiss(KeyLayout layout) {
        var s = store(layout).sync();
        ChunkKey k = TestChunks.key(model());
        String name = layout.hasMetadataKey() ? naming(layout).metadataKey(k) : naming(layout).dataKey(k);
        raw().cmd().rpush(RawRedis.b(name), new byte[] {1});
        if (layout.hasMetadataKey()) {
            raw().set(naming(layout).dataKey(k), new byte[CHUNK_BYTES]);
        }
        assertThat(s.get(k)).isEmpty();
        assertThat(s.batchedGet(List.of(k))).containsExactly(Optional.empty());
    }

    @ParameterizedTest
    @EnumSource(value = KeyLayout.class, names = {"LMCACHE", "TAGGED"})
    void theBytesWrittenAreExactlyLmcachesFormat(KeyLayout layout) {
        var s = store(layout).sync();
        ChunkKey k = TestChunks.key(model());
        KvChunk c = chunk(21);
        s.put(k, c);
        byte[] header = raw().get(naming(layout).metadataKey(k));
        assertThat(header).isEqualTo(c.metadata().encode());
        assertThat(header).hasSize(28);
        assertThat(ChunkMetadata.decode(header).length()).isEqualTo(CHUNK_BYTES);
        assertThat(raw().get(naming(layout).dataKey(k))).isEqualTo(bytes(c.data()));
    }

    @Test
    void singleLayoutStoresTheRawBytesUnderTheKeyString() {
        var s = store(KeyLayout.SINGLE).sync();
        ChunkKey k = TestChunks.key(model());
        KvChunk c = chunk(22);
        s.put(k, c);
        assertThat(raw().get(k.toString())).isEqualTo(bytes(c.data()));
    }

    @Test
    void lmcacheLayoutNamesKeysLikeUpstream() {
        var s = store(KeyLayout.LMCACHE).sync();
        ChunkKey k = TestChunks.key(model());
        s.put(k, chunk(23));
        assertThat(raw().exists(k + "metadata")).isTrue();
        assertThat(raw().exists(k + "kv_bytes")).isTrue();
    }

    @Test
    void ttlSecondsSetsAnExpiryOnEveryKey() {
        try (KvCacheStore store = KvCacheStore.open(config(KeyLayout.LMCACHE).ttlSeconds(600).ttlRefreshOnHit(false).build())) {
            ChunkKey k = TestChunks.key(model());
            store.sync().put(k, chunk(24));
            assertThat(raw().ttl(k + "metadata")).isBetween(1L, 600L);
            assertThat(raw().ttl(k + "kv_bytes")).isBetween(1L, 600L);
        }
    }

    @Test
    void badArgumentsAreRejectedWithAMessageNamingTheProblem() {
        KvCacheStore store = store(KeyLayout.LMCACHE);
        List<ChunkKey> keys = TestChunks.keys(model(), 2);
        assertThatThrownBy(() -> store.sync().batchedPut(keys, chunks(1, 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 keys but 1 chunks");
        List<ChunkKey> withNull = new ArrayList<>(keys);
        withNull.add(null);
        assertThatThrownBy(() -> store.sync().batchedGet(withNull))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keys[2] is null");
        assertThatThrownBy(() -> store.batchedContains(null).join())
                .isInstanceOf(CompletionException.class).hasCauseInstanceOf(IllegalArgumentException.class);
        assertThat(store.sync().get(keys.get(0))).isEmpty();
    }

    @Test
    void aClosedStoreRefusesWorkAndClosingTwiceIsHarmless() {
        KvCacheStore store = KvCacheStore.open(config(KeyLayout.LMCACHE).build());
        ChunkKey k = TestChunks.key(model());
        store.sync().put(k, chunk(30));
        store.close();
        store.close();
        assertThatThrownBy(() -> store.sync().get(k)).isInstanceOf(KvCacheException.class).hasMessageContaining("closed");
    }

    @Test
    void closeDrainsWorkAlreadySubmitted() {
        KvCacheStore store = KvCacheStore.open(config(KeyLayout.LMCACHE).workers(1).build());
        List<ChunkKey> keys = TestChunks.keys(model(), 20);
        var futures = new ArrayList<java.util.concurrent.CompletableFuture<Void>>();
        for (int i = 0; i < 20; i++) {
            futures.add(store.put(keys.get(i), chunk(i)));
        }
        store.close();
        assertThat(futures).allSatisfy(f -> assertThat(f).isCompleted().isNotCompletedExceptionally());
        assertThat(store(KeyLayout.LMCACHE).sync().batchedContains(keys)).isEqualTo(20);
    }

    @Test
    void pingAnswersFromEveryMaster() {
        assertThat(store(KeyLayout.LMCACHE).sync().ping()).isPositive();
    }
}
