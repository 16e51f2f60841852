package dev.lmcache.redis.batch;

import static dev.lmcache.redis.TestChunks.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lmcache.redis.ChunkKey;
import dev.lmcache.redis.ChunkMetadata;
import dev.lmcache.redis.GoldenVectors;
import dev.lmcache.redis.KeyLayout;
import dev.lmcache.redis.KvCacheStore;
import dev.lmcache.redis.KvChunk;
import dev.lmcache.redis.RawRedis;
import dev.lmcache.redis.StoreConfig;
import dev.lmcache.redis.StoreStats;
import dev.lmcache.redis.TestChunks;
import dev.lmcache.redis.embedded.EmbeddedRedis;
import dev.lmcache.redis.embedded.EmbeddedRedisCluster;
import dev.lmcache.redis.embedded.RedisExtension;
import dev.lmcache.redis.micrometer.MicrometerBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Byte-level interop with LMCache, the remaining URL modes, and metrics. */
@ExtendWith(RedisExtension.class)
class InteropAndModesTest {

    /**
     * What Python LMCache wrote must be readable, and what we write must be what it writes: every
     * golden metadata vector (up to 20 MB of data) goes through the store and the metadata key
     * holds exactly the golden hex, on a 3-master cluster in the lmcache layout.
     */
    @Test
    void everyGoldenHeaderIsWrittenAndReadBackByteForByte(EmbeddedRedisCluster cluster) {
        try (KvCacheStore store = KvCacheStore.open(cluster.url()); RawRedis raw = RawRedis.open(cluster.url())) {
            for (Map<String, Object> v : GoldenVectors.metadataVectors()) {
                byte[] golden = HexFormat.of().parseHex((String) v.get("hex"));
                ChunkMetadata m = ChunkMetadata.decode(golden);
                if (m.length() > 20_000_000) {
                    continue;
                }
                ChunkKey k = TestChunks.key("golden/" + v.get("name"));
                ByteBuffer data = ByteBuffer.allocate(m.length());
                data.put(0, (byte) 7).put(m.length() - 1, (byte) 9);
                store.sync().put(k, new KvChunk(m, data));
                assertThat(raw.get(k + "metadata")).as("%s", v.get("name")).isEqualTo(golden);
                KvChunk back = store.sync().get(k).orElseThrow();
                assertThat(back.metadata()).isEqualTo(m);
                assertThat(bytes(back.data())).isEqualTo(data.array());
            }
        }
    }

    @Test
    void chunksWrittenByAnotherClientInLmcacheFormatAreRead(EmbeddedRedis redis) {
        try (KvCacheStore store = KvCacheStore.open(redis.url()); RawRedis raw = RawRedis.open(redis.url())) {
            ChunkKey k = ChunkKey.parse("meta-llama/Llama-3.1-8B-Instruct@1@0@-75bcd15@bfloat16@user%interop");
            Map<String, Object> v = GoldenVectors.metadataVectors().stream()
                    .filter(x -> "binary-buffer-1000".equals(x.get("name"))).findFirst().orElseThrow();
            byte[] header = HexFormat.of().parseHex((String) v.get("hex"));
            byte[] data = new byte[1000];
            data[999] = 42;
            raw.set(k + "kv_bytes", data);
            raw.set(k + "metadata", header);
            KvChunk c = store.sync().get(k).orElseThrow();
            assertThat(c.length()).isEqualTo(1000);
            assertThat(bytes(c.data())).isEqualTo(data);
        }
    }

    @Test
    void aUnixSocketUrlWorks(@TempDir Path dir) {
        Path socket = dir.resolve("redis.sock");
        try (EmbeddedRedis redis = EmbeddedRedis.builder().config("unixsocket", socket.toString()).config("unixsocketperm", "700").start();
             KvCacheStore store = KvCacheStore.open("unix://" + socket)) {
            ChunkKey k = TestChunks.key("unix");
            store.sync().put(k, TestChunks.chunk(100, 1));
            assertThat(store.sync().get(k)).isPresent();
        }
    }

    @Test
    void aValkeyUrlUsesTheSingleKeyLayoutLikeLmcachesValkeyConnector(EmbeddedRedis redis) {
        String url = redis.url().replace("redis://", "valkey://");
        try (KvCacheStore store = KvCacheStore.open(url); RawRedis raw = RawRedis.open(redis.url())) {
            assertThat(store.config().keyLayout()).isEqualTo(KeyLayout.SINGLE);
            ChunkKey k = TestChunks.key("valkey");
            KvChunk c = TestChunks.chunk(300, 5);
            store.sync().put(k, c);
            assertThat(raw.get(k.toString())).isEqualTo(bytes(c.data()));
            assertThat(store.sync().get(k).map(x -> bytes(x.data()))).contains(bytes(c.data()));
        }
    }

