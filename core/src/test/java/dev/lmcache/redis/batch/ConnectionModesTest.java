package dev.lmcache.redis.batch;

import static dev.lmcache.redis.TestChunks.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lmcache.redis.ChunkKey;
import dev.lmcache.redis.KvCacheException;
import dev.lmcache.redis.KvCacheStore;
import dev.lmcache.redis.KvChunk;
import dev.lmcache.redis.StoreConfig;
import dev.lmcache.redis.TestChunks;
import dev.lmcache.redis.TlsVerify;
import dev.lmcache.redis.embedded.EmbeddedRedis;
import dev.lmcache.redis.embedded.EmbeddedSentinel;
import dev.lmcache.redis.embedded.Password;
import dev.lmcache.redis.embedded.RedisExtension;
import dev.lmcache.redis.embedded.Tls;
import dev.lmcache.redis.embedded.TlsMaterial;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** TLS, credentials and sentinel, each end to end through the store. */
@ExtendWith(RedisExtension.class)
class ConnectionModesTest {

    private static void roundTrip(KvCacheStore store) {
        ChunkKey k = TestChunks.key("modes");
        KvChunk c = TestChunks.chunk(4096, 1);
        store.sync().batchedPut(List.of(k), List.of(c));
        assertThat(bytes(store.sync().get(k).orElseThrow().data())).isEqualTo(bytes(c.data()));
    }

    @Test
    void tlsWithTheServersCaVerifiesTheCertificateAndWorks(@Tls EmbeddedRedis redis, TlsMaterial tls) {
        StoreConfig config = StoreConfig.builder().url(redis.url()).tlsCaFile(tls.caCert()).build();
        assertThat(config.tlsVerify()).isEqualTo(TlsVerify.FULL);
        try (KvCacheStore store = KvCacheStore.open(config)) {
            roundTrip(store);
        }
    }

    @Test
    void aTlsClusterWorksThroughRedissCluster(@Tls dev.lmcache.redis.embedded.EmbeddedRedisCluster cluster, TlsMaterial tls) {
        assertThat(cluster.url()).startsWith("rediss-cluster://");
        StoreConfig config = StoreConfig.builder().url(cluster.url()).tlsCaFile(tls.caCert()).build();
        try (KvCacheStore store = KvCacheStore.open(config)) {
            roundTrip(store);
        }
    }

    @Test
    void tlsRefusesAServerCertificateFromAnotherCa(@Tls EmbeddedRedis redis, TlsMaterial tls) {
        StoreConfig config = StoreConfig.builder().url(redis.url()).tlsCaFile(tls.otherCaCert()).build();
        assertThatThrownBy(() -> KvCacheStore.open(config)).isInstanceOf(KvCacheException.class)
                .hasMessageContaining("cannot connect");
    }

    @Test
    void tlsVerifyNoneConnectsOnlyBecauseItWasAskedFor(@Tls EmbeddedRedis redis) {
        StoreConfig config = StoreConfig.builder().url(redis.url()).tlsVerify(TlsVerify.NONE).build();
        try (KvCacheStore store = KvCacheStore.open(config)) {
            roundTrip(store);
        }
    }

    @Test
    void aUrlEncodedPasswordWithSpecialCharactersAuthenticates() {
        String pw = "p@ss:w/rd#1%";
        try (EmbeddedRedis redis = EmbeddedRedis.builder().password(pw).start()) {
            String url = redis.url().replace("redis://", "redis://:" + URLEncoder.encode(pw, StandardCharsets.UTF_8) + "@");
            try (KvCacheStore store = KvCacheStore.open(url)) {
                roundTrip(store);
                assertThat(store.toString()).doesNotContain(pw);
                assertThat(store.config().toString()).doesNotContain(pw).doesNotContain("p@ss");
            }
        }
    }

    @Test
    void aWrongPasswordFailsAtOpenWithoutRevealingIt(@Password EmbeddedRedis redis) {
        String url = redis.url().replace("redis://", "redis://:Wr0ngSecret%40x@");
        assertThatThrownBy(() -> KvCacheStore.open(url))
                .isInstanceOf(KvCacheException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("Wr0ngSecret"));
    }

    @Test
    void sentinelModeFindsTheMasterByName(EmbeddedSentinel sentinel) {
        StoreConfig config = StoreConfig.builder().url(sentinel.url()).sentinelMasterName(sentinel.masterName()).build();
        try (KvCacheStore store = KvCacheStore.open(config)) {
            roundTrip(store);
        }
    }
}
