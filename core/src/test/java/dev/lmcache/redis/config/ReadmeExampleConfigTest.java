package dev.lmcache.redis.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lmcache.redis.KeyLayout;
import dev.lmcache.redis.RedisMode;
import dev.lmcache.redis.StoreConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The LMCache YAML example the README shows (kept in test resources) reads as the README says. */
class ReadmeExampleConfigTest {

    @Test
    void theReadmesLmcacheYamlExampleConfiguresATaggedClusterStore() throws Exception {
        Path file = Path.of(getClass().getResource("/lmcache-readme-example.yaml").toURI());
        StoreConfig c = StoreConfig.fromLmcacheYaml(file);
        assertThat(c.mode()).isEqualTo(RedisMode.CLUSTER);
        assertThat(c.endpoints()).hasSize(2);
        assertThat(c.keyLayout()).isEqualTo(KeyLayout.TAGGED);
        assertThat(c.maxInflightBytes()).isEqualTo(2L << 30);
        assertThat(c.ttlSeconds()).isEqualTo(86400);
        assertThat(c.requestTimeout()).hasSeconds(10);
        assertThat(c.password()).hasValueSatisfying(pw -> assertThat(new String(pw)).isEqualTo("s3cret"));
        assertThat(c.toString()).contains("password=***").doesNotContain("s3cret");
    }
}
