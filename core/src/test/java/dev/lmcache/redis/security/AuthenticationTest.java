package dev.lmcache.redis.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lmcache.redis.KvCacheException;
import dev.lmcache.redis.KvCacheStore;
import dev.lmcache.redis.StoreConfig;
import dev.lmcache.redis.embedded.EmbeddedRedis;
import dev.lmcache.redis.embedded.Password;
import dev.lmcache.redis.embedded.RedisExtension;
import dev.lmcache.redis.fault.Faults;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Who may connect: wrong or missing credentials and unreachable servers fail at open, fast and clearly. */
@ExtendWith(RedisExtension.class)
class AuthenticationTest {
    private static final String WRONG = "Wr0ng-S3cret-pw";

    private static StoreConfig.Builder config(String url) {
        return Faults.config(url);
    }

    @Test
    void aWrongPasswordIsRefusedAtOpenWithAMessageThatSaysSoWithoutThePassword(@Password EmbeddedRedis redis) {
        assertThatThrownBy(() -> KvCacheStore.open(config(redis.url()).password(WRONG).build()))
                .isInstanceOf(KvCacheException.class)
                .hasMessageContaining("cannot connect to redis://:***@" + redis.host())
                .hasMessageContaining("WRONGPASS")
                .satisfies(e -> assertThat(Faults.messages(e)).doesNotContain(WRONG));
    }

    @Test
    void noPasswordForAProtectedServerIsRefusedAtOpenSayingAuthenticationIsRequired(@Password EmbeddedRedis redis) {
        assertThatThrownBy(() -> KvCacheStore.open(config(redis.url()).build()))
                .isInstanceOf(KvCacheException.class)
                .satisfies(e -> assertThat(Faults.messages(e)).containsAnyOf("NOAUTH", "Authentication required"));
    }

    @Test
    void anUnknownAclUserIsRefusedAtOpen() {
        try (EmbeddedRedis redis = EmbeddedRedis.builder().aclUser("tenant", "tenant-pw", "~* +@all").start()) {
            assertThatThrownBy(() -> KvCacheStore.open(config(redis.url()).username("nobody").password("tenant-pw").build()))
                    .isInstanceOf(KvCacheException.class)
                    .hasMessageContaining("WRONGPASS")
                    .satisfies(e -> assertThat(Faults.messages(e)).doesNotContain("tenant-pw"));
            assertThatThrownBy(() -> KvCacheStore.open(config(redis.url()).username("tenant").password(WRONG).build()))
                    .isInstanceOf(KvCacheException.class).hasMessageContaining("WRONGPASS");
            try (KvCacheStore ok = KvCacheStore.open(config(redis.url()).username("tenant").password("tenant-pw").build())) {
                assertThat(ok.sync().ping()).isPositive();
            }
        }
    }

    @Test
    void aClosedPortFailsAtOnceNamingTheAddress() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        long start = System.nanoTime();
        assertThatThrownBy(() -> KvCacheStore.open(config("redis://127.0.0.1:" + port).build()))
                .isInstanceOf(KvCacheException.class)
                .hasMessageContaining("127.0.0.1:" + port)
                .satisfies(e -> assertThat(Faults.messages(e)).containsIgnoringCase("refused"));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Faults.CONNECT_TIMEOUT.plusSeconds(3));
    }

    @Test
    void aServerThatAcceptsButNeverAnswersFailsAtOpenWithinTheTimeouts() throws IOException {
        // the kernel completes the TCP handshake (backlog), nothing ever reads or answers
        try (ServerSocket blackHole = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> KvCacheStore.open(config("redis://127.0.0.1:" + blackHole.getLocalPort()).build()))
                    .isInstanceOf(KvCacheException.class)
                    .hasMessageContaining("127.0.0.1:" + blackHole.getLocalPort())
                    .hasMessageContaining("timed out");
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .isLessThan(Faults.CONNECT_TIMEOUT.plus(Faults.REQUEST_TIMEOUT).plusSeconds(3));
        }
    }
}
