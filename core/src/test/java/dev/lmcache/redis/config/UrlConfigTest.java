package dev.lmcache.redis.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lmcache.redis.ConfigException;
import dev.lmcache.redis.HostAndPort;
import dev.lmcache.redis.KeyLayout;
import dev.lmcache.redis.RedisMode;
import dev.lmcache.redis.StoreConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class UrlConfigTest {

    private static String password(StoreConfig c) {
        return new String(c.password().orElseThrow());
    }

    @Test
    void plainRedisUrlIsOneStandaloneServerWithTheLmcacheLayout() {
        StoreConfig c = StoreConfig.fromUrl("redis://cache.example:6380");

        assertThat(c.mode()).isEqualTo(RedisMode.STANDALONE);
        assertThat(c.endpoints()).containsExactly(new HostAndPort("cache.example", 6380));
        assertThat(c.unixSocket()).isEmpty();
        assertThat(c.tls()).isFalse();
        assertThat(c.database()).isZero();
        assertThat(c.username()).isEmpty();
        assertThat(c.password()).isEmpty();
        assertThat(c.keyLayout()).isEqualTo(KeyLayout.LMCACHE);
    }

    @Test
    void portDefaultsTo6379() {
        assertThat(StoreConfig.fromUrl("redis://localhost").endpoints())
                .containsExactly(new HostAndPort("localhost", 6379));
    }

    @Test
    void userPasswordAndDatabaseAreRead() {
        StoreConfig c = StoreConfig.fromUrl("redis://alice:s3cret@10.0.0.7:6379/3");

        assertThat(c.username()).contains("alice");
        assertThat(password(c)).isEqualTo("s3cret");
        assertThat(c.database()).isEqualTo(3);
        assertThat(c.endpoints()).containsExactly(new HostAndPort("10.0.0.7", 6379));
    }

    @Test
    void databaseMayBeGivenAsQueryParameter() {
        assertThat(StoreConfig.fromUrl("redis://h:6379?db=5").database()).isEqualTo(5);
    }

    @Test
    void percentEncodedPasswordWithAtColonSlashHashIsDecoded() {
        StoreConfig c = StoreConfig.fromUrl("redis://bob:p%40ss%3Aw%2Fd%23%25@h:6379/1");

        assertThat(c.username()).contains("bob");
        assertThat(password(c)).isEqualTo("p@ss:w/d#%");
        assertThat(c.endpoints()).containsExactly(new HostAndPort("h", 6379));
        assertThat(c.database()).isEqualTo(1);
    }

    @Test
    void rawAtInPasswordSplitsAtTheLastAt() {
        StoreConfig c = StoreConfig.fromUrl("redis://bob:p@ss@w@h:6379");

        assertThat(password(c)).isEqualTo("p@ss@w");
        assertThat(c.endpoints()).containsExactly(new HostAndPort("h", 6379));
    }

    @Test
    void rawColonAndSlashInPasswordAreKeptWhenAnAtFollows() {
        StoreConfig c = StoreConfig.fromUrl("redis://bob:a:b/c#d@h:6379/2");

        assertThat(password(c)).isEqualTo("a:b/c#d");
        assertThat(c.database()).isEqualTo(2);
    }

    @Test
    void passwordWithoutUserNameIsRead() {
        StoreConfig c = StoreConfig.fromUrl("redis://:only-pw@h");

        assertThat(c.username()).isEmpty();
        assertThat(password(c)).isEqualTo("only-pw");
    }

    @Test
    void userPartWithoutColonIsThePasswordAsInLettuce() {
        StoreConfig c = StoreConfig.fromUrl("redis://only-pw@h");

        assertThat(c.username()).isEmpty();
        assertThat(password(c)).isEqualTo("only-pw");
    }

    @Test
    void schemeIsCaseInsensitive() {
        assertThat(StoreConfig.fromUrl("REDISS://h:6379").tls()).isTrue();
    }

    @Test
    void ipv6HostInBracketsIsAccepted() {
        StoreConfig c = StoreConfig.fromUrl("redis://u:p@[::1]:6380/2");

        assertThat(c.endpoints()).containsExactly(new HostAndPort("::1", 6380));
        assertThat(c.endpoints().get(0)).hasToString("[::1]:6380");
        assertThat(c.database()).isEqualTo(2);
        assertThat(StoreConfig.fromUrl("redis://[fe80::1]").endpoints())
                .containsExactly(new HostAndPort("fe80::1", 6379));
    }

    @Test
    void redissTurnsTlsOnWithFullVerification() {
        StoreConfig c = StoreConfig.fromUrl("rediss://h:6380");

        assertThat(c.tls()).isTrue();
        assertThat(c.tlsVerify()).isEqualTo(dev.lmcache.redis.TlsVerify.FULL);
        assertThat(c.keyLayout()).isEqualTo(KeyLayout.LMCACHE);
    }

    @Test
    void unixUrlWithAbsolutePathAndDatabase() {
        StoreConfig c = StoreConfig.fromUrl("unix:///var/run/redis/redis.sock?db=4");

        assertThat(c.unixSocket()).contains(Path.of("/var/run/redis/redis.sock"));
        assertThat(c.endpoints()).isEmpty();
        assertThat(c.mode()).isEqualTo(RedisMode.STANDALONE);
        assertThat(c.database()).isEqualTo(4);
        assertThat(c.redactedUrl()).isEqualTo("unix:///var/run/redis/redis.sock?db=4");
    }

    @Test
    void unixUrlWithTwoSlashesTakesTheRestAsThePath() {
        assertThat(StoreConfig.fromUrl("unix://redis.sock").unixSocket()).contains(Path.of("redis.sock"));
    }

    @Test
    void redisClusterUrlListsSeedNodes() {
        StoreConfig c = StoreConfig.fromUrl("redis-cluster://n1:7000,n2:7001,[::1]:7002");

        assertThat(c.mode()).isEqualTo(RedisMode.CLUSTER);
        assertThat(c.endpoints()).containsExactly(new HostAndPort("n1", 7000), new HostAndPort("n2", 7001),
                new HostAndPort("::1", 7002));
        assertThat(c.keyLayout()).isEqualTo(KeyLayout.LMCACHE);
    }

    @Test
    void redisSentinelUrlTakesMasterNameAndTimeoutFromTheEnvironment() {
        StoreConfig c = StoreConfig.builder()
                .environment(Map.of("REDIS_SERVICE_NAME", "mymaster", "REDIS_TIMEOUT", "2.5"))
                .url("redis-sentinel://s1:26379,s2:26380")
                .build();

        assertThat(c.mode()).isEqualTo(RedisMode.SENTINEL);
        assertThat(c.endpoints()).containsExactly(new HostAndPort("s1", 26379), new HostAndPort("s2", 26380));
        assertThat(c.sentinelMasterName()).isEqualTo("mymaster");
        assertThat(c.sentinelTimeout()).isEqualTo(Duration.ofMillis(2500));
    }

    @Test
    void redisSentinelDefaultsToMasterNameRedismasterOneSecondAndPort26379() {
        StoreConfig c = StoreConfig.builder().environment(Map.of()).url("redis-sentinel://s1").build();

        assertThat(c.sentinelMasterName()).isEqualTo("redismaster");
        assertThat(c.sentinelTimeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.endpoints()).containsExactly(new HostAndPort("s1", 26379));
    }

    @Test
    void explicitSentinelMasterNameWinsOverTheEnvironmentInAnyOrder() {
        StoreConfig c = StoreConfig.builder()
                .sentinelMasterName("explicit")
                .environment(Map.of("REDIS_SERVICE_NAME", "fromenv"))
                .url("redis-sentinel://s1:26379")
                .build();

        assertThat(c.sentinelMasterName()).isEqualTo("explicit");
    }

    @Test
    void invalidRedisTimeoutIsNamed() {
        assertThatThrownBy(() -> StoreConfig.builder().environment(Map.of("REDIS_TIMEOUT", "soon"))
                .url("redis-sentinel://s1:26379").build())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("REDIS_TIMEOUT")
                .hasMessageContaining("'soon'")
                .hasMessageContaining("accepted: a number of seconds > 0");
    }

    @Test
    void valkeyUrlIsStandaloneWithTheSingleLayout() {
        StoreConfig c = StoreConfig.fromUrl("valkey://vk:6379");

        assertThat(c.mode()).isEqualTo(RedisMode.STANDALONE);
        assertThat(c.keyLayout()).isEqualTo(KeyLayout.SINGLE);
        assertThat(c.singleChunkShape()).isEmpty();
    }

    @Test
    void valkeyUrlWithSeveralHostsIsACluster() {
        StoreConfig c = StoreConfig.fromUrl("valkey://vk1:6379,vk2:6379");

        assertThat(c.mode()).isEqualTo(RedisMode.CLUSTER);
        assertThat(c.endpoints()).hasSize(2);
        assertThat(c.keyLayout()).isEqualTo(KeyLayout.SINGLE);
    }

    @Test
    void respUrlUsesTheSingleLayout() {
        StoreConfig c = StoreConfig.fromUrl("resp://r:6379");

        assertThat(c.mode()).isEqualTo(RedisMode.STANDALONE);
        assertThat(c.keyLayout()).isEqualTo(KeyLayout.SINGLE);
        assertThat(c.endpoints()).containsExactly(new HostAndPort("r", 6379));
    }

    @ParameterizedTest
    @ValueSource(strings = {"memcached://h:11211", "lm://localhost:65432", "http://h"})
    void unknownSchemeListsTheAcceptedSchemes(String url) {
        assertThatThrownBy(() -> StoreConfig.fromUrl(url))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("remote_url")
                .hasMessageContaining("is not supported")
                .hasMessageContaining("redis://")
                .hasMessageContaining("rediss://")
                .hasMessageContaining("unix://")
                .hasMessageContaining("redis-cluster://")
                .hasMessageContaining("redis-sentinel://")
                .hasMessageContaining("valkey://")
                .hasMessageContaining("resp://");
    }

    @Test
    void urlWithoutSchemeIsRejected() {
        assertThatThrownBy(() -> StoreConfig.fromUrl("localhost:6379"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("has no scheme")
                .hasMessageContaining("accepted schemes");
    }

    @ParameterizedTest
    @ValueSource(strings = {"redis://", "redis://:pw@", "redis:///0", "redis-cluster://"})
    void missingHostIsRejected(String url) {
        assertThatThrownBy(() -> StoreConfig.fromUrl(url))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("has no host")
                .hasMessageContaining("accepted schemes");
    }

    @ParameterizedTest
    @CsvSource({"redis://h:abc, 'abc'", "redis://h:0, '0'", "redis://h:65536, '65536'", "redis://h:, ''"})
    void badPortIsNamedWithTheAcceptedRange(String url, String port) {
        assertThatThrownBy(() -> StoreConfig.fromUrl(url))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("remote_url")
                .hasMessageContaining("port '" + port + "'")
                .hasMessageContaining("1..65535");
    }

    @Test
    void badDatabaseIsNamed() {
        assertThatThrownBy(() -> StoreConfig.fromUrl("redis://h:6379/zero"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("database")
                .hasMessageContaining("/zero")
                .hasMessageContaining("integer >= 0");
    }

    @Test
    void unknownQueryParameterIsRejectedNamingTheAcceptedOne() {
        assertThatThrownBy(() -> StoreConfig.fromUrl("redis://h:6379?timeout=5"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'timeout'")
                .hasMessageContaining("accepted: db");
    }

    @Test
    void unbracketedIpv6IsRejectedWithTheBracketForm() {
        assertThatThrownBy(() -> StoreConfig.fromUrl("redis://::1:6379"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("[ipv6]:port");
    }

    @Test
    void severalHostsInAPlainRedisUrlNeedClusterOrSentinelMode() {
        assertThatThrownBy(() -> StoreConfig.fromUrl("redis://a:1,b:2"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("mode standalone takes one endpoint")
                .hasMessageContaining("cluster");
        assertThat(StoreConfig.builder().url("redis://a:1,b:2").mode(RedisMode.CLUSTER).build().endpoints())
                .hasSize(2);
    }

    @Test
    void databaseInAClusterUrlIsRejected() {
        assertThatThrownBy(() -> StoreConfig.fromUrl("redis-cluster://a:7000/2"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("database: 2")
                .hasMessageContaining("accepted: 0");
    }

    @Test
    void errorsNeverShowThePassword() {
        assertThatThrownBy(() -> StoreConfig.fromUrl("redis://u:hunter2@h:notaport"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("redis://u:***@h:notaport")
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> StoreConfig.fromUrl("memcached://u:hunter2@h"))
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void redactedUrlHidesThePasswordAndKeepsTheRest() {
        StoreConfig c = StoreConfig.fromUrl("rediss://alice:p%40ss%3Aw%2Fd%23@h:6380/2");

        assertThat(c.redactedUrl()).isEqualTo("rediss://alice:***@h:6380/2");
        assertThat(StoreConfig.fromUrl("redis://:pw@[::1]:6379").redactedUrl()).isEqualTo("redis://:***@[::1]:6379");
        assertThat(StoreConfig.fromUrl("redis-cluster://a:1,b:2").redactedUrl()).isEqualTo("redis-cluster://a:1,b:2");
    }

    @Test
    void redactedUrlParsesBackToTheSameServerAndUser() {
        for (String url : List.of("redis://alice:@h:6379/2", "rediss://a%20b:pw@[::1]:6380", "valkey://a:1,b:2",
                "unix:///tmp/r.sock?db=3", "redis-sentinel://s:26379/1")) {
            StoreConfig original = StoreConfig.fromUrl(url);
            StoreConfig reparsed = StoreConfig.fromUrl(original.redactedUrl());

            assertThat(reparsed.endpoints()).as(url).isEqualTo(original.endpoints());
            assertThat(reparsed.unixSocket()).as(url).isEqualTo(original.unixSocket());
            assertThat(reparsed.username()).as(url).isEqualTo(original.username());
            assertThat(reparsed.database()).as(url).isEqualTo(original.database());
            assertThat(reparsed.mode()).as(url).isEqualTo(original.mode());
            assertThat(reparsed.tls()).as(url).isEqualTo(original.tls());
        }
        assertThat(StoreConfig.fromUrl("redis://alice:@h").redactedUrl()).isEqualTo("redis://alice:@h:6379");
    }

    @Test
    void redactOfRawTextHidesEverythingBetweenUserAndLastAt() {
        assertThat(RedisUrl.redact("redis://u:p@ss@h:1")).isEqualTo("redis://u:***@h:1");
        assertThat(RedisUrl.redact("redis://secret@h")).isEqualTo("redis://:***@h");
        assertThat(RedisUrl.redact("redis://h:1")).isEqualTo("redis://h:1");
    }

    @Test
    void explicitBuilderSettingsWinOverTheUrlWhateverTheOrder() {
        StoreConfig c = StoreConfig.builder()
                .database(7)
                .password("explicit")
                .keyLayout(KeyLayout.TAGGED)
                .url("valkey://u:fromurl@h:6379/1")
                .build();

        assertThat(c.database()).isEqualTo(7);
        assertThat(password(c)).isEqualTo("explicit");
        assertThat(c.username()).contains("u");
        assertThat(c.keyLayout()).isEqualTo(KeyLayout.TAGGED);
    }

    @Test
    void hostAndPortParsesEveryForm() {
        assertThat(HostAndPort.parse("h", 1)).isEqualTo(new HostAndPort("h", 1));
        assertThat(HostAndPort.parse("h:2", 1)).isEqualTo(new HostAndPort("h", 2));
        assertThat(HostAndPort.parse("[::1]", 1)).isEqualTo(new HostAndPort("::1", 1));
        assertThat(HostAndPort.parse("[::1]:3", 1)).isEqualTo(new HostAndPort("::1", 3));
        assertThat(new HostAndPort("[::1]", 4).host()).isEqualTo("::1");
        assertThat(List.of(new HostAndPort("a", 1), new HostAndPort("::2", 2)).toString()).isEqualTo("[a:1, [::2]:2]");
    }

    @Test
    void hostAndPortRejectsBadHostsAndPorts() {
        assertThatThrownBy(() -> new HostAndPort("", 1)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("host is empty");
        assertThatThrownBy(() -> new HostAndPort("a b", 1)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("'a b'").hasMessageContaining("accepted: a host name");
        assertThatThrownBy(() -> new HostAndPort("h", 70000)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("70000").hasMessageContaining("1..65535");
    }
}
