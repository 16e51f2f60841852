package dev.lmcache.redis.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(RedisExtension.class)
class EmbeddedRedisTest {

    private static final RedisClient CLIENT = TestClients.standalone(null);

    @AfterAll
    static void shutdown() {
        TestClients.shutdown(CLIENT);
    }

    @Test
    void aValueSetOnAStandaloneServerIsReadBack(EmbeddedRedis redis) {
        try (StatefulRedisConnection<String, String> c = CLIENT.connect(redis.redisUri())) {
            c.sync().set("embedded-test:set-get", "value-1");
            assertThat(c.sync().get("embedded-test:set-get")).isEqualTo("value-1");
        }
        assertThat(redis.url()).isEqualTo("redis://127.0.0.1:" + redis.port());
        assertThat(redis.clientPort()).isEqualTo(redis.port());
        assertThat(redis.port()).isBetween(1, 55535);
    }

    @Test
    void aPasswordProtectedServerRejectsCommandsBeforeAuthAndAcceptsThemAfter(@Password EmbeddedRedis redis) throws Exception {
        assertThat(redis.url()).doesNotContain(redis.password().orElseThrow());
        // a bare socket: Lettuce's handshake may report a refused HELLO as a connection failure
        // ("RedisHandshakeHandler not registered") instead of the server's NOAUTH
        try (Socket socket = new Socket(redis.host(), redis.clientPort())) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write("GET embedded-test:auth\r\n".getBytes(StandardCharsets.US_ASCII));
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            assertThat(in.readLine()).startsWith("-NOAUTH");
        }
        try (StatefulRedisConnection<String, String> c = CLIENT.connect(redis.redisUri())) {
            c.sync().set("embedded-test:auth", "ok");
            assertThat(c.sync().get("embedded-test:auth")).isEqualTo("ok");
        }
    }

    @Test
    void anAclUserLimitedToAllowedKeysGetsNopermOnOtherKeys() {
        try (EmbeddedRedis redis = EmbeddedRedis.builder().aclUser("limited", "limited-pw", "~allowed:* +@all").start()) {
            RedisURI uri = RedisURI.builder().withHost(redis.host()).withPort(redis.clientPort())
                    .withAuthentication("limited", "limited-pw".toCharArray()).build();
            try (StatefulRedisConnection<String, String> c = CLIENT.connect(uri)) {
                c.sync().set("allowed:1", "yes");
                assertThat(c.sync().get("allowed:1")).isEqualTo("yes");
                assertThatThrownBy(() -> c.sync().set("forbidden:1", "no"))
                        .isInstanceOf(RedisCommandExecutionException.class)
                        .hasMessageContaining("NOPERM");
            }
        }
    }

    @Test
    void maxMemoryAndExtraConfigReachTheServer() {
        try (EmbeddedRedis redis = EmbeddedRedis.builder().maxMemory("64mb", "allkeys-lru")
                .config("hz", "20").start();
                StatefulRedisConnection<String, String> c = CLIENT.connect(redis.redisUri())) {
            assertThat(c.sync().configGet("maxmemory")).containsEntry("maxmemory", Long.toString(64L * 1024 * 1024));
            assertThat(c.sync().configGet("maxmemory-policy")).isEqualTo(Map.of("maxmemory-policy", "allkeys-lru"));
            assertThat(c.sync().configGet("hz")).containsEntry("hz", "20");
            assertThat(c.sync().configGet("save")).containsEntry("save", "");
            assertThat(c.sync().configGet("appendonly")).containsEntry("appendonly", "no");
        }
    }

    @Test
    void noProcessIsLeftAfterClose() {
        EmbeddedRedis redis = EmbeddedRedis.builder().start();
        long pid = redis.pid();
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).contains(true);
        redis.close();
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(redis.isAlive()).isFalse();
        redis.close(); // idempotent
    }

    @Test
    void killedServerIsDownAndComesBackOnTheSamePortAfterRestart(@Fresh EmbeddedRedis redis) {
        int port = redis.port();
        long pid = redis.pid();
        redis.kill();
        assertThat(redis.isAlive()).isFalse();
        assertThat(RedisProcess.answersPing(port)).isFalse();
        redis.restart();
        assertThat(redis.isAlive()).isTrue();
        assertThat(redis.port()).isEqualTo(port);
        assertThat(redis.pid()).isNotEqualTo(pid);
        try (StatefulRedisConnection<String, String> c = CLIENT.connect(redis.redisUri())) {
            assertThat(c.sync().ping()).isEqualTo("PONG");
        }
    }

    @Test
    void pausedServerAnswersNothingUntilResumed(@Fresh EmbeddedRedis redis) {
        try (StatefulRedisConnection<String, String> c = CLIENT.connect(redis.redisUri())) {
            redis.pause();
            c.setTimeout(Duration.ofMillis(300));
            assertThatThrownBy(() -> c.sync().ping()).hasMessageContaining("timed out");
            redis.resume();
            c.setTimeout(Duration.ofSeconds(5));
        }
        try (StatefulRedisConnection<String, String> c = CLIENT.connect(redis.redisUri())) {
            assertThat(c.sync().ping()).isEqualTo("PONG");
        }
    }

    @Test
    void startingOnAPortInUseFailsWithTheServersOwnExplanation(EmbeddedRedis redis) {
        assertThatThrownBy(() -> EmbeddedRedis.builder().port(redis.port()).start())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("exited during start-up")
                .hasMessageContaining("Address already in use");
    }

    @Test
    void errorMessagesNeverContainThePassword(EmbeddedRedis redis) {
        String secret = "very-secret-pw";
        assertThatThrownBy(() -> EmbeddedRedis.builder().port(redis.port()).password(secret).start())
                .isInstanceOf(IllegalStateException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(secret).contains("<redacted>"));
    }

    @Test
    void invalidSettingsAreRejectedWithTheAcceptedValues() {
        assertThatThrownBy(() -> EmbeddedRedis.builder().config("port", "1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("managed");
        assertThatThrownBy(() -> EmbeddedRedis.builder().port(70000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1..65535");
        assertThatThrownBy(() -> EmbeddedRedis.builder().password("has space"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("whitespace");
        assertThatThrownBy(() -> EmbeddedRedis.builder().oneWayDelay(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(">= 0");
    }

    @Test
    void anExplicitBinaryThatIsNotExecutableIsRejectedNamingTheSetting() {
        assertThatThrownBy(() -> RedisBinary.explicit("/nonexistent/redis-server", "system property lmcache.redis.server"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("system property lmcache.redis.server")
                .hasMessageContaining("/nonexistent/redis-server");
    }

    @Test
    void theBundledBinaryIsExtractedAsAnExecutableFile() {
        assertThat(RedisBinary.path()).isExecutable();
    }
}
