package dev.lmcache.redis.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lmcache.redis.ConfigException;
import dev.lmcache.redis.HostAndPort;
import dev.lmcache.redis.KeyLayout;
import dev.lmcache.redis.RedisMode;
import dev.lmcache.redis.StoreConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvironmentConfigTest {

    @TempDir
    Path dir;

    @Test
    void lmcacheVariablesConfigureTheStore() {
        StoreConfig c = StoreConfig.fromEnvironment(Map.of(
                "LMCACHE_REMOTE_URL", "redis://h:6379",
                "LMCACHE_CHUNK_SIZE", "512",
                "LMCACHE_BLOCKING_TIMEOUT_SECS", "2.5",
                "LMCACHE_REMOTE_SERDE", "naive",
                "LMCACHE_EXTRA_CONFIG", "{\"redis_mode\": \"cluster\", \"chunk_size\": 50, \"use_tls\": \"true\","
                        + " \"key_layout\": \"tagged\", \"max_inflight_bytes\": \"2g\"}",
                "LMCACHE_LOCAL_CPU", "True"));

        assertThat(c.endpoints()).containsExactly(new HostAndPort("h", 6379));
        assertThat(c.chunkSizeTokens()).isEqualTo(512);
        assertThat(c.requestTimeout()).isEqualTo(Duration.ofMillis(2500));
        assertThat(c.mode()).isEqualTo(RedisMode.CLUSTER);
        assertThat(c.maxKeysPerCommand()).isEqualTo(50);
        assertThat(c.tls()).isTrue();
        assertThat(c.keyLayout()).isEqualTo(KeyLayout.TAGGED);
        assertThat(c.maxInflightBytes()).isEqualTo(2L << 30);
    }

    @Test
    void variablesOverrideTheConfigFileKeyByKey() throws IOException {
        Path file = Files.writeString(dir.resolve("lmcache.yaml"), """
                chunk_size: 128
                remote_url: redis://from-file:6379
                extra_config:
                  num_workers: 2
                  key_layout: tagged
                """);
        StoreConfig fileOnly = StoreConfig.fromEnvironment(Map.of("LMCACHE_CONFIG_FILE", file.toString()));
        StoreConfig overridden = StoreConfig.fromEnvironment(Map.of(
                "LMCACHE_CONFIG_FILE", file.toString(),
                "LMCACHE_REMOTE_URL", "redis://from-env:6380",
                "LMCACHE_EXTRA_CONFIG", "{\"num_workers\": 3}"));

        assertThat(fileOnly.endpoints()).containsExactly(new HostAndPort("from-file", 6379));
        assertThat(fileOnly.workers()).isEqualTo(2);
        assertThat(fileOnly.keyLayout()).isEqualTo(KeyLayout.TAGGED);
        assertThat(overridden.endpoints()).containsExactly(new HostAndPort("from-env", 6380));
        assertThat(overridden.chunkSizeTokens()).isEqualTo(128);
        assertThat(overridden.workers()).isEqualTo(3);
        // LMCACHE_EXTRA_CONFIG replaces the file's extra_config, as in LMCache.
        assertThat(overridden.keyLayout()).isEqualTo(KeyLayout.LMCACHE);
    }

    @Test
    void sentinelMasterNameAndTimeoutComeFromTheGivenEnvironment() {
        StoreConfig c = StoreConfig.fromEnvironment(Map.of(
                "LMCACHE_REMOTE_URL", "redis-sentinel://s1:26379,s2:26379",
                "REDIS_SERVICE_NAME", "cache-master",
                "REDIS_TIMEOUT", "3"));

        assertThat(c.mode()).isEqualTo(RedisMode.SENTINEL);
        assertThat(c.sentinelMasterName()).isEqualTo("cache-master");
        assertThat(c.sentinelTimeout()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void invalidVariableIsNamed() {
        assertThatThrownBy(() -> StoreConfig.fromEnvironment(Map.of(
                "LMCACHE_REMOTE_URL", "redis://h", "LMCACHE_CHUNK_SIZE", "-1")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("chunk_size (from LMCACHE_CHUNK_SIZE): '-1' is invalid")
                .hasMessageContaining("accepted: an integer >= 1");
        assertThatThrownBy(() -> StoreConfig.fromEnvironment(Map.of("LMCACHE_REMOTE_URL", "ftp://h")))
                .hasMessageContaining("remote_url (from LMCACHE_REMOTE_URL) 'ftp://h'");
    }

    @Test
    void invalidExtraConfigJsonIsNamedWithoutItsText() {
        assertThatThrownBy(() -> StoreConfig.fromEnvironment(Map.of("LMCACHE_REMOTE_URL", "redis://h",
                "LMCACHE_EXTRA_CONFIG", "{\"redis_password\": \"hunter2\", ")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("extra_config (from LMCACHE_EXTRA_CONFIG) is not valid YAML/JSON")
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> StoreConfig.fromEnvironment(Map.of("LMCACHE_REMOTE_URL", "redis://h",
                "LMCACHE_EXTRA_CONFIG", "[1, 2]")))
                .hasMessageContaining("accepted: a mapping (JSON object)");
    }

    @Test
    void extraConfigKeyErrorsSayTheyCameFromTheVariable() {
        assertThatThrownBy(() -> StoreConfig.fromEnvironment(Map.of("LMCACHE_REMOTE_URL", "redis://h",
                "LMCACHE_EXTRA_CONFIG", "{\"num_workers\": \"many\"}")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("extra_config.num_workers (from LMCACHE_EXTRA_CONFIG): 'many' is invalid");
    }

    @Test
    void missingConfigFileIsNamed() {
        Path missing = dir.resolve("none.yaml");
        assertThatThrownBy(() -> StoreConfig.fromEnvironment(Map.of("LMCACHE_CONFIG_FILE", missing.toString())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(missing + "' does not exist");
    }

    @Test
    void emptyEnvironmentHasNoServer() {
        assertThatThrownBy(() -> StoreConfig.fromEnvironment(Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("remote_url is not set");
    }
}
