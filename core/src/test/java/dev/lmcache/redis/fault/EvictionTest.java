package dev.lmcache.redis.fault;

import static dev.lmcache.redis.fault.Faults.assertHitsExact;
import static dev.lmcache.redis.fault.Faults.config;
import static dev.lmcache.redis.fault.Faults.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lmcache.redis.ChunkKey;
import dev.lmcache.redis.KeyLayout;
import dev.lmcache.redis.KvCacheStore;
import dev.lmcache.redis.KvChunk;
import dev.lmcache.redis.RawRedis;
import dev.lmcache.redis.TestChunks;
import dev.lmcache.redis.embedded.EmbeddedRedis;
import dev.lmcache.redis.KeyNaming;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The server evicts keys under {@code maxmemory} with {@code allkeys-lru}: it drops a chunk's
 * metadata or its data independently, so a reader can meet half a chunk.
 */
class EvictionTest {
    private static final int CHUNKS = 480;
    private static final int CHUNK_BYTES = 128 * 1024;

    @Test
    void afterEvictionEveryHitIsByteExactTheRestAreMissesAndOrphanedMetadataIsDeleted() throws Exception {
        try (EmbeddedRedis redis = EmbeddedRedis.builder().maxMemory("32mb", "allkeys-lru").start();
             KvCacheStore store = KvCacheStore.open(config(redis.url()).keyLayout(KeyLayout.LMCACHE).build());
             RawRedis raw = RawRedis.open(redis.url())) {
            List<ChunkKey> keys = TestChunks.keys("fault/evict", CHUNKS);
            List<KvChunk> chunks = new ArrayList<>();
            for (int i = 0; i < CHUNKS; i++) {
                chunks.add(TestChunks.chunk(CHUNK_BYTES, 1000L + i));
            }
            // 60 MiB into 32 MiB, in batches, as a serving engine would write
            for (int from = 0; from < CHUNKS; from += 40) {
                store.sync().batchedPut(keys.subList(from, from + 40), chunks.subList(from, from + 40));
            }
            // stop evicting, so that what the reads meet is exactly what the writes left behind
            raw.cmd().configSet("maxmemory", "0");
            KeyNaming naming = KeyNaming.of(KeyLayout.LMCACHE, false, null);
            List<ChunkKey> orphansBefore = new ArrayList<>();
            for (ChunkKey k : keys) {
                if (raw.exists(naming.metadataKey(k)) && !raw.exists(naming.dataKey(k))) {
                    orphansBefore.add(k);
                }
            }

            List<Optional<KvChunk>> got = store.sync().batchedGet(keys);
            int hits = assertHitsExact(got, chunks);
            assertThat(hits).as("some chunks survived").isPositive();
            assertThat(hits).as("far more was written than fits: some chunks were evicted").isLessThan(CHUNKS);
            assertThat(store.stats().hits()).isEqualTo(hits);
            assertThat(store.stats().misses()).isEqualTo(CHUNKS - hits);
            assertThat(store.stats().invalidValues()).as("an evicted half is a miss, not an invalid value").isZero();

            // the reads delete metadata whose data is gone (asynchronously, after replying)
            eventually(Duration.ofSeconds(5), () -> {
                for (int i = 0; i < CHUNKS; i++) {
                    if (got.get(i).isEmpty()) {
                        ChunkKey k = keys.get(i);
                        assertThat(raw.exists(naming.metadataKey(k)) && !raw.exists(naming.dataKey(k)))
                                .as("metadata of %s still there without its data", k).isFalse();
                    }
                }
                return null;
            });
            assertThat(orphansBefore).as("eviction separated some metadata from its data").isNotEmpty();
            eventually(Duration.ofSeconds(5), () -> assertThat(store.stats().orphansDeleted())
                    .as("every orphan the reads met was deleted").isEqualTo(orphansBefore.size()));
            for (ChunkKey k : orphansBefore) {
                assertThat(store.sync().exists(k)).as("an orphan no longer claims to exist: %s", k).isFalse();
            }
        }
    }
}
