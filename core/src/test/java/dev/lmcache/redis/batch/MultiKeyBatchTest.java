package dev.lmcache.redis.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lmcache.redis.BatchException;
import dev.lmcache.redis.ChunkKey;
import dev.lmcache.redis.KeyLayout;
import dev.lmcache.redis.KeyNaming;
import dev.lmcache.redis.KvCacheStore;
import dev.lmcache.redis.KvChunk;
import dev.lmcache.redis.RawRedis;
import dev.lmcache.redis.StoreConfig;
import dev.lmcache.redis.TestChunks;
import dev.lmcache.redis.embedded.ClusterNode;
import dev.lmcache.redis.embedded.EmbeddedRedis;
import dev.lmcache.redis.embedded.EmbeddedRedisCluster;
import dev.lmcache.redis.embedded.Fresh;
import dev.lmcache.redis.embedded.RedisExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Batches of small chunks travel as MGET and MSET (one command per node, per slot on a cluster)
 * instead of a GET or SET per name; large values, TTLs and slots holding one name keep the
 * per-name commands. Whatever the commands, every chunk read is the bytes written, a value of the
 * wrong size is a miss, and metadata whose data is gone is deleted.
 */
@ExtendWith(RedisExtension.class)
class MultiKeyBatchTest {
    private static final int SMALL = 2048;

    /** The server's count of calls of each command (INFO commandstats), summed over {@code urls}. */
    private static final class Calls {
        private final List<String> urls;

        Calls(List<String> urls) {
            this.urls = urls;
        }

        long of(String command) {
            long sum = 0;
            for (String url : urls) {
                try (RawRedis r = RawRedis.open(url)) {
                    for (String line : r.cmd().info("commandstats").split("\\r?\\n")) {
                        String prefix = "cmdstat_" + command + ":calls=";
                        if (line.startsWith(prefix)) {
                            String n = line.substring(prefix.length());
                            sum += Long.parseLong(n.substring(0, n.indexOf(',')));
                        }
                    }
                }
            }
            return sum;
        }
    }

    private static Calls calls(EmbeddedRedisCluster cluster) {
        return new Calls(cluster.masters().stream().map(ClusterNode::url).toList());
    }

    private static void assertExact(List<Optional<KvChunk>> got, List<KvChunk> expected) {
        assertThat(got).hasSize(expected.size());
        for (int i = 0; i < expected.size(); i++) {
            if (expected.get(i) == null) {
                assertThat(got.get(i)).as("chunk %d", i).isEmpty();
            } else {
                assertThat(TestChunks.bytes(got.get(i).orElseThrow().data())).as("chunk %d", i)
                        .isEqualTo(TestChunks.bytes(expected.get(i).data()));
            }
        }
    }

    private static void aBatchIsOneMsetAndOneMget(EmbeddedRedis redis, KeyLayout layout) {
        Calls calls = new Calls(List.of(redis.url()));
        try (KvCacheStore store = KvCacheStore.open(StoreConfig.builder().url(redis.url()).keyLayout(layout).build())) {
            List<ChunkKey> keys = TestChunks.keys("multi/" + layout.configName(), 64);
            List<KvChunk> chunks = TestChunks.chunks(64, SMALL);
            long sets = calls.of("set");
            long msets = calls.of("mset");
            store.sync().batchedPut(keys, chunks);
            assertThat(calls.of("mset") - msets).as("MSETs for one batch").isEqualTo(1);
            assertThat(calls.of("set") - sets).as("SETs for one batch").isZero();
            long gets = calls.of("get");
            long mgets = calls.of("mget");
            List<ChunkKey> withMissing = new ArrayList<>(keys);
            withMissing.add(10, TestChunks.key("multi/absent"));
            List<KvChunk> expected = new ArrayList<>(chunks);
            expected.add(10, null);
            assertExact(store.sync().batchedGet(withMissing), expected);
            assertThat(calls.of("mget") - mgets).as("MGETs for one batch").isEqualTo(1);
            assertThat(calls.of("get") - gets).as("GETs for one batch").isZero();
            assertThat(store.stats().hits()).isEqualTo(64);
            assertThat(store.stats().misses()).isEqualTo(1);
        }
    }

    @Test
    void aBatchOfSmallLmcacheChunksIsOneMsetAndOneMgetOnAStandaloneServer(EmbeddedRedis redis) {
        aBatchIsOneMsetAndOneMget(redis, KeyLayout.LMCACHE);
    }

    @Test
    void aBatchOfSmallRawChunksIsOneMsetAndOneMgetOnAStandaloneServer(EmbeddedRedis redis) {
        aBatchIsOneMsetAndOneMget(redis, KeyLayout.SINGLE);
    }

