package dev.lmcache.redis.edge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lmcache.redis.StoreConfig;
import dev.lmcache.redis.edge.bench.LmcacheStyleClient;
import dev.lmcache.redis.embedded.Delayed;
import dev.lmcache.redis.embedded.EmbeddedRedis;
import dev.lmcache.redis.embedded.RedisExtension;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The memory tier and its EXISTS lease, write-behind, and the metrics. */
@ExtendWith(RedisExtension.class)
class EdgeTiersTest {
    static final int CHUNK = LmcacheClientContract.CHUNK;

    private static RedisCommands<byte[], byte[]> direct(String url, List<RedisClient> opened) {
        RedisClient c = RedisClient.create(url);
        opened.add(c);
        return c.connect(ByteArrayCodec.INSTANCE).sync();
    }

    @Test
    void hotChunksAreServedFromMemoryWhenRedisNoLongerHasThem(EmbeddedRedis redis) throws Exception {
        List<RedisClient> opened = new java.util.ArrayList<>();
        List<byte[]> keys = LmcacheClientContract.keys("memory-", 8);
        List<ByteBuffer> values = keys.stream().map(LmcacheClientContract::value).toList();
        EdgeConfig config = EdgeConfig.builder().listen("127.0.0.1", 0).chunkBytes(CHUNK).memoryBytes(4L << 20).build();
        try (EdgeServer e = EdgeServer.start(config, StoreConfig.fromUrl(redis.url()));
             LmcacheStyleClient c = LmcacheStyleClient.connect("127.0.0.1", e.port(), 4, CHUNK, null, null, 10_000)) {
            assertThat(c.set(keys, values)).doesNotContain(false);
            RedisCommands<byte[], byte[]> r = direct(redis.url(), opened);
            keys.forEach(r::del);
            List<ByteBuffer> into = LmcacheClientContract.buffers(8);
            assertThat(c.get(keys, into)).doesNotContain(false);
            assertThat(into).isEqualTo(values);
            assertThat(e.meters().counter("lmcache.edge.get.memory.hits").count()).isEqualTo(8);
        } finally {
            opened.forEach(RedisClient::shutdown);
        }
    }

    @Test
    void anExistsThatAnswersOneKeepsTheValueSoTheGetThatFollowsCannotMissAfterAnEviction(EmbeddedRedis redis) throws Exception {
        List<RedisClient> opened = new java.util.ArrayList<>();
        List<byte[]> keys = LmcacheClientContract.keys("lease-", 2);
        // room for one chunk only: the second EXISTS evicts the first one's value from the cache
        EdgeConfig config = EdgeConfig.builder().listen("127.0.0.1", 0).chunkBytes(CHUNK).memoryBytes(CHUNK + CHUNK / 2).build();
        try (EdgeServer e = EdgeServer.start(config, StoreConfig.fromUrl(redis.url()));
             LmcacheStyleClient c = LmcacheStyleClient.connect("127.0.0.1", e.port(), 1, CHUNK, null, null, 10_000)) {
            RedisCommands<byte[], byte[]> r = direct(redis.url(), opened);
            for (byte[] k : keys) {
                r.set(k, LmcacheClientContract.value(k).array());
            }
            assertThat(c.exists(keys)).containsExactly(1, 1);
            keys.forEach(r::del); // gone from Redis too: only the lease can serve the GET
            List<ByteBuffer> into = LmcacheClientContract.buffers(1);
            assertThat(c.get(keys.subList(0, 1), into)).containsExactly(true);
            assertThat(into.get(0)).isEqualTo(LmcacheClientContract.value(keys.get(0)));
            // the second value was not leased: leases hold at most as many bytes as the tier itself
            assertThat(e.meters().counter("lmcache.edge.leases").count()).isEqualTo(1);
        } finally {
            opened.forEach(RedisClient::shutdown);
        }
    }

    @Test
    void writeBehindAcknowledgesFromTheQueueAndShutdownFlushesIt(@Delayed(oneWayMillis = 15) EmbeddedRedis redis) throws Exception {
        List<RedisClient> opened = new java.util.ArrayList<>();
        List<byte[]> keys = LmcacheClientContract.keys("behind-drain-", 64);
        List<ByteBuffer> values = keys.stream().map(LmcacheClientContract::value).toList();
        EdgeConfig config = EdgeConfig.builder().listen("127.0.0.1", 0).chunkBytes(CHUNK)
                .writeMode(WriteMode.BEHIND).writeQueueBytes(16L * CHUNK).build();
        try {
            EdgeServer e = EdgeServer.start(config, StoreConfig.fromUrl(redis.url()));
            try (LmcacheStyleClient c = LmcacheStyleClient.connect("127.0.0.1", e.port(), 8, CHUNK, null, null, 10_000)) {
                assertThat(c.set(keys, values)).doesNotContain(false);
                // read your writes while they are still queued
                List<ByteBuffer> into = LmcacheClientContract.buffers(8);
                assertThat(c.get(keys.subList(56, 64), into)).doesNotContain(false);
                assertThat(into).isEqualTo(values.subList(56, 64));
            }
            e.close();
            RedisCommands<byte[], byte[]> r = direct(redis.url(), opened);
            for (int i = 0; i < keys.size(); i++) {
                assertThat(r.get(keys.get(i))).as("key %d flushed", i).isEqualTo(values.get(i).array());
            }
        } finally {
            opened.forEach(RedisClient::shutdown);
        }
    }

    @Test
    void thePrometheusEndpointServesTheEdgesAndTheStoresMeters(EmbeddedRedis redis) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        List<byte[]> keys = LmcacheClientContract.keys("metrics-", 4);
        EdgeConfig config = EdgeConfig.builder().listen("127.0.0.1", 0).chunkBytes(CHUNK).memoryBytes(1L << 20).metricsPort(port).build();
        try (EdgeServer e = EdgeServer.start(config, StoreConfig.fromUrl(redis.url()));
             LmcacheStyleClient c = LmcacheStyleClient.connect("127.0.0.1", e.port(), 2, CHUNK, null, null, 10_000)) {
            c.set(keys, keys.stream().map(LmcacheClientContract::value).toList());
            c.get(keys, LmcacheClientContract.buffers(4));
            c.get(LmcacheClientContract.keys("metrics-absent-", 2), LmcacheClientContract.buffers(2));
            HttpResponse<String> r = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body())
                    .contains("lmcache_edge_get_memory_hits_total 4.0")
                    .contains("lmcache_edge_get_misses_total 2.0")
                    .contains("lmcache_edge_command_latency_seconds_bucket{command=\"get\"")
                    .contains("lmcache_edge_write_queue_bytes")
                    .contains("lmcache_edge_bytes_received_total " + (4.0 * CHUNK))
                    .contains("lmcache_redis_hits_total");
        }
    }
}
