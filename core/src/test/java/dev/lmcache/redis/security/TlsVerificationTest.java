package dev.lmcache.redis.security;

import static dev.lmcache.redis.TestChunks.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import dev.lmcache.redis.ChunkKey;
import dev.lmcache.redis.KvCacheException;
import dev.lmcache.redis.KvCacheStore;
import dev.lmcache.redis.KvChunk;
import dev.lmcache.redis.StoreConfig;
import dev.lmcache.redis.TestChunks;
import dev.lmcache.redis.TlsVerify;
import dev.lmcache.redis.embedded.EmbeddedRedis;
import dev.lmcache.redis.embedded.RedisExtension;
import dev.lmcache.redis.embedded.Tls;
import dev.lmcache.redis.embedded.TlsMaterial;
import dev.lmcache.redis.fault.Faults;
import dev.lmcache.redis.fault.LogCapture;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The store talks only to the server it was told to trust: certificates from another CA or for
 * another host name are refused, verification is off only when asked for (and says so), and a
 * server requiring client certificates gets one.
 */
@ExtendWith(RedisExtension.class)
class TlsVerificationTest {

    private static void roundTrip(KvCacheStore store) {
        ChunkKey k = TestChunks.key("security/tls");
        KvChunk c = TestChunks.chunk(2048, 5);
        store.sync().put(k, c);
        assertThat(bytes(store.sync().get(k).orElseThrow().data())).isEqualTo(bytes(c.data()));
    }

    @Test
    void aServerCertificateFromAnotherCaIsRefused(@Tls EmbeddedRedis redis, TlsMaterial tls) {
        StoreConfig config = Faults.config(redis.url()).tlsCaFile(tls.otherCaCert()).build();
        assertThatThrownBy(() -> KvCacheStore.open(config)).isInstanceOf(KvCacheException.class)
                .hasMessageContaining("cannot connect to rediss://localhost:" + redis.clientPort())
                .satisfies(e -> assertThat(Faults.messages(e)).containsAnyOf("certification path", "PKIX", "certificate"));
    }

    @Test
    void withoutACaFileTheTestCaIsNotTrustedAndTheConnectionIsRefused(@Tls EmbeddedRedis redis) {
        StoreConfig config = Faults.config(redis.url()).build();
        assertThat(config.tlsVerify()).as("verification is on by default").isEqualTo(TlsVerify.FULL);
        assertThatThrownBy(() -> KvCacheStore.open(config)).isInstanceOf(KvCacheException.class)
                .satisfies(e -> assertThat(Faults.messages(e)).containsAnyOf("certification path", "PKIX", "certificate"));
    }

    @Test
    void aCertificateForAnotherHostNameIsRefusedUnlessOnlyTheCaIsVerified() {
        TlsMaterial wrongHost = TlsMaterial.generate("wrong.example");
        try (EmbeddedRedis redis = EmbeddedRedis.builder().tls(wrongHost).start()) {
            StoreConfig full = Faults.config(redis.url()).tlsCaFile(wrongHost.caCert()).build();
            assertThatThrownBy(() -> KvCacheStore.open(full)).isInstanceOf(KvCacheException.class)
                    .satisfies(e -> assertThat(Faults.messages(e)).containsAnyOf("localhost", "subject alternative", "name"));
            StoreConfig caOnly = full.toBuilder().tlsVerify(TlsVerify.CA).build();
            try (KvCacheStore store = KvCacheStore.open(caOnly)) {
                roundTrip(store);
            }
        }
    }

    @Test
    void tlsVerifyNoneConnectsToAnyCertificateAndWarnsThatItDoesNotVerify() {
        TlsMaterial wrongHost = TlsMaterial.generate("wrong.example");
        try (EmbeddedRedis redis = EmbeddedRedis.builder().tls(wrongHost).start();
             LogCapture log = LogCapture.of("dev.lmcache.redis", Level.WARN)) {
            StoreConfig config = Faults.config(redis.url()).tlsVerify(TlsVerify.NONE).build();
            try (KvCacheStore store = KvCacheStore.open(config)) {
                roundTrip(store);
            }
            assertThat(log.messages(Level.WARN)).anySatisfy(m -> assertThat(m).containsIgnoringCase("not verified"));
        }
    }

    @Test
    void verifiedTlsLogsNoVerificationWarning(@Tls EmbeddedRedis redis, TlsMaterial tls) {
        try (LogCapture log = LogCapture.of("dev.lmcache.redis", Level.WARN);
             KvCacheStore store = KvCacheStore.open(Faults.config(redis.url()).tlsCaFile(tls.caCert()).build())) {
            roundTrip(store);
            assertThat(log.messages(Level.WARN)).noneSatisfy(m -> assertThat(m).containsIgnoringCase("verif"));
        }
    }

    @Test
    void aServerRequiringClientCertificatesAcceptsTheStoresAndRefusesAStoreWithout(TlsMaterial tls) {
        try (EmbeddedRedis redis = EmbeddedRedis.builder().tls(tls).requireClientCert(true).start()) {
            StoreConfig withoutCert = Faults.config(redis.url()).tlsCaFile(tls.caCert()).build();
            assertThatThrownBy(() -> {
                try (KvCacheStore store = KvCacheStore.open(withoutCert)) {
                    store.sync().ping();
                }
            }).isInstanceOf(KvCacheException.class);

            StoreConfig withCert = withoutCert.toBuilder().tlsCertFile(tls.clientCert()).tlsKeyFile(tls.clientKey()).build();
            try (KvCacheStore store = KvCacheStore.open(withCert)) {
                roundTrip(store);
                assertThat(store.sync().batchedContains(List.of())).isZero();
            }
        }
    }
}
