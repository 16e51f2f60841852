package dev.lmcache.redis.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.lmcache.redis.ConfigException;
import dev.lmcache.redis.HostAndPort;
import dev.lmcache.redis.KeyLayout;
import dev.lmcache.redis.RedisMode;
import dev.lmcache.redis.StoreConfig;
import dev.lmcache.redis.TlsVerify;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class StoreConfigBuilderTest {

    // 53 characters: a length that appears nowhere else in a toString.
    private static final String SECRET = "Zq9-very-secret-pw-that-is-long-enough-to-be-distinct";

    @TempDir
    Path dir;

    @Test
    void defaultsMatchLmcacheAndTheDocumentedValues() {
        StoreConfig c = StoreConfig.builder().endpoints(new HostAndPort("h", 6379)).build();

        assertThat(c.mode()).isEqualTo(RedisMode.STANDALONE);
        assertThat(c.database()).isZero();
        assertThat(c.tls()).isFalse();
        assertThat(c.tlsVerify()).isEqualTo(TlsVerify.FULL);
        assertThat(c.keyLayout()).isEqualTo(KeyLayout.LMCACHE);
        assertThat(c.keyPrefix()).isEmpty();
        assertThat(c.chunkSizeTokens()).isEqualTo(256);
        assertThat(c.requestTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.maxInflightBytes()).isEqualTo(1L << 30);
        assertThat(c.maxKeysPerCommand()).isEqualTo(256);
        assertThat(c.maxBytesPerCommand()).isEqualTo(64L << 20);
        assertThat(c.workers()).isEqualTo(4);
        assertThat(c.ttlSeconds()).isZero();
        assertThat(c.ttlRefreshOnHit()).isTrue();
        assertThat(c.topologyRefreshPeriod()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.singleChunkShape()).isEmpty();
        assertThat(c.singleChunkDtype()).isEmpty();
        assertThat(c.singleChunkFmt()).isEqualTo(1);
        assertThat(c.metricsEnabled()).isFalse();
        assertThat(c.redactedUrl()).isEqualTo("redis://h:6379");
    }

    @Test
    void everySetterIsReflectedInTheAccessors() throws IOException {
        Path ca = Files.writeString(dir.resolve("ca.pem"), "ca");
        Path cert = Files.writeString(dir.resolve("cert.pem"), "cert");
        Path key = Files.writeString(dir.resolve("key.pem"), "key");
        StoreConfig c = StoreConfig.builder()
                .endpoints(List.of(new HostAndPort("a", 1), new HostAndPort("b", 2)))
                .mode(RedisMode.CLUSTER)
                .tls(true).tlsVerify(TlsVerify.CA).tlsCaFile(ca).tlsCertFile(cert).tlsKeyFile(key)
                .username("u").password(SECRET)
                .keyLayout(KeyLayout.TAGGED).keyPrefix("tenant-1")
                .chunkSizeTokens(128)
                .requestTimeout(Duration.ofMillis(1500)).connectTimeout(Duration.ofSeconds(3))
                .maxInflightBytes(512L << 20).maxKeysPerCommand(64).maxBytesPerCommand(8L << 20)
                .workers(8).ttlSeconds(3600).ttlRefreshOnHit(false)
                .topologyRefreshPeriod(Duration.ZERO)
                .singleChunkShape(List.of(2, 32, 128, 1024)).singleChunkDtype("torch.BFloat16").singleChunkFmt(1)
                .metricsEnabled(true)
                .build();

        assertThat(c.endpoints()).containsExactly(new HostAndPort("a", 1), new HostAndPort("b", 2));
        assertThat(c.mode()).isEqualTo(RedisMode.CLUSTER);
        assertThat(c.tls()).isTrue();
        assertThat(c.tlsVerify()).isEqualTo(TlsVerify.CA);
        assertThat(c.tlsCaFile()).contains(ca);
        assertThat(c.tlsCertFile()).contains(cert);
        assertThat(c.tlsKeyFile()).contains(key);
        assertThat(c.username()).contains("u");
        assertThat(new String(c.password().orElseThrow())).isEqualTo(SECRET);
        assertThat(c.keyLayout()).isEqualTo(KeyLayout.TAGGED);
        assertThat(c.keyPrefix()).contains("tenant-1");
        assertThat(c.chunkSizeTokens()).isEqualTo(128);
        assertThat(c.requestTimeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(c.connectTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(c.maxInflightBytes()).isEqualTo(512L << 20);
        assertThat(c.maxKeysPerCommand()).isEqualTo(64);
        assertThat(c.maxBytesPerCommand()).isEqualTo(8L << 20);
        assertThat(c.workers()).isEqualTo(8);
        assertThat(c.ttlSeconds()).isEqualTo(3600);
        assertThat(c.ttlRefreshOnHit()).isFalse();
        assertThat(c.topologyRefreshPeriod()).isZero();
        assertThat(c.singleChunkShape()).contains(List.of(2, 32, 128, 1024));
        assertThat(c.singleChunkDtype()).contains("bfloat16");
        assertThat(c.metricsEnabled()).isTrue();
        assertThat(c.redactedUrl()).isEqualTo("redis-cluster://u:***@a:1,b:2");
    }

    @Test
    void passwordIsCopiedInAndOut() {
        char[] given = SECRET.toCharArray();
        StoreConfig c = StoreConfig.builder().endpoints(new HostAndPort("h", 1)).password(given).build();
        java.util.Arrays.fill(given, 'x');
        char[] first = c.password().orElseThrow();
        java.util.Arrays.fill(first, 'y');

        assertThat(new String(c.password().orElseThrow())).isEqualTo(SECRET);
    }

    @Test
    void toStringListsEverySettingButNeverThePasswordNorItsLength() {
        StoreConfig c = StoreConfig.builder().url("redis://alice:" + SECRET + "@h:6379/2").workers(6).build();

        String s = c.toString();
        assertThat(s).doesNotContain(SECRET).doesNotContain(String.valueOf(SECRET.length()))
                .contains("password=***").contains("username=alice").contains("workers=6").contains("database=2")
                .contains("url=redis://alice:***@h:6379/2").contains("keyLayout=lmcache")
                .contains("maxInflightBytes=1073741824").contains("ttlRefreshOnHit=true");
        assertThat(c.redactedUrl()).doesNotContain(SECRET);
        assertThat(StoreConfig.fromUrl("redis://h").toString()).contains("password=none");
    }

    @Test
    void encodedPasswordNeverAppearsDecodedOrEncoded() {
        String encoded = "p%40ss%3Aw%2Fd%23";
        StoreConfig c = StoreConfig.fromUrl("redis://bob:" + encoded + "@h:6379");

        assertThat(c.toString()).doesNotContain(encoded).doesNotContain("p@ss:w/d#");
        assertThat(c.redactedUrl()).isEqualTo("redis://bob:***@h:6379");
    }

    @Test
    void toBuilderRebuildsAnEqualConfigurationAndKeepsTheUrl() {
        StoreConfig c = StoreConfig.builder().url("valkey://u:" + SECRET + "@h:6379/3").workers(5).build();

        assertThat(c.toBuilder().build()).isEqualTo(c);
        StoreConfig changed = c.toBuilder().url("valkey://other:6379").build();
        assertThat(changed.endpoints()).containsExactly(new HostAndPort("other", 6379));
        assertThat(changed.workers()).isEqualTo(5);
        assertThat(changed.keyLayout()).isEqualTo(KeyLayout.SINGLE);
        assertThat(changed).isNotEqualTo(c);
    }

    @Test
    void builderWithoutServerNamesRemoteUrl() {
        assertThatThrownBy(() -> StoreConfig.builder().build())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("remote_url is not set")
                .hasMessageContaining("redis://host:port");
    }

    @Test
    void endpointsAndUnixSocketTogetherAreRejected() {
        assertThatThrownBy(() -> StoreConfig.builder().endpoints(new HostAndPort("h", 1))
                .unixSocket(Path.of("/tmp/r.sock")).build())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("endpoints and unixSocket")
                .hasMessageContaining("accepted: one of them");
    }

    @Test
    void unixSocketOnlyWorksStandaloneAndWithoutTls() {
        assertThatThrownBy(() -> StoreConfig.builder().url("unix:///tmp/r.sock").mode(RedisMode.CLUSTER).build())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("mode cluster cannot use a unix socket")
                .hasMessageContaining("accepted: mode standalone");
        assertThatThrownBy(() -> StoreConfig.builder().url("unix:///tmp/r.sock").tls(true).build())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("tls: true is invalid with a unix socket");
    }

    @Test
    void tlsSettingsWithoutTlsAreRejectedNamingThem() throws IOException {
        Path ca = Files.writeString(dir.resolve("ca.pem"), "ca");
        assertThatThrownBy(() -> StoreConfig.builder().url("redis://h").tlsCaFile(ca).tlsVerify(TlsVerify.CA).build())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("tls_verify, tls_ca_file given but TLS is off")
                .hasMessageContaining("rediss://");
    }

    @Test
    void clientCertificateWithoutKeyIsRejected() throws IOException {
        Path cert = Files.writeString(dir.resolve("cert.pem"), "cert");
        assertThatThrownBy(() -> StoreConfig.builder().url("rediss://h").tlsCertFile(cert).build())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("tls_cert_file is set but tls_key_file is not")
                .hasMessageContaining("accepted: both (mutual TLS) or neither");
    }

    @Test
    void missingTlsFileIsNamed() {
        Path missing = dir.resolve("nope.pem");
        assertThatThrownBy(() -> StoreConfig.builder().url("rediss://h").tlsCaFile(missing).build())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("tls_ca_file")
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("does not exist")
                .hasMessageContaining("accepted: the path of a readable PEM file");
    }

    @Test
    void tlsVerifyNoneIsAllowedExplicitlyAndWarnsOnBuild() {
        Logger logger = (Logger) LoggerFactory.getLogger(StoreConfig.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try {
            StoreConfig c = StoreConfig.builder().url("rediss://u:" + SECRET + "@h").tlsVerify(TlsVerify.NONE).build();

            assertThat(c.tlsVerify()).isEqualTo(TlsVerify.NONE);
            assertThat(appender.list).filteredOn(e -> e.getLevel() == Level.WARN)
                    .extracting(ILoggingEvent::getFormattedMessage)
                    .singleElement().satisfies(m -> assertThat(m)
                            .contains("tls_verify=none: server certificates are NOT verified")
                            .doesNotContain(SECRET));
        } finally {
            logger.detachAppender(appender);
        }
    }

    @Test
    void severalEndpointsInStandaloneModeAreRejected() {
        assertThatThrownBy(() -> StoreConfig.builder().endpoints(new HostAndPort("a", 1), new HostAndPort("b", 2))
                .build())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("mode standalone takes one endpoint, got 2 (a:1,b:2)");
    }

    @Test
    void nonzeroDatabaseInClusterModeIsRejected() {
        assertThatThrownBy(() -> StoreConfig.builder().url("redis://h").mode(RedisMode.CLUSTER).database(3).build())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("database: 3 is invalid in mode cluster")
                .hasMessageContaining("accepted: 0");
    }

    @Test
    void sentinelModeKeepsTheDatabase() {
        assertThat(StoreConfig.builder().url("redis-sentinel://s:26379/2").build().database()).isEqualTo(2);
    }

    @Test
    void bytesPerCommandAboveTheInflightBoundAreRejected() {
        assertThatThrownBy(() -> StoreConfig.builder().url("redis://h").maxInflightBytes(2L << 20)
                .maxBytesPerCommand(4L << 20).build())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("max_bytes_per_command")
                .hasMessageContaining("max_inflight_bytes");
    }

    @Test
    void singleLayoutWithoutGeometryIsValid() {
        StoreConfig c = StoreConfig.fromUrl("valkey://h:6379");

        assertThat(c.keyLayout()).isEqualTo(KeyLayout.SINGLE);
        assertThat(c.singleChunkShape()).isEmpty();
        assertThat(c.singleChunkDtype()).isEmpty();
    }

    @Test
    void singleChunkShapeMustHaveTheChunkSizeAsItsTokenDimension() {
        assertThatThrownBy(() -> StoreConfig.builder().url("valkey://h").singleChunkShape(List.of(2, 32, 128, 1024))
                .build())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("single_chunk_shape")
                .hasMessageContaining("chunkSizeTokens (chunk_size) is 256")
                .hasMessageContaining("accepted: a shape whose token dimension equals chunk_size");
        assertThat(StoreConfig.builder().url("valkey://h").singleChunkShape(List.of(1, 61, 128, 576))
                .singleChunkFmt(6).build().singleChunkShape()).contains(List.of(1, 61, 128, 576));
    }

    @Test
    void setterErrorsNameTheSettingTheValueAndTheAcceptedValues() {
        StoreConfig.Builder b = StoreConfig.builder();
        assertThatThrownBy(() -> b.workers(0)).isInstanceOf(ConfigException.class)
                .hasMessage("workers: 0 is invalid; accepted: an integer >= 1 (default 4)");
        assertThatThrownBy(() -> b.maxInflightBytes(1000)).hasMessageContaining("maxInflightBytes: 1000")
                .hasMessageContaining("accepted: at least 1048576 (1 MiB)");
        assertThatThrownBy(() -> b.requestTimeout(Duration.ZERO)).hasMessageContaining("requestTimeout: PT0S")
                .hasMessageContaining("accepted: a positive duration");
        assertThatThrownBy(() -> b.connectTimeout(Duration.ofSeconds(-1))).hasMessageContaining("connectTimeout")
                .hasMessageContaining("accepted: a positive duration");
        assertThatThrownBy(() -> b.chunkSizeTokens(0)).hasMessageContaining("chunkSizeTokens: 0")
                .hasMessageContaining("accepted: an integer >= 1");
        assertThatThrownBy(() -> b.maxKeysPerCommand(0)).hasMessageContaining("maxKeysPerCommand: 0")
                .hasMessageContaining("accepted: an integer >= 1");
        assertThatThrownBy(() -> b.maxBytesPerCommand(0)).hasMessageContaining("maxBytesPerCommand: 0")
                .hasMessageContaining("accepted: an integer >= 1");
        assertThatThrownBy(() -> b.ttlSeconds(-1)).hasMessageContaining("ttlSeconds: -1")
                .hasMessageContaining("accepted: an integer >= 0");
        assertThatThrownBy(() -> b.database(-1)).hasMessageContaining("database: -1")
                .hasMessageContaining("accepted: an integer >= 0");
        assertThatThrownBy(() -> b.topologyRefreshPeriod(Duration.ofSeconds(-1)))
                .hasMessageContaining("topologyRefreshPeriod").hasMessageContaining("accepted: a duration >= 0");
        assertThatThrownBy(() -> b.singleChunkShape(List.of(2, 0))).hasMessageContaining("singleChunkShape: [2, 0]")
                .hasMessageContaining("accepted: 1 to 4 dimensions");
        assertThatThrownBy(() -> b.singleChunkShape(List.of(1, 2, 3, 4, 5))).hasMessageContaining("singleChunkShape");
        assertThatThrownBy(() -> b.singleChunkDtype("float128")).hasMessageContaining("singleChunkDtype: 'float128'")
                .hasMessageContaining("bfloat16").hasMessageContaining("half");
        assertThatThrownBy(() -> b.singleChunkFmt(-1)).hasMessageContaining("singleChunkFmt: -1")
                .hasMessageContaining("accepted: an integer >= 0");
        assertThatThrownBy(() -> b.sentinelMasterName(" ")).hasMessageContaining("sentinelMasterName")
                .hasMessageContaining("accepted: a non-blank master name");
        assertThatThrownBy(() -> b.endpoints(List.of())).hasMessageContaining("endpoints: []")
                .hasMessageContaining("accepted: one or more host:port");
    }

    @Test
    void keyPrefixRejectsAtGlobCharactersAndEmptiness() {
        for (String bad : List.of("", "a@b", "a*", "a?", "a[1]", "a\\b", "{tag}", "a b")) {
            assertThatThrownBy(() -> StoreConfig.builder().keyPrefix(bad))
                    .as(bad)
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("keyPrefix: '" + bad + "'")
                    .hasMessageContaining("accepted: a non-empty string without '@', whitespace or glob characters");
        }
        assertThat(StoreConfig.builder().url("redis://h").keyPrefix("team-a:v1").build().keyPrefix())
                .contains("team-a:v1");
    }
}
