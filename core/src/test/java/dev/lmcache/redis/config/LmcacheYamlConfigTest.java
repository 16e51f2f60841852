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
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class LmcacheYamlConfigTest {

    @TempDir
    Path dir;

    private Path yaml(String text) throws IOException {
        return Files.writeString(dir.resolve("lmcache.yaml"), text);
    }

    @Test
    void plainLmcacheFileReadsUrlChunkSizeTimeoutAndSerdeAndIgnoresLmcacheOwnKeys() throws IOException {
        StoreConfig c = StoreConfig.fromLmcacheYaml(yaml("""
                chunk_size: 128
                local_cpu: true
                max_local_cpu_size: 5.0
                remote_url: "redis://cache:6379"
                remote_serde: "naive"
                blocking_timeout_secs: 3
                """));

        assertThat(c.endpoints()).containsExactly(new HostAndPort("cache", 6379));
        assertThat(c.chunkSizeTokens()).isEqualTo(128);
        assertThat(c.requestTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(c.keyLayout()).isEqualTo(KeyLayout.LMCACHE);
    }

    @Test
    void enhancedConnectorExtraConfigIsUnderstood() throws IOException {
        StoreConfig c = StoreConfig.fromLmcacheYaml(yaml("""
                chunk_size: 256
                remote_url: "redis://redis-12345.cloud.example:12345"
                remote_serde: naive
                extra_config:
                  redis_mode: cluster
                  redis_database: 0
                  redis_username: default
                  redis_password: "p@ss:w/rd#1"
                  use_tls: true
                  max_connections: 150
                  chunk_size: 100
                  key_layout: tagged
                """));

        assertThat(c.mode()).isEqualTo(RedisMode.CLUSTER);
        assertThat(c.username()).contains("default");
        assertThat(new String(c.password().orElseThrow())).isEqualTo("p@ss:w/rd#1");
        assertThat(c.tls()).isTrue();
        assertThat(c.maxKeysPerCommand()).isEqualTo(100);
        assertThat(c.chunkSizeTokens()).isEqualTo(256);
        assertThat(c.keyLayout()).isEqualTo(KeyLayout.TAGGED);
        assertThat(c.redactedUrl()).isEqualTo("redis://default:***@redis-12345.cloud.example:12345");
    }

    @Test
    void valkeyExtraConfigIsUnderstood() throws IOException {
        StoreConfig c = StoreConfig.fromLmcacheYaml(yaml("""
                chunk_size: 256
                remote_url: "valkey://vk1:6379"
                remote_serde: naive
                extra_config:
                  valkey_mode: standalone
                  valkey_username: lm
                  valkey_password: secret
                  valkey_database: 2
                  tls_enable: false
                  valkey_num_workers: 8
                  valkey_enable_ttl: true
                  request_timeout: 5.5
                  connection_timeout: 10
                  save_chunk_meta: false
                  single_chunk_shape: [2, 32, 256, 1024]
                  single_chunk_dtype: bfloat16
                """));

        assertThat(c.mode()).isEqualTo(RedisMode.STANDALONE);
        assertThat(c.keyLayout()).isEqualTo(KeyLayout.SINGLE);
        assertThat(c.username()).contains("lm");
        assertThat(c.database()).isEqualTo(2);
        assertThat(c.tls()).isFalse();
        assertThat(c.workers()).isEqualTo(8);
        assertThat(c.ttlSeconds()).isEqualTo(86_400);
        assertThat(c.requestTimeout()).isEqualTo(Duration.ofMillis(5500));
        assertThat(c.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.singleChunkShape()).contains(List.of(2, 32, 256, 1024));
        assertThat(c.singleChunkDtype()).contains("bfloat16");
    }

    @Test
    void valkeyTtlSecondsApplyOnlyWhenTtlIsEnabled() {
        assertThat(StoreConfig.fromMap(Map.of("remote_url", "valkey://h",
                "extra_config", Map.of("valkey_enable_ttl", true, "valkey_ttl_sec", 60))).ttlSeconds()).isEqualTo(60);
        assertThat(StoreConfig.fromMap(Map.of("remote_url", "valkey://h",
                "extra_config", Map.of("valkey_ttl_sec", 60))).ttlSeconds()).isZero();
    }

    @Test
    void valkeyModeClusterMakesASingleValkeyHostACluster() {
        StoreConfig c = StoreConfig.fromMap(Map.of("remote_url", "valkey://vk:6379",
                "extra_config", Map.of("valkey_mode", "cluster")));

        assertThat(c.mode()).isEqualTo(RedisMode.CLUSTER);
    }

    @Test
    void saveChunkMetaTrueWithTheSingleLayoutIsRejectedWithTheReason() {
        assertThatThrownBy(() -> StoreConfig.fromMap(Map.of("remote_url", "valkey://h",
                "extra_config", Map.of("save_chunk_meta", true))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("extra_config.save_chunk_meta: true is invalid with key_layout single")
                .hasMessageContaining("without metadata")
                .hasMessageContaining("accepted: false, or key_layout tagged or lmcache");
        assertThat(StoreConfig.fromMap(Map.of("remote_url", "valkey://h",
                "extra_config", Map.of("save_chunk_meta", true, "key_layout", "tagged"))).keyLayout())
                .isEqualTo(KeyLayout.TAGGED);
    }

    @Test
    void lmcachesHashingSettingsAreReadForTokenLookups() {
        StoreConfig c = StoreConfig.fromMap(Map.of("remote_url", "redis://h", "chunk_size", 128,
                "pre_caching_hash_algorithm", "sha256_cbor", "save_unfull_chunk", "true"));
        StoreConfig defaults = StoreConfig.fromMap(Map.of("remote_url", "redis://h"));

        assertThat(c.hashAlgorithm()).contains(dev.lmcache.redis.HashAlgorithm.SHA256_CBOR);
        assertThat(c.saveUnfullChunk()).isTrue();
        dev.lmcache.redis.TokenHasher h = dev.lmcache.redis.TokenHasher.forConfig(c).seed("0").build();
        assertThat(h.profile()).isEqualTo(dev.lmcache.redis.HashProfile.IN_PROCESS);
        assertThat(h.chunkSize()).isEqualTo(128);
        assertThat(h.saveUnfullChunk()).isTrue();
        assertThat(defaults.hashAlgorithm()).isEmpty();
        assertThat(defaults.saveUnfullChunk()).isFalse();
        assertThatThrownBy(() -> StoreConfig.fromMap(Map.of("remote_url", "redis://h",
                "pre_caching_hash_algorithm", "md5")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("pre_caching_hash_algorithm")
                .hasMessageContaining("md5")
                .hasMessageContaining("sha256_cbor");
    }

    @Test
    void theMpObjectGroupDefaultsToZeroAndNoneSelectsTheNamesOfLmcacheBeforeJune2026() {
        Map<String, Object> mp = Map.of("key_layout", "mp");

        assertThat(StoreConfig.fromMap(Map.of("remote_url", "redis://h", "extra_config", mp)).mpObjectGroup())
                .hasValue(0);
        assertThat(StoreConfig.fromMap(Map.of("remote_url", "redis://h", "extra_config",
                Map.of("key_layout", "mp", "mp_object_group", "None"))).mpObjectGroup()).isEmpty();
        assertThat(StoreConfig.fromMap(Map.of("remote_url", "redis://h", "extra_config",
                Map.of("key_layout", "mp", "mp_object_group", 3))).mpObjectGroup()).hasValue(3);
        assertThatThrownBy(() -> StoreConfig.fromMap(Map.of("remote_url", "redis://h", "extra_config",
                Map.of("mp_object_group", "-1"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("mp_object_group")
                .hasMessageContaining("an integer >= 0, or none (names of LMCache before 2026-06-09)");
    }

    @Test
    void ourSettingsAreReadWithCoercionFromStringsNumbersAndBooleans(@TempDir Path tls) throws IOException {
        Path ca = Files.writeString(tls.resolve("ca.pem"), "x");
        StoreConfig c = StoreConfig.fromMap(Map.of("remote_url", "rediss://h:6380", "extra_config", Map.ofEntries(
                Map.entry("key_layout", "MP"),
                Map.entry("key_prefix", "tenant7"),
                Map.entry("max_inflight_bytes", "512mb"),
                Map.entry("max_keys_per_command", "64"),
                Map.entry("max_bytes_per_command", "16MiB"),
                Map.entry("num_workers", 6L),
                Map.entry("ttl_seconds", "3600"),
                Map.entry("ttl_refresh_on_hit", "false"),
                Map.entry("tls_verify", "ca"),
                Map.entry("tls_ca_file", ca.toString()),
                Map.entry("request_timeout_ms", 2500),
                Map.entry("connect_timeout_ms", "750"),
                Map.entry("topology_refresh_secs", 0),
                Map.entry("single_chunk_shape", "[1, 61, 256, 576]"),
                Map.entry("single_chunk_dtype", "BFLOAT16"),
                Map.entry("single_chunk_fmt", "6"),
                Map.entry("metrics", "yes"))));

        assertThat(c.keyLayout()).isEqualTo(KeyLayout.MP);
        assertThat(c.keyPrefix()).contains("tenant7");
        assertThat(c.maxInflightBytes()).isEqualTo(512L << 20);
        assertThat(c.maxKeysPerCommand()).isEqualTo(64);
        assertThat(c.maxBytesPerCommand()).isEqualTo(16L << 20);
        assertThat(c.workers()).isEqualTo(6);
        assertThat(c.ttlSeconds()).isEqualTo(3600);
        assertThat(c.ttlRefreshOnHit()).isFalse();
        assertThat(c.tlsVerify()).isEqualTo(dev.lmcache.redis.TlsVerify.CA);
        assertThat(c.tlsCaFile()).contains(ca);
        assertThat(c.requestTimeout()).isEqualTo(Duration.ofMillis(2500));
        assertThat(c.connectTimeout()).isEqualTo(Duration.ofMillis(750));
        assertThat(c.topologyRefreshPeriod()).isZero();
        assertThat(c.singleChunkShape()).contains(List.of(1, 61, 256, 576));
        assertThat(c.singleChunkDtype()).contains("bfloat16");
        assertThat(c.singleChunkFmt()).isEqualTo(6);
        assertThat(c.metricsEnabled()).isTrue();
    }

    @Test
    void ourKeysMayCarryTheLmcacheRedisNamespace() {
        StoreConfig c = StoreConfig.fromMap(Map.of("remote_url", "redis://h",
                "extra_config", Map.of("lmcache_redis_num_workers", 7, "lmcache_redis_key_layout", "tagged")));

        assertThat(c.workers()).isEqualTo(7);
        assertThat(c.keyLayout()).isEqualTo(KeyLayout.TAGGED);
    }

    @Test
    void unknownKeyWithOurPrefixFailsWithADidYouMeanSuggestion() {
        assertThatThrownBy(() -> StoreConfig.fromMap(Map.of("remote_url", "redis://h",
                "extra_config", Map.of("redis_pasword", "x"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("extra_config key 'redis_pasword' is not a known setting")
                .hasMessageContaining("did you mean 'redis_password'?")
                .hasMessageContaining("accepted: ")
                .hasMessageContaining("valkey_num_workers");
        assertThatThrownBy(() -> StoreConfig.fromMap(Map.of("remote_url", "redis://h",
                "extra_config", Map.of("tls_verfy", "full"))))
                .hasMessageContaining("did you mean 'tls_verify'?");
        assertThatThrownBy(() -> StoreConfig.fromMap(Map.of("remote_url", "redis://h",
                "extra_config", Map.of("lmcache_redis_num_wokers", 3))))
                .hasMessageContaining("did you mean 'lmcache_redis_num_workers'?");
        assertThatThrownBy(() -> StoreConfig.fromMap(Map.of("remote_url", "redis://h",
                "extra_config", Map.of("valkey_something_else", 3))))
                .hasMessageContaining("'valkey_something_else' is not a known setting")
                .hasMessageNotContaining("did you mean");
    }

    @Test
    void unknownKeysOfOtherLmcacheFeaturesAreIgnoredAndTyposWarned() {
        Logger logger = (Logger) LoggerFactory.getLogger(LmcacheConfigReader.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try {
            StoreConfig c = StoreConfig.fromMap(Map.of("remote_url", "redis://h",
                    "extra_config", Map.of("enable_nixl_feature", true, "num_wrokers", 9)));

            assertThat(c.workers()).isEqualTo(4);
            assertThat(appender.list).filteredOn(e -> e.getLevel() == Level.WARN)
                    .extracting(ILoggingEvent::getFormattedMessage)
                    .singleElement().asString().contains("num_wrokers").contains("did you mean 'num_workers'");
        } finally {
            logger.detachAppender(appender);
        }
    }

    @Test
    void twoKeysForOneSettingMustAgree() {
        assertThatThrownBy(() -> StoreConfig.fromMap(Map.of("remote_url", "redis://h",
                "extra_config", Map.of("num_workers", 4, "valkey_num_workers", 8))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("both set workers but disagree")
                .hasMessageContaining("num_workers")
                .hasMessageContaining("valkey_num_workers")
                .hasMessageContaining("accepted: one of them");
        assertThat(StoreConfig.fromMap(Map.of("remote_url", "redis://h",
                "extra_config", Map.of("request_timeout", 2, "request_timeout_ms", 2000))).requestTimeout())
                .isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void disagreeingPasswordsAreReportedWithoutTheirValues() {
        assertThatThrownBy(() -> StoreConfig.fromMap(Map.of("remote_url", "redis://h",
                "extra_config", Map.of("redis_password", "first-secret", "valkey_password", "second-secret"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("both set password")
                .hasMessageNotContaining("first-secret")
                .hasMessageNotContaining("second-secret");
    }

    @Test
    void extraConfigOverridesTheUrl() {
        StoreConfig c = StoreConfig.fromMap(Map.of("remote_url", "redis://u:urlpw@h:6379/1",
                "extra_config", Map.of("redis_database", "4", "redis_password", "cfgpw")));

        assertThat(c.database()).isEqualTo(4);
        assertThat(new String(c.password().orElseThrow())).isEqualTo("cfgpw");
        assertThat(c.username()).contains("u");
    }

    @Test
    void otherSerdesAreRejectedExplainingThatOnlyNaiveIsCompatible() {
        assertThatThrownBy(() -> StoreConfig.fromMap(Map.of("remote_url", "redis://h", "remote_serde", "cachegen")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("remote_serde: 'cachegen' is invalid")
                .hasMessageContaining("accepted: naive");
        Map<String, Object> nullSerde = new java.util.HashMap<>(Map.of("remote_url", "redis://h"));
        nullSerde.put("remote_serde", null);
        assertThat(StoreConfig.fromMap(nullSerde).chunkSizeTokens()).isEqualTo(256);
    }

    @Test
    void missingRemoteUrlIsNamed() throws IOException {
        assertThatThrownBy(() -> StoreConfig.fromLmcacheYaml(yaml("chunk_size: 256\n")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("remote_url is not set");
    }

    @Test
    void invalidValuesInTheFileNameTheKeyAndTheFile() throws IOException {
        Path file = yaml("remote_url: redis://h\nchunk_size: lots\n");
        assertThatThrownBy(() -> StoreConfig.fromLmcacheYaml(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("chunk_size (in " + file + "): 'lots' is invalid")
                .hasMessageContaining("accepted: an integer >= 1");
        Path badUrl = yaml("remote_url: mongodb://h\n");
        assertThatThrownBy(() -> StoreConfig.fromLmcacheYaml(badUrl))
                .hasMessageContaining("remote_url (in " + badUrl + ") 'mongodb://h'")
                .hasMessageContaining("accepted schemes");
    }

    @Test
    void missingFileIsNamed() {
        Path missing = dir.resolve("absent.yaml");
        assertThatThrownBy(() -> StoreConfig.fromLmcacheYaml(missing))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'" + missing + "' does not exist");
    }

    @Test
    void malformedYamlGivesThePositionButNotTheText() throws IOException {
        Path file = yaml("remote_url: redis://h\nextra_config:\n  redis_password: hunter2\n bad: : [\n");
        assertThatThrownBy(() -> StoreConfig.fromLmcacheYaml(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("is not valid YAML/JSON at line")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void duplicateKeysInYamlAreRejected() throws IOException {
        Path file = yaml("remote_url: redis://h\nchunk_size: 1\nchunk_size: 2\n");
        assertThatThrownBy(() -> StoreConfig.fromLmcacheYaml(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("duplicate key");
    }

    @Test
    void topLevelListIsRejected() throws IOException {
        Path file = yaml("- a\n- b\n");
        assertThatThrownBy(() -> StoreConfig.fromLmcacheYaml(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("accepted: a mapping");
    }
}
