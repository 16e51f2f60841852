package dev.lmcache.redis.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(RedisExtension.class)
class RedisExtensionTest {

    private static EmbeddedRedis sharedFromBeforeAll;
    private static EmbeddedRedis freshFromBeforeAll;

    @BeforeAll
    static void capture(EmbeddedRedis shared, @Fresh EmbeddedRedis fresh) {
        sharedFromBeforeAll = shared;
        freshFromBeforeAll = fresh;
    }

    @Test
    void unannotatedParametersShareOneInstancePerVariant(EmbeddedRedis redis, @Password EmbeddedRedis secured,
            @Password EmbeddedRedis securedAgain) {
        assertThat(redis).isSameAs(sharedFromBeforeAll);
        assertThat(secured).isSameAs(securedAgain).isNotSameAs(redis);
        assertThat(secured.password()).isPresent();
        assertThat(redis.password()).isEmpty();
    }

    @Test
    void freshParametersGetTheirOwnInstance(@Fresh EmbeddedRedis fresh, EmbeddedRedis shared) {
        assertThat(fresh).isNotSameAs(shared).isNotSameAs(freshFromBeforeAll);
        assertThat(fresh.port()).isNotEqualTo(shared.port());
        assertThat(fresh.isAlive()).isTrue();
        assertThat(freshFromBeforeAll.isAlive()).isTrue();
    }

    @Test
    void tlsServersUseTheInjectedMaterial(@Tls EmbeddedRedis redis, TlsMaterial tls, TlsMaterial sameTls) {
        assertThat(tls).isSameAs(sameTls);
        assertThat(redis.isTls()).isTrue();
        assertThat(redis.url()).startsWith("rediss://localhost:");
    }
}