    @Test
    void writtenWithMsetTheChunksReadTheSameWithGetsAsLmcacheWouldReadThem(EmbeddedRedis redis) {
        try (KvCacheStore store = KvCacheStore.open(StoreConfig.builder().url(redis.url()).keyLayout(KeyLayout.LMCACHE).build());
             RawRedis raw = RawRedis.open(redis.url())) {
            List<ChunkKey> keys = TestChunks.keys("multi/interop", 8);
            List<KvChunk> chunks = TestChunks.chunks(8, SMALL);
            store.sync().batchedPut(keys, chunks);
            KeyNaming naming = KeyNaming.of(KeyLayout.LMCACHE, false, null);
            for (int i = 0; i < keys.size(); i++) {
                assertThat(raw.get(naming.dataKey(keys.get(i)))).isEqualTo(TestChunks.bytes(chunks.get(i).data()));
                assertThat(raw.get(naming.metadataKey(keys.get(i)))).isEqualTo(chunks.get(i).metadata().encode());
            }
        }
    }

    @Test
    void onAClusterChunksWhoseNamesShareASlotGoInMultiKeyCommandsAndTheOthersInSingleOnes(EmbeddedRedisCluster cluster) {
        Calls calls = calls(cluster);
        for (KeyLayout layout : List.of(KeyLayout.TAGGED, KeyLayout.LMCACHE, KeyLayout.SINGLE)) {
            try (KvCacheStore store = KvCacheStore.open(StoreConfig.builder().url(cluster.url()).keyLayout(layout).build())) {
                List<ChunkKey> keys = TestChunks.keys("multi/cluster-" + layout.configName(), 48);
                List<KvChunk> chunks = TestChunks.chunks(48, SMALL);
                long msets = calls.of("mset");
                long mgets = calls.of("mget");
                store.sync().batchedPut(keys, chunks);
                assertExact(store.sync().batchedGet(keys), chunks);
                if (layout == KeyLayout.TAGGED) {
                    // a chunk's two names share a hash tag, so each chunk is at least one MSET and one MGET of its own
                    assertThat(calls.of("mset") - msets).as("MSETs, %s", layout).isPositive();
                    assertThat(calls.of("mget") - mgets).as("MGETs, %s", layout).isPositive();
                }
                assertThat(store.stats().hits()).as(layout.configName()).isEqualTo(48);
            }
        }
    }

    @Test
    void aTtlKeepsSetWithExAndARefreshKeepsGetex(EmbeddedRedis redis) {
        Calls calls = new Calls(List.of(redis.url()));
        StoreConfig config = StoreConfig.builder().url(redis.url()).keyLayout(KeyLayout.LMCACHE)
                .ttlSeconds(600).ttlRefreshOnHit(true).build();
        try (KvCacheStore store = KvCacheStore.open(config); RawRedis raw = RawRedis.open(redis.url())) {
            List<ChunkKey> keys = TestChunks.keys("multi/ttl", 16);
            List<KvChunk> chunks = TestChunks.chunks(16, SMALL);
            long msets = calls.of("mset");
            long mgets = calls.of("mget");
            long getexes = calls.of("getex");
            store.sync().batchedPut(keys, chunks);
            assertExact(store.sync().batchedGet(keys), chunks);
            assertThat(calls.of("mset") - msets).as("MSET has no EX").isZero();
            assertThat(calls.of("mget") - mgets).as("GETEX has no multi-key form").isZero();
            assertThat(calls.of("getex") - getexes).isEqualTo(32);
            KeyNaming naming = KeyNaming.of(KeyLayout.LMCACHE, false, null);
            assertThat(raw.ttl(naming.dataKey(keys.get(0)))).isPositive();
            assertThat(raw.ttl(naming.metadataKey(keys.get(0)))).isPositive();
        }
    }

