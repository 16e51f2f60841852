package dev.lmcache.redis.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(RedisExtension.class)
class DelayProxyTest {

    private static final RedisClient CLIENT = TestClients.standalone(null);

    @AfterAll
    static void shutdown() {
        TestClients.shutdown(CLIENT);
    }

    /** The smallest of several PING round trips, in nanoseconds (the minimum filters scheduling noise). */
    private static long fastestPing(StatefulRedisConnection<?, ?> c) {
        c.sync().ping();
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            long start = System.nanoTime();
            c.sync().ping();
            best = Math.min(best, System.nanoTime() - start);
        }
        return best;
    }

    @Test
    void aPingThroughATwentyMillisecondProxyTakesAtLeastFortyMilliseconds(EmbeddedRedis redis) {
        try (DelayProxy proxy = DelayProxy.start("127.0.0.1", redis.port(), Duration.ofMillis(20));
                StatefulRedisConnection<String, String> c = CLIENT.connect(RedisURI.create("redis://127.0.0.1:" + proxy.listenPort()))) {
            long nanos = fastestPing(c);
            assertThat(Duration.ofNanos(nanos)).isGreaterThanOrEqualTo(Duration.ofMillis(40))
                    // Generous bound: the proxy must not add much beyond its delay.
                    .isLessThan(Duration.ofMillis(40 + 200));
        }
    }

    @Test
    void aDelayedServerIsReachedThroughItsProxyAndPaysTheDelay(@Delayed(oneWayMillis = 20) EmbeddedRedis redis) {
        assertThat(redis.clientPort()).isNotEqualTo(redis.port());
        assertThat(redis.url()).endsWith(":" + redis.clientPort());
        assertThat(redis.oneWayDelay()).isEqualTo(Duration.ofMillis(20));
        try (StatefulRedisConnection<String, String> c = CLIENT.connect(redis.redisUri())) {
            assertThat(Duration.ofNanos(fastestPing(c))).isGreaterThanOrEqualTo(Duration.ofMillis(40));
        }
    }

    @Test
    void largeValuesPassThroughTheProxyIntactInBothDirections(EmbeddedRedis redis) {
        byte[] value = new byte[24 * 1024 * 1024];
        new Random(42).nextBytes(value);
        byte[] key = "delay-proxy-test:large".getBytes();
        try (DelayProxy proxy = DelayProxy.start("127.0.0.1", redis.port(), Duration.ofMillis(2));
                StatefulRedisConnection<byte[], byte[]> c = CLIENT.connect(ByteArrayCodec.INSTANCE,
                        RedisURI.create("redis://127.0.0.1:" + proxy.listenPort()))) {
            c.sync().set(key, value);
            assertThat(Arrays.equals(c.sync().get(key), value)).isTrue();
            c.sync().del(key);
        }
    }

    @Test
    void closingTheProxyClosesItsConnections(EmbeddedRedis redis) throws InterruptedException {
        DelayProxy proxy = DelayProxy.start("127.0.0.1", redis.port(), Duration.ofMillis(1));
        try (StatefulRedisConnection<String, String> c = CLIENT.connect(RedisURI.create("redis://127.0.0.1:" + proxy.listenPort()))) {
            assertThat(c.sync().ping()).isEqualTo("PONG");
            int port = proxy.listenPort();
            proxy.close();
            assertThatThrownBy(() -> c.sync().ping()).isInstanceOf(RuntimeException.class);
            // Nothing listens on the port any more. (Asking whether the port can be bound again was
            // flaky: the port is an ephemeral one, and the client's reconnect attempts to it can end
            // in a TCP self-connect that holds it; a retried connect tells a listener apart.)
            assertThat(refusedWithin(port, Duration.ofSeconds(2))).as("connect to the closed proxy's port refused")
                    .isTrue();
        }
    }

    /** Whether a connect to {@code port} on loopback is refused, trying until {@code within} has passed. */
    private static boolean refusedWithin(int port, Duration within) throws InterruptedException {
        long end = System.nanoTime() + within.toNanos();
        do {
            try {
                new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), port).close();
                Thread.sleep(50); // something accepted it: a listener, or a self-connect; look again
            } catch (java.net.ConnectException e) {
                return true;
            } catch (java.io.IOException e) {
                Thread.sleep(50);
            }
        } while (System.nanoTime() < end);
        return false;
    }

    @Test
    void aNegativeDelayIsRejected() {
        assertThatThrownBy(() -> DelayProxy.start("127.0.0.1", 6379, Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(">= 0");
    }
}