    @Test
    void aDatabaseNumberInTheUrlSelectsThatDatabase(EmbeddedRedis redis) {
        try (KvCacheStore store = KvCacheStore.open(redis.url() + "/3"); RawRedis raw = RawRedis.open(redis.url() + "/3");
             RawRedis db0 = RawRedis.open(redis.url())) {
            ChunkKey k = TestChunks.key("db3");
            store.sync().put(k, TestChunks.chunk(10, 1));
            assertThat(raw.exists(k + "metadata")).isTrue();
            assertThat(db0.exists(k + "metadata")).isFalse();
        }
    }

    @Test
    void statsCountCallsBytesHitsAndMissesAndMicrometerSeesThem(EmbeddedRedis redis) {
        StoreConfig config = StoreConfig.builder().url(redis.url()).build();
        try (KvCacheStore store = KvCacheStore.open(config)) {
            List<ChunkKey> keys = TestChunks.keys("stats", 3);
            store.sync().batchedPut(keys.subList(0, 2), TestChunks.chunks(2, 1000));
            List<Optional<KvChunk>> got = store.sync().batchedGet(keys);
            assertThat(got.get(2)).isEmpty();
            StoreStats s = store.stats();
            assertThat(s.operation(StoreStats.Operation.BATCHED_PUT).calls()).isEqualTo(1);
            assertThat(s.operation(StoreStats.Operation.BATCHED_PUT).chunks()).isEqualTo(2);
            assertThat(s.operation(StoreStats.Operation.BATCHED_GET).p99Micros()).isPositive();
            assertThat(s.bytesWritten()).isEqualTo(2000);
            assertThat(s.bytesRead()).isEqualTo(2000);
            assertThat(s.hits()).isEqualTo(2);
            assertThat(s.misses()).isEqualTo(1);

            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            MicrometerBinder.bind(store, registry, "interop");
            assertThat(registry.get("lmcache.redis.bytes.written").functionCounter().count()).isEqualTo(2000.0);
            assertThat(registry.get("lmcache.redis.calls").tag("op", "batched_get").functionCounter().count()).isEqualTo(1.0);
        }
    }

    @Test
    void metricsTruePublishesTheStatsToMicrometersGlobalRegistry(EmbeddedRedis redis) {
        SimpleMeterRegistry global = new SimpleMeterRegistry();
        io.micrometer.core.instrument.Metrics.addRegistry(global);
        try (KvCacheStore store = KvCacheStore.open(StoreConfig.builder().url(redis.url()).metricsEnabled(true).build())) {
            store.sync().put(TestChunks.key("metrics"), TestChunks.chunk(500, 1));
            assertThat(global.get("lmcache.redis.bytes.written").tag("store", redis.url()).functionCounter().count())
                    .isEqualTo(500.0);
        } finally {
            io.micrometer.core.instrument.Metrics.removeRegistry(global);
        }
    }

    @Test
    void twoStoresWithMetricsPublishSideBySideAndRemoveTheirMetersWhenClosed(EmbeddedRedis redis) {
        SimpleMeterRegistry global = new SimpleMeterRegistry();
        io.micrometer.core.instrument.Metrics.addRegistry(global);
        StoreConfig.Builder config = StoreConfig.builder().url(redis.url()).metricsEnabled(true);
        try (KvCacheStore a = KvCacheStore.open(config.build());
             KvCacheStore b = KvCacheStore.open(config.build());
             KvCacheStore tenant = KvCacheStore.open(config.keyPrefix("tenant-m").build())) {
            a.sync().put(TestChunks.key("metrics"), TestChunks.chunk(100, 1));
            b.sync().put(TestChunks.key("metrics"), TestChunks.chunk(200, 2));
            tenant.sync().put(TestChunks.key("metrics"), TestChunks.chunk(300, 3));
            assertThat(global.get("lmcache.redis.bytes.written").tag("store", redis.url()).functionCounter().count())
                    .isEqualTo(100.0);
            assertThat(global.get("lmcache.redis.bytes.written").tag("store", redis.url() + "#2").functionCounter().count())
                    .as("a second store of the same URL gets its own name, not the first store's meters").isEqualTo(200.0);
            assertThat(global.get("lmcache.redis.bytes.written").tag("store", redis.url() + " prefix=tenant-m")
                    .functionCounter().count()).isEqualTo(300.0);
            b.close();
            assertThat(global.find("lmcache.redis.bytes.written").tag("store", redis.url() + "#2").functionCounter())
                    .as("a closed store's meters are removed").isNull();
        } finally {
            io.micrometer.core.instrument.Metrics.removeRegistry(global);
        }
        assertThat(global.find("lmcache.redis.bytes.written").functionCounters()).as("all removed at close").isEmpty();
    }
}
