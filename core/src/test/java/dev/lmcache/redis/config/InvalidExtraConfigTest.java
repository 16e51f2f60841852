package dev.lmcache.redis.config;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lmcache.redis.ConfigException;
import dev.lmcache.redis.StoreConfig;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every extra_config key, given a value it cannot take, fails naming itself and what it accepts. */
class InvalidExtraConfigTest {

    static Stream<Arguments> invalidSettings() {
        return Stream.of(
                Arguments.of("redis_mode", "replicated", "accepted: standalone, cluster, sentinel"),
                Arguments.of("valkey_mode", "ring", "accepted: standalone, cluster, sentinel"),
                Arguments.of("redis_database", "-1", "accepted: an integer >= 0"),
                Arguments.of("valkey_database", "one", "accepted: an integer >= 0"),
                Arguments.of("use_tls", "maybe", "accepted: true or false"),
                Arguments.of("tls_enable", 2, "accepted: true or false"),
                Arguments.of("max_connections", 0, "accepted: an integer >= 1"),
                Arguments.of("chunk_size", "big", "accepted: an integer >= 1"),
                Arguments.of("valkey_num_workers", 0, "accepted: an integer >= 1"),
                Arguments.of("valkey_enable_ttl", "sometimes", "accepted: true or false"),
                Arguments.of("valkey_ttl_sec", 0, "accepted: an integer >= 1"),
                Arguments.of("request_timeout", 0, "accepted: a number of seconds > 0"),
                Arguments.of("connection_timeout", "soon", "accepted: a number of seconds > 0"),
                Arguments.of("save_chunk_meta", "perhaps", "accepted: true or false"),
                Arguments.of("key_layout", "flat", "accepted: lmcache, tagged, single, mp"),
                Arguments.of("key_prefix", "a*b", "accepted: a non-empty string without '@'"),
                Arguments.of("max_inflight_bytes", "lots", "accepted: a byte count >= 1"),
                Arguments.of("max_inflight_bytes", "1k", "accepted: at least 1048576 (1 MiB)"),
                Arguments.of("max_keys_per_command", 0, "accepted: an integer >= 1"),
                Arguments.of("max_bytes_per_command", "12 parsecs", "accepted: a byte count >= 1"),
                Arguments.of("num_workers", 2.5, "accepted: an integer >= 1"),
                Arguments.of("ttl_seconds", -5, "accepted: an integer >= 0"),
                Arguments.of("ttl_refresh_on_hit", "often", "accepted: true or false"),
                Arguments.of("tls_verify", "partial", "accepted: full, ca, none"),
                Arguments.of("tls_ca_file", " ", "accepted: the path of a readable PEM file"),
                Arguments.of("request_timeout_ms", -1, "accepted: a number of milliseconds > 0"),
                Arguments.of("connect_timeout_ms", "x", "accepted: a number of milliseconds > 0"),
                Arguments.of("topology_refresh_secs", -1, "accepted: a number of seconds >= 0"),
                Arguments.of("single_chunk_shape", "[2, x]", "accepted: a list of integers >= 1"),
                Arguments.of("single_chunk_shape", List.of(1, 2, 3, 4, 5), "accepted: 1 to 4 dimensions"),
                Arguments.of("single_chunk_dtype", "complex64", "accepted: "),
                Arguments.of("single_chunk_dtype", "int32", "accepted: "),
                Arguments.of("single_chunk_fmt", -1, "accepted: an integer >= 0"),
                Arguments.of("metrics", "loud", "accepted: true or false"),
                Arguments.of("lmcache_redis_num_workers", -3, "accepted: an integer >= 1"));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("invalidSettings")
    void invalidValueNamesTheKeyAndTheAcceptedValues(String key, Object value, String accepted) {
        Map<String, Object> config = Map.of("remote_url", "rediss://h:6380", "extra_config", Map.of(key, value));

        assertThatThrownBy(() -> StoreConfig.fromMap(config))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("extra_config." + key)
                .hasMessageContaining(String.valueOf(value).strip().isEmpty() ? "" : String.valueOf(value))
                .hasMessageContaining(accepted);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("secrets")
    void invalidSecretNeverShowsItsValue(String key) {
        Map<String, Object> config = Map.of("remote_url", "redis://h",
                "extra_config", Map.of(key, List.of("hunter2")));

        assertThatThrownBy(() -> StoreConfig.fromMap(config))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("extra_config." + key)
                .hasMessageContaining("accepted: a string")
                .hasMessageNotContaining("hunter2");
    }

    static Stream<String> secrets() {
        return Stream.of("redis_password", "valkey_password");
    }
}
