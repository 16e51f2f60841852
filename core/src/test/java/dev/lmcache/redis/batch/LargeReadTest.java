package dev.lmcache.redis.batch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lmcache.redis.BufferAllocator;
import dev.lmcache.redis.ChunkMetadata;
import dev.lmcache.redis.ChunkKey;
import dev.lmcache.redis.KeyLayout;
import dev.lmcache.redis.KvCacheStore;
import dev.lmcache.redis.KvChunk;
import dev.lmcache.redis.RawRedis;
import dev.lmcache.redis.StoreConfig;
import dev.lmcache.redis.TestChunks;
import dev.lmcache.redis.codec.ReplySplitter;
import dev.lmcache.redis.embedded.EmbeddedRedis;
import dev.lmcache.redis.embedded.EmbeddedRedisCluster;
import dev.lmcache.redis.embedded.RedisExtension;
import dev.lmcache.redis.embedded.Tls;
import dev.lmcache.redis.embedded.TlsMaterial;
import dev.lmcache.redis.KeyNaming;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Large values are read from the socket straight into the caller's buffers ({@link ReplySplitter}
 * takes them off the connection before Lettuce decodes): whatever mix of large, small, missing and
 * corrupt values a batch meets, each chunk is the bytes Redis holds, in a buffer the caller's
 * allocator handed out, and the replies after a skipped value still reach their commands.
 */
@ExtendWith(RedisExtension.class)
class LargeReadTest {
    private static final int BIG = ReplySplitter.MIN_DIVERT_BYTES;
    /** Diverted (>= 64 KiB), decoded by Lettuce (smaller), and values cut by socket reads anywhere. */
    private static final int[] SIZES = {BIG, 3 * (1 << 20) + 5, 100, BIG - 1, 1 << 20, 7, 2 * BIG + 1};

