package dev.lmcache.redis.batch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lmcache.redis.ChunkKey;
import dev.lmcache.redis.ChunkMetadata;
import dev.lmcache.redis.KeyLayout;
import dev.lmcache.redis.KvCacheException;
import dev.lmcache.redis.KvCacheStore;
import dev.lmcache.redis.KvChunk;
import dev.lmcache.redis.RawRedis;
import dev.lmcache.redis.StoreConfig;
import dev.lmcache.redis.TestChunks;
import dev.lmcache.redis.codec.ValueLease;
import dev.lmcache.redis.embedded.EmbeddedRedis;
import dev.lmcache.redis.embedded.EmbeddedRedisCluster;
import dev.lmcache.redis.embedded.Fresh;
import dev.lmcache.redis.embedded.RedisExtension;
import dev.lmcache.redis.embedded.Tls;
import dev.lmcache.redis.embedded.TlsMaterial;
import dev.lmcache.redis.fault.Faults;
import dev.lmcache.redis.KeyNaming;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Large direct buffers are written without a copy ({@link ValueLease}, {@code WireEncoder}): the
 * bytes Redis stores must be exactly the caller's, framed like any SET, whatever mix of lent and
 * copied values a batch holds, and a caller's buffer must never be read after its put completed.
 */
@ExtendWith(RedisExtension.class)
class LentValueTest {
    /** Lent (direct, >= 64 KiB), copied (heap, or direct below the threshold) and odd sizes, mixed. */
    private static final int[] SIZES = {ValueLease.MIN_BYTES, 1 << 20, ValueLease.MIN_BYTES - 1, 3 * (1 << 20) + 7, 100};

    private static KvChunk directChunk(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        ByteBuffer direct = ByteBuffer.allocateDirect(size + 16);
        direct.position(8);
        direct.put(b);
        direct.position(8).limit(8 + size); // a window inside a larger buffer
        return new KvChunk(ChunkMetadata.binary(size), direct);
    }

    private static List<KvChunk> mixedChunks() {
        List<KvChunk> chunks = new ArrayList<>();
        for (int i = 0; i < SIZES.length; i++) {
            chunks.add(directChunk(SIZES[i], i));
            chunks.add(TestChunks.chunk(SIZES[i], 100 + i)); // heap: copied
        }
        return chunks;
    }

    private static void assertStoredExactly(String url, StoreConfig config, KeyLayout layout) throws Exception {
        KeyNaming naming = KeyNaming.of(layout, true, null);
        List<KvChunk> chunks = mixedChunks();
        List<ChunkKey> keys = TestChunks.keys("lent/" + layout, chunks.size());
        try (KvCacheStore store = KvCacheStore.open(config); RawRedis raw = RawRedis.open(url)) {
            store.sync().batchedPut(keys, chunks);
            for (int i = 0; i < chunks.size(); i++) {
                KvChunk c = chunks.get(i);
                assertThat(raw.cmd().get(RawRedis.b(naming.dataKey(keys.get(i)))))
                        .as("chunk %d (%d bytes, %s) as stored", i, c.length(), c.data().isDirect() ? "direct" : "heap")
                        .isEqualTo(TestChunks.bytes(c.data()));
                assertThat(raw.cmd().get(RawRedis.b(naming.metadataKey(keys.get(i))))).isEqualTo(c.metadata().encode());
                assertThat(raw.ttl(naming.dataKey(keys.get(i)))).as("EX after a lent value").isBetween(1L, 100L);
                if (i % 2 == 0) {
                    assertThat(c.data().position()).as("the caller's position is untouched").isEqualTo(8);
                    assertThat(c.data().limit()).isEqualTo(8 + c.length());
                }
            }
            assertReadBack(store, keys, chunks);
        }
    }

