package dev.lmcache.redis.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.lettuce.core.SslVerifyMode;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(RedisExtension.class)
class TlsTest {

    @Test
    void aClientTrustingTheGeneratedCaConnectsWithFullHostNameVerification(@Tls EmbeddedRedis redis, TlsMaterial tls) {
        assertThat(redis.url()).isEqualTo("rediss://localhost:" + redis.port());
        RedisClient client = TestClients.standalone(SslOptions.builder().jdkSslProvider().trustManager(tls.caCert().toFile()).build());
        try (StatefulRedisConnection<String, String> c = client.connect(redis.redisUri())) {
            c.sync().set("tls-test:full", "secure");
            assertThat(c.sync().get("tls-test:full")).isEqualTo("secure");
        } finally {
            TestClients.shutdown(client);
        }
    }

    @Test
    void aClientWithTheDefaultJvmTrustStoreIsRejected(@Tls EmbeddedRedis redis) {
        RedisClient client = TestClients.standalone(SslOptions.builder().jdkSslProvider().build());
        try {
            assertThatThrownBy(() -> client.connect(redis.redisUri()).close())
                    .isInstanceOf(RedisConnectionException.class)
                    .hasStackTraceContaining("PKIX");
        } finally {
            TestClients.shutdown(client);
        }
    }

    @Test
    void aClientTrustingAnUnrelatedCaIsRejected(@Tls EmbeddedRedis redis, TlsMaterial tls) {
        RedisClient client = TestClients.standalone(SslOptions.builder().jdkSslProvider().trustManager(tls.otherCaCert().toFile()).build());
        try {
            assertThatThrownBy(() -> client.connect(redis.redisUri()).close()).isInstanceOf(RedisConnectionException.class);
        } finally {
            TestClients.shutdown(client);
        }
    }

    @Test
    void aServerCertificateForAnotherHostIsRejectedWithFullVerificationOnly() {
        TlsMaterial wrongHost = TlsMaterial.generate("wrong.example");
        try (EmbeddedRedis redis = EmbeddedRedis.builder().tls(wrongHost).start()) {
            RedisClient client = TestClients.standalone(wrongHost.sslOptions());
            try {
                RedisURI full = RedisURI.builder(redis.redisUri()).withVerifyPeer(SslVerifyMode.FULL).build();
                assertThatThrownBy(() -> client.connect(full).close())
                        .isInstanceOf(RedisConnectionException.class)
                        .hasStackTraceContaining("No subject alternative DNS name matching localhost");
                // The same chain without the host-name check works, so the name alone caused the failure.
                RedisURI caOnly = RedisURI.builder(redis.redisUri()).withVerifyPeer(SslVerifyMode.CA).build();
                try (StatefulRedisConnection<String, String> c = client.connect(caOnly)) {
                    assertThat(c.sync().ping()).isEqualTo("PONG");
                }
            } finally {
                TestClients.shutdown(client);
            }
        }
    }

    @Test
    void mutualTlsRequiresTheClientCertificate(TlsMaterial tls) {
        try (EmbeddedRedis redis = EmbeddedRedis.builder().tls(tls).requireClientCert(true).start()) {
            RedisClient withoutCert = TestClients.standalone(SslOptions.builder().jdkSslProvider().trustManager(tls.caCert().toFile()).build());
            RedisClient withCert = TestClients.standalone(tls.sslOptions());
            try {
                assertThatThrownBy(() -> {
                    try (StatefulRedisConnection<String, String> c = withoutCert.connect(redis.redisUri())) {
                        c.sync().ping();
                    }
                }).isInstanceOf(RuntimeException.class);
                try (StatefulRedisConnection<String, String> c = withCert.connect(redis.redisUri())) {
                    assertThat(c.sync().ping()).isEqualTo("PONG");
                }
            } finally {
                TestClients.shutdown(withoutCert);
                TestClients.shutdown(withCert);
            }
        }
    }

    @Test
    void generatedMaterialIsPemWithUnencryptedPkcs8Keys(TlsMaterial tls) throws Exception {
        assertThat(Files.readString(tls.caCert())).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(Files.readString(tls.serverCert())).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(Files.readString(tls.clientCert())).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(Files.readString(tls.otherCaCert())).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(Files.readString(tls.serverKey())).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(Files.readString(tls.clientKey())).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(tls.serverHostNames()).containsExactly("localhost", "127.0.0.1");
        assertThatThrownBy(() -> TlsMaterial.generate(new String[0])).isInstanceOf(IllegalArgumentException.class);
    }
}
