package dev.lmcache.redis.edge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lmcache.redis.StoreConfig;
import dev.lmcache.redis.edge.bench.LmcacheStyleClient;
import dev.lmcache.redis.embedded.EmbeddedRedis;
import dev.lmcache.redis.embedded.EmbeddedRedisCluster;
import dev.lmcache.redis.embedded.Fresh;
import dev.lmcache.redis.embedded.RedisExtension;
import dev.lmcache.redis.embedded.Tls;
import dev.lmcache.redis.embedded.TlsMaterial;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The edge in front of upstreams that fail, restart, or need TLS. */
@ExtendWith(RedisExtension.class)
class EdgeUpstreamTest {
    static final int CHUNK = LmcacheClientContract.CHUNK;

    private static EdgeConfig edge() {
        return EdgeConfig.builder().listen("127.0.0.1", 0).chunkBytes(CHUNK).build();
    }

    @Test
    void anUpstreamThatIsDownGivesPromptExactLengthErrorsAndTheEdgeRecoversWhenItReturns(@Fresh EmbeddedRedis redis) throws Exception {
        StoreConfig target = StoreConfig.builder().url(redis.url()).requestTimeout(Duration.ofMillis(500)).build();
        List<byte[]> keys = LmcacheClientContract.keys("down-", 16);
        List<ByteBuffer> values = keys.stream().map(LmcacheClientContract::value).toList();
        try (EdgeServer e = EdgeServer.start(edge(), target);
             LmcacheStyleClient c = LmcacheStyleClient.connect("127.0.0.1", e.port(), 8, CHUNK, null, null, 10_000)) {
            assertThat(c.set(keys, values)).doesNotContain(false);
            redis.kill();
            long start = System.nanoTime();
            assertThat(c.get(keys, LmcacheClientContract.buffers(16))).containsOnly(false);
            assertThat(c.set(keys, values)).containsOnly(false);
            assertThat(c.exists(keys)).containsOnly(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
            // every failure had exactly the length the client reads: all workers alive, nothing left over
            assertThat(c.liveWorkers()).isEqualTo(8);
            assertThat(c.leftoverBytes()).isZero();

            redis.restart();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            boolean[] ok;
            do {
                ok = c.set(keys, values);
            } while (contains(ok, false) && System.nanoTime() < deadline);
            assertThat(ok).doesNotContain(false);
            List<ByteBuffer> into = LmcacheClientContract.buffers(16);
            assertThat(c.get(keys, into)).doesNotContain(false);
            for (int i = 0; i < keys.size(); i++) {
                assertThat(into.get(i)).isEqualTo(values.get(i));
            }
            assertThat(c.liveWorkers()).isEqualTo(8);
        }
    }

    private static boolean contains(boolean[] a, boolean v) {
        for (boolean b : a) {
            if (b == v) {
                return true;
            }
        }
        return false;
    }

    @Test
    void aTlsUpstreamServesTheClientsThatCannotSpeakTls(@Tls EmbeddedRedis redis, TlsMaterial tls) throws Exception {
        roundTrip(StoreConfig.builder().url(redis.url()).tlsCaFile(tls.caCert()).build(), "tls-");
    }

    @Test
    void aTlsClusterServesThemToo(@Tls EmbeddedRedisCluster cluster, TlsMaterial tls) throws Exception {
        roundTrip(StoreConfig.builder().url(cluster.url()).tlsCaFile(tls.caCert()).build(), "tls-cluster-");
    }

    private static void roundTrip(StoreConfig target, String prefix) throws Exception {
        List<byte[]> keys = LmcacheClientContract.keys(prefix, 24);
        List<ByteBuffer> values = keys.stream().map(LmcacheClientContract::value).toList();
        try (EdgeServer e = EdgeServer.start(edge(), target);
             LmcacheStyleClient c = LmcacheStyleClient.connect("127.0.0.1", e.port(), 8, CHUNK, null, null, 10_000)) {
            assertThat(c.set(keys, values)).doesNotContain(false);
            assertThat(c.exists(keys)).containsOnly(1);
            List<ByteBuffer> into = LmcacheClientContract.buffers(keys.size());
            assertThat(c.get(keys, into)).doesNotContain(false);
            for (int i = 0; i < keys.size(); i++) {
                assertThat(into.get(i)).isEqualTo(values.get(i));
            }
        }
    }
}