    /** The store reads every chunk back intact: the connections are in step, each reply went to its command. */
    private static void assertReadBack(KvCacheStore store, List<ChunkKey> keys, List<KvChunk> chunks) {
        List<Optional<KvChunk>> got = store.sync().batchedGet(keys);
        for (int i = 0; i < chunks.size(); i++) {
            assertThat(TestChunks.bytes(got.get(i).orElseThrow().data())).as("chunk %d read back", i)
                    .isEqualTo(TestChunks.bytes(chunks.get(i).data()));
        }
    }

    @Test
    void lentAndCopiedValuesAreStoredByteForByteOnAStandaloneServer(EmbeddedRedis redis) throws Exception {
        StoreConfig config = StoreConfig.builder().url(redis.url()).ttlSeconds(100).build();
        assertStoredExactly(redis.url(), config, KeyLayout.LMCACHE);
    }

    @Test
    void lentAndCopiedValuesAreStoredByteForByteOnACluster(EmbeddedRedisCluster cluster) throws Exception {
        StoreConfig config = StoreConfig.builder().url(cluster.url()).keyLayout(KeyLayout.TAGGED).ttlSeconds(100).build();
        assertStoredExactly(cluster.url(), config, KeyLayout.TAGGED);
    }

    @Test
    void lentValuesGoThroughTls(@Tls EmbeddedRedis redis, TlsMaterial tls) {
        StoreConfig config = StoreConfig.builder().url(redis.url()).tlsCaFile(tls.caCert()).build();
        List<KvChunk> chunks = mixedChunks();
        List<ChunkKey> keys = TestChunks.keys("lent/tls", chunks.size());
        try (KvCacheStore store = KvCacheStore.open(config)) {
            store.sync().batchedPut(keys, chunks);
            assertReadBack(store, keys, chunks);
        }
    }

    /**
     * A put to a hung server times out half-written. Its buffer may be reused once the put failed,
     * so the connection that was still sending it is closed: Redis must never store what the
     * caller writes into the buffer afterwards, and the store works again once the server does.
     */
    @Test
    void aPutThatTimesOutMidWriteNeverSendsTheBufferAfterItFailed(@Fresh EmbeddedRedis redis) throws Exception {
        StoreConfig config = Faults.config(redis.url()).build();
        int size = 48 << 20; // more than the kernel buffers between client and a stopped server hold
        KvChunk chunk = directChunk(size, 7);
        ChunkKey key = TestChunks.key("lent/hung");
        KeyNaming naming = KeyNaming.of(KeyLayout.LMCACHE, true, null);
        try (KvCacheStore store = KvCacheStore.open(config); RawRedis raw = RawRedis.open(redis.url())) {
            store.sync().ping();
            redis.pause();
            CompletableFuture<Void> put;
            try {
                put = store.put(key, chunk);
                Throwable failure = Faults.outcome(put, Faults.REQUEST_TIMEOUT.plusSeconds(5));
                assertThat(failure).as("the put fails, it does not hang").isInstanceOf(KvCacheException.class);
                assertThat(Faults.messages(failure)).contains("timed out");
                // the caller now owns the buffer again and reuses it
                ByteBuffer reused = chunk.data().duplicate();
                while (reused.hasRemaining()) {
                    reused.put((byte) 0x5a);
                }
            } finally {
                redis.resume();
            }
            Faults.eventually(Duration.ofSeconds(10), () -> store.sync().ping());
            Faults.sleep(300);
            byte[] stored = raw.cmd().get(RawRedis.b(naming.dataKey(key)));
            assertThat(stored == null || stored[stored.length - 1] != 0x5a)
                    .as("the bytes written into the buffer after the put failed never reached Redis").isTrue();
            assertThat(raw.exists(naming.metadataKey(key))).as("no metadata for a failed put").isFalse();

            KvChunk fresh = directChunk(size, 8);
            store.sync().put(key, fresh);
            assertThat(TestChunks.bytes(store.sync().get(key).orElseThrow().data())).isEqualTo(TestChunks.bytes(fresh.data()));
        }
    }
}