    @Test
    void aStoreThatSawOnlySmallValuesReadsALargeOneExactlyNeverCopiesAWrongSizeOneAndThenUsesGets(EmbeddedRedis redis) {
        Calls calls = new Calls(List.of(redis.url()));
        StoreConfig config = StoreConfig.builder().url(redis.url()).keyLayout(KeyLayout.LMCACHE).build();
        LargeReadTest.RecordingAllocator allocator = new LargeReadTest.RecordingAllocator();
        try (KvCacheStore reader = KvCacheStore.open(config, allocator); KvCacheStore other = KvCacheStore.open(config);
             RawRedis raw = RawRedis.open(redis.url())) {
            List<ChunkKey> small = TestChunks.keys("multi/mixed-small", 4);
            List<KvChunk> smallChunks = TestChunks.chunks(4, SMALL);
            reader.sync().batchedPut(small, smallChunks);
            // another writer stores a large chunk and a truncated one under names the reader then reads
            ChunkKey large = TestChunks.key("multi/mixed-large");
            KvChunk largeChunk = TestChunks.chunk(1 << 20, 7);
            other.sync().put(large, largeChunk);
            ChunkKey truncated = TestChunks.key("multi/mixed-truncated");
            other.sync().put(truncated, TestChunks.chunk(SMALL, 8));
            raw.set(KeyNaming.of(KeyLayout.LMCACHE, false, null).dataKey(truncated), new byte[SMALL - 1]);
            List<ChunkKey> batch = List.of(small.get(0), large, small.get(1), truncated, small.get(2));
            List<KvChunk> expected = new ArrayList<>(List.of(smallChunks.get(0), largeChunk, smallChunks.get(1)));
            expected.add(null);
            expected.add(smallChunks.get(2));
            long mgets = calls.of("mget");
            long gets = calls.of("get");
            assertExact(reader.sync().batchedGet(batch), expected);
            assertThat(calls.of("mget") - mgets).as("read with MGET: the reader had seen only small values").isEqualTo(1);
            assertThat(reader.stats().invalidValues()).as("the truncated value").isEqualTo(1);
            // its metadata came first in the MGET reply, so the truncated value got no buffer
            assertThat(allocator.sizes).as("buffers asked for").containsOnly(SMALL, 1 << 20);
            assertThat(allocator.released).as("no buffer of a returned chunk released").isEmpty();
            assertExact(reader.sync().batchedGet(batch), expected);
            assertThat(calls.of("mget") - mgets).as("having met a large value, the reader uses GETs").isEqualTo(1);
            assertThat(calls.of("get") - gets).isEqualTo(2L * batch.size());
        }
    }

    @Test
    void metadataWhoseDataIsGoneIsAMissAndIsDeletedWhenReadWithMget(EmbeddedRedis redis) throws Exception {
        Calls calls = new Calls(List.of(redis.url()));
        try (KvCacheStore store = KvCacheStore.open(StoreConfig.builder().url(redis.url()).keyLayout(KeyLayout.LMCACHE).build());
             RawRedis raw = RawRedis.open(redis.url())) {
            List<ChunkKey> keys = TestChunks.keys("multi/orphan", 6);
            List<KvChunk> chunks = TestChunks.chunks(6, SMALL);
            store.sync().batchedPut(keys, chunks);
            KeyNaming naming = KeyNaming.of(KeyLayout.LMCACHE, false, null);
            raw.del(naming.dataKey(keys.get(2)));
            long mgets = calls.of("mget");
            List<KvChunk> expected = new ArrayList<>(chunks);
            expected.set(2, null);
            assertExact(store.sync().batchedGet(keys), expected);
            assertThat(calls.of("mget") - mgets).isEqualTo(1);
            assertThat(store.stats().invalidValues()).as("an evicted half is a miss, not an invalid value").isZero();
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (raw.exists(naming.metadataKey(keys.get(2))) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(raw.exists(naming.metadataKey(keys.get(2)))).as("orphan metadata deleted").isFalse();
            assertThat(store.stats().orphansDeleted()).isEqualTo(1);
            assertThat(store.sync().exists(keys.get(2))).isFalse();
        }
    }

    @Test
    void aRefusedMsetFailsEveryChunkItCarriedNamingThem(@Fresh EmbeddedRedis redis) {
        try (KvCacheStore store = KvCacheStore.open(StoreConfig.builder().url(redis.url()).keyLayout(KeyLayout.LMCACHE).build());
             RawRedis raw = RawRedis.open(redis.url())) {
            List<ChunkKey> keys = TestChunks.keys("multi/refused", 8);
            List<KvChunk> chunks = TestChunks.chunks(8, SMALL);
            raw.cmd().configSet("maxmemory", "1");
            raw.cmd().configSet("maxmemory-policy", "noeviction");
            try {
                assertThatThrownBy(() -> store.sync().batchedPut(keys, chunks))
                        .isInstanceOfSatisfying(BatchException.class, e -> assertThat(e.failures()).hasSize(8))
                        .hasMessageContaining("OOM");
            } finally {
                raw.cmd().configSet("maxmemory", "0");
            }
            assertThat(store.sync().batchedGet(keys)).allSatisfy(c -> assertThat(c).isEmpty());
        }
    }
}