    /** Direct buffers, remembered so the test can tell the chunks came back in them. */
    static final class RecordingAllocator implements BufferAllocator {
        final Set<ByteBuffer> handedOut = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));
        final Set<ByteBuffer> released = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));
        final List<Integer> sizes = Collections.synchronizedList(new ArrayList<>());

        @Override
        public ByteBuffer allocate(ChunkKey key, int size) {
            ByteBuffer b = ByteBuffer.allocateDirect(size);
            handedOut.add(b);
            sizes.add(size);
            return b;
        }

        @Override
        public void release(ChunkKey key, ByteBuffer buffer) {
            released.add(buffer);
        }
    }

    private static void assertMixedBatchesRead(String url, StoreConfig config, KeyLayout layout) throws Exception {
        assertMixedBatchesRead(RawRedis.open(url), config, layout, true);
    }

    /**
     * @param bySocket whether the socket itself must read most of each large value into its
     *     buffer (plain TCP), or the splitter copy every byte (TLS: the bytes it sees are decrypted)
     */
    private static void assertMixedBatchesRead(RawRedis rawRedis, StoreConfig config, KeyLayout layout, boolean bySocket)
            throws Exception {
        KeyNaming naming = KeyNaming.of(layout, true, null);
        List<KvChunk> chunks = new ArrayList<>();
        for (int i = 0; i < SIZES.length; i++) {
            chunks.add(TestChunks.chunk(SIZES[i], i));
        }
        List<ChunkKey> keys = TestChunks.keys("large-read/" + layout, chunks.size());
        ChunkKey absent = TestChunks.key("large-read/absent");
        ChunkKey truncated = TestChunks.key("large-read/truncated");
        RecordingAllocator allocator = new RecordingAllocator();
        try (KvCacheStore store = KvCacheStore.open(config, allocator); RawRedis raw = rawRedis) {
            store.sync().batchedPut(keys, chunks);
            // a large chunk whose data was cut short: its metadata promises 2 MiB, Redis holds a bit over 1 MiB
            store.sync().put(truncated, TestChunks.chunk(2 << 20, 99));
            raw.set(naming.dataKey(truncated), new byte[(1 << 20) + 3]);

            List<ChunkKey> batch = new ArrayList<>(keys);
            batch.add(2, truncated);
            batch.add(4, absent);
            // several batches in flight at once share the connections: replies interleave on the wire
            long divertedBefore = ReplySplitter.divertedValues();
            long socketBefore = ReplySplitter.socketReadBytes();
            List<CompletableFuture<List<Optional<KvChunk>>>> reads = new ArrayList<>();
            for (int r = 0; r < 6; r++) {
                reads.add(store.batchedGet(batch));
            }
            for (CompletableFuture<List<Optional<KvChunk>>> read : reads) {
                List<Optional<KvChunk>> got = read.get();
                assertThat(got.get(2)).as("the truncated chunk reads as a miss").isEmpty();
                assertThat(got.get(4)).as("the absent chunk").isEmpty();
                List<Optional<KvChunk>> hits = new ArrayList<>(got);
                hits.remove(4);
                hits.remove(2);
                for (int i = 0; i < chunks.size(); i++) {
                    KvChunk c = hits.get(i).orElseThrow();
                    assertThat(TestChunks.bytes(c.data())).as("chunk %d (%d bytes)", i, SIZES[i])
                            .isEqualTo(TestChunks.bytes(chunks.get(i).data()));
                    assertThat(c.data().isDirect()).as("chunk %d is in a buffer from the caller's allocator", i).isTrue();
                }
            }
            long large = Arrays.stream(SIZES).filter(n -> n >= BIG).count();
            assertThat(ReplySplitter.divertedValues() - divertedBefore)
                    .as("large values went straight from the socket to the caller's buffers")
                    .isGreaterThanOrEqualTo(reads.size() * large);
            // at most a Netty read buffer (64 KiB) of a value's start and a 64 KiB tail are copied; a 1 MiB
            // value read into a dropped destination is skipped, not read into anything
            long bySocketAtLeast = reads.size() * Arrays.stream(SIZES).filter(n -> n >= 1 << 20)
                    .mapToLong(n -> n - 2L * ReplySplitter.MIN_DIVERT_BYTES).sum();
            long socketRead = ReplySplitter.socketReadBytes() - socketBefore;
            if (bySocket) {
                assertThat(socketRead).as("value bytes the socket read straight into the caller's buffers")
                        .isGreaterThanOrEqualTo(bySocketAtLeast);
            } else {
                assertThat(socketRead).as("under TLS no value is read from the socket unencrypted").isZero();
            }
            // the metadata reply comes first on the same connection, so the truncated value is dropped uncopied
            assertThat(allocator.sizes).as("buffers asked for (none for the truncated value)")
                    .allSatisfy(s -> assertThat(s).isIn(boxed(SIZES)));
            assertThat(allocator.released).as("no buffer handed out for a returned chunk is released").isEmpty();
        }
    }

    private static List<Integer> boxed(int[] a) {
        List<Integer> l = new ArrayList<>();
        for (int v : a) {
            l.add(v);
        }
        return l;
    }

    @Test
    void mixedLargeSmallMissingAndTruncatedValuesReadExactlyOnAStandaloneServer(EmbeddedRedis redis) throws Exception {
        StoreConfig config = StoreConfig.builder().url(redis.url()).build();
        assertMixedBatchesRead(redis.url(), config, KeyLayout.LMCACHE);
    }

    @Test
    void mixedLargeSmallMissingAndTruncatedValuesReadExactlyOverTls(@Tls EmbeddedRedis redis, TlsMaterial tls)
            throws Exception {
        StoreConfig config = StoreConfig.builder().url(redis.url()).tlsCaFile(tls.caCert()).build();
        assertMixedBatchesRead(RawRedis.openTls(redis.url(), tls.caCert()), config, KeyLayout.LMCACHE, false);
    }

    @Test
    void mixedLargeSmallMissingAndTruncatedValuesReadExactlyOnAClusterWithTtlRefresh(EmbeddedRedisCluster cluster)
            throws Exception {
        StoreConfig config = StoreConfig.builder().url(cluster.url()).keyLayout(KeyLayout.TAGGED)
                .ttlSeconds(100).ttlRefreshOnHit(true).build();
        assertMixedBatchesRead(cluster.url(), config, KeyLayout.TAGGED);
    }

    /** A value that says which key and version it is, so a reader can check any version it sees. */
    private static KvChunk versioned(int key, int version, int size) {
        ByteBuffer b = ByteBuffer.allocate(size);
        long seed = key * 1_000_003L + version;
        Random r = new Random(seed);
        byte[] rest = new byte[size - 8];
        r.nextBytes(rest);
        b.putLong(seed).put(rest).flip();
        return new KvChunk(ChunkMetadata.binary(size), b);
    }

    private static void assertIsAVersionOf(int key, KvChunk c) {
        ByteBuffer data = c.data().duplicate();
        long seed = data.getLong();
        assertThat(seed / 1_000_003L).as("a value of key %d", key).isEqualTo(key);
        KvChunk expected = versioned(key, (int) (seed % 1_000_003L), c.length());
        assertThat(TestChunks.bytes(c.data())).as("key %d version %d", key, seed % 1_000_003L)
                .isEqualTo(TestChunks.bytes(expected.data()));
    }

    /**
     * Writers and readers share the connections for a few seconds, values on both sides of the
     * diversion threshold: SET and GET replies interleave on the wire and every value read is
     * byte for byte one of the versions written.
     */
    private static void assertConcurrentReadsAndWritesStayInStep(StoreConfig config) throws Exception {
        int keys = 24;
        int[] sizes = {BIG - 8, BIG, BIG + 8, 200_000, 1000, 3 * BIG};
        List<ChunkKey> names = TestChunks.keys("large-read/stress", keys);
        AtomicInteger reads = new AtomicInteger();
        AtomicInteger diverted = new AtomicInteger();
        long divertedBefore = ReplySplitter.divertedValues();
        try (KvCacheStore store = KvCacheStore.open(config)) {
            for (int k = 0; k < keys; k++) {
                store.sync().put(names.get(k), versioned(k, 0, sizes[k % sizes.length]));
            }
            long end = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            List<CompletableFuture<Void>> workers = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                int id = w;
                workers.add(CompletableFuture.runAsync(() -> {
                    Random r = new Random(id);
                    int version = 1;
                    while (System.nanoTime() < end) {
                        if (id == 0) {
                            int k = r.nextInt(keys);
                            // a key keeps its size: in a cluster its metadata and data live on different nodes,
                            // and a reader between the two writes would see a size mismatch (a miss)
                            store.sync().put(names.get(k), versioned(k, version++, sizes[k % sizes.length]));
                        } else {
                            List<ChunkKey> batch = new ArrayList<>();
                            List<Integer> ids = new ArrayList<>();
                            for (int i = 0; i < 8; i++) {
                                int k = r.nextInt(keys);
                                batch.add(names.get(k));
                                ids.add(k);
                            }
                            List<Optional<KvChunk>> got = store.sync().batchedGet(batch);
                            for (int i = 0; i < got.size(); i++) {
                                KvChunk c = got.get(i).orElseThrow();
                                assertIsAVersionOf(ids.get(i), c);
                                reads.incrementAndGet();
                                if (c.length() >= BIG) {
                                    diverted.incrementAndGet();
                                }
                            }
                        }
                    }
                }));
            }
            CompletableFuture.allOf(workers.toArray(CompletableFuture[]::new)).get();
        }
        assertThat(reads.get()).as("values read and checked").isGreaterThan(100);
        assertThat(ReplySplitter.divertedValues() - divertedBefore).as("large values diverted")
                .isGreaterThanOrEqualTo(diverted.get());
    }

    @Test
    void concurrentReadsAndWritesOfValuesAroundTheThresholdStayInStepOnAStandaloneServer(EmbeddedRedis redis)
            throws Exception {
        assertConcurrentReadsAndWritesStayInStep(StoreConfig.builder().url(redis.url()).build());
    }

    @Test
    void concurrentReadsAndWritesOfValuesAroundTheThresholdStayInStepOnACluster(EmbeddedRedisCluster cluster)
            throws Exception {
        assertConcurrentReadsAndWritesStayInStep(StoreConfig.builder().url(cluster.url()).build());
    }
}
