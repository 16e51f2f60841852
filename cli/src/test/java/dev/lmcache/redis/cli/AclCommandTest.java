package dev.lmcache.redis.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lmcache.redis.ChunkKey;
import dev.lmcache.redis.ChunkMetadata;
import dev.lmcache.redis.KeyLayout;
import dev.lmcache.redis.KvCacheStore;
import dev.lmcache.redis.KvChunk;
import dev.lmcache.redis.StoreConfig;
import dev.lmcache.redis.cli.acl.AclRule;
import dev.lmcache.redis.embedded.EmbeddedRedis;
import dev.lmcache.redis.embedded.EmbeddedRedisCluster;
import dev.lmcache.redis.embedded.Fresh;
import dev.lmcache.redis.embedded.RedisExtension;
import dev.lmcache.redis.embedded.Replicas;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(RedisExtension.class)
class AclCommandTest {

    @Test
    void printsTheRuleWithTheLayoutsKeyPatternAndAMaskedPassword() {
        Cli.Run run = Cli.run("acl", "--tenant", "teamA", "--password", "s3cret");
        assertThat(run.exitCode()).as("%s", run).isZero();
        assertThat(run.out().trim()).isEqualTo("ACL SETUSER teamA reset resetchannels on >*** ~teamA@* +get +getex +set +mget +mset"
                + " +exists +del +scan +ping +cluster|nodes +cluster|myid +info +client|setinfo +strlen +ttl");
        assertThat(run.out()).doesNotContain("s3cret");
    }

    @Test
    void theKeyPatternIsTheLayoutsPatternForThePrefix() {
        assertThat(AclRule.keyPattern(KeyLayout.LMCACHE, false, "t")).isEqualTo("t@*");
        assertThat(AclRule.keyPattern(KeyLayout.SINGLE, true, "t")).isEqualTo("t@*");
        assertThat(AclRule.keyPattern(KeyLayout.MP, false, "t")).isEqualTo("t@*");
        assertThat(AclRule.keyPattern(KeyLayout.TAGGED, false, "t")).isEqualTo("t@*:*");
        assertThat(AclRule.keyPattern(KeyLayout.TAGGED, true, "t")).isEqualTo("{t@*}:*");
        assertThat(Cli.run("acl", "--tenant", "t", "--layout", "tagged", "--cluster").out())
                .contains(" ~{t@*}:* ").contains(" ><password> ");
    }

    @Test
    void showPasswordPrintsIt() {
        assertThat(Cli.run("acl", "--tenant", "t", "--password", "pw1", "--show-password").out()).contains(" >pw1 ");
    }

    @Test
    void rejectsTenantNamesThatCannotBeAKeyPrefixAndApplyWithoutItsOptions() {
        Cli.Run glob = Cli.run("acl", "--tenant", "a*b");
        assertThat(glob.exitCode()).isEqualTo(2);
        assertThat(glob.err()).contains("--tenant 'a*b' must be a non-empty name without spaces, '@'");
        assertThat(Cli.run("acl", "--tenant", "a", "--apply", "--password", "p").err()).contains("--apply needs --admin-url");
        assertThat(Cli.run("acl", "--tenant", "a", "--apply", "--admin-url", "redis://127.0.0.1:1").err())
                .contains("--apply needs --password or --password-env");
        assertThat(Cli.run("acl", "--tenant", "a", "--password-env", "LMCACHE_REDIS_TEST_NO_SUCH_VARIABLE").err())
                .contains("environment variable LMCACHE_REDIS_TEST_NO_SUCH_VARIABLE is not set or empty");
    }

    @Test
    void anAppliedRuleLetsTheTenantsStoreWorkAndRefusesOtherTenantsKeys(@Fresh EmbeddedRedis redis, @TempDir Path dir)
            throws Exception {
        Path json = dir.resolve("acl.json");
        Cli.Run run = Cli.run("acl", "--tenant", "teamA", "--password", "pwA", "--apply", "--admin-url", redis.url(),
                "--json", json.toString());
        assertThat(run.exitCode()).as("%s", run).isZero();
        assertThat(run.out()).contains("Applied on 1 node").doesNotContain("pwA");
        assertThat(Files.readString(json)).contains("\"keyPattern\": \"teamA@*\"", "\"applied\": [\"")
                .doesNotContain("pwA");

        RedisClient admin = RedisClient.create(redis.redisUri());
        try (StatefulRedisConnection<String, String> c = admin.connect()) {
            c.sync().set("teamB@secret", "theirs");
        } finally {
            admin.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }

        StoreConfig tenant = StoreConfig.builder().url(redis.url()).username("teamA").password("pwA")
                .keyPrefix("teamA").build();
        ChunkKey key = ChunkKey.of("m", 1, 0, 42, "bfloat16");
        KvChunk chunk = new KvChunk(ChunkMetadata.binary(3), ByteBuffer.wrap(new byte[] {1, 2, 3}));
        try (KvCacheStore store = KvCacheStore.open(tenant)) {
            store.sync().put(key, chunk);
            Optional<KvChunk> back = store.sync().get(key);
            assertThat(back).isPresent();
            assertThat(back.get().data()).isEqualTo(ByteBuffer.wrap(new byte[] {1, 2, 3}));
            assertThat(store.sync().list("m")).containsExactly(key);
            assertThat(store.sync().remove(key)).isTrue();
        }

        RedisURI asTenant = RedisURI.builder().withHost(redis.host()).withPort(redis.clientPort())
                .withAuthentication("teamA", "pwA".toCharArray()).build();
        RedisClient client = RedisClient.create(asTenant);
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            assertThatThrownBy(() -> c.sync().get("teamB@secret")).isInstanceOf(RedisCommandExecutionException.class)
                    .hasMessageStartingWith("NOPERM");
            assertThatThrownBy(() -> c.sync().flushall()).hasMessageStartingWith("NOPERM");
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }

        // The check command runs through the store API, so it passes as the tenant too.
        Path config = Files.writeString(dir.resolve("teamA.yaml"), "remote_url: redis://teamA:pwA@" + redis.host() + ":"
                + redis.clientPort() + "\nextra_config:\n  key_prefix: teamA\n");
        Cli.Run check = Cli.run("check", "--config", config.toString(), "--chunks", "4");
        assertThat(check.exitCode()).as("%s", check).isZero();

        // the tenant's inspect sees its own chunks only, though another tenant's chunk is stored too
        try (KvCacheStore store = KvCacheStore.open(tenant)) {
            store.sync().put(key, chunk);
        }
        try (KvCacheStore other = KvCacheStore.open(StoreConfig.builder().url(redis.url())
                .password(redis.password().orElse(null)).keyPrefix("teamB").build())) {
            other.sync().put(ChunkKey.of("other-model", 1, 0, 7, "bfloat16"), chunk);
        }
        Cli.Run inspect = Cli.run("inspect", "--config", config.toString());
        assertThat(inspect.exitCode()).as("%s", inspect).isZero();
        assertThat(inspect.out()).contains(" m ").doesNotContain("other-model");
    }

    @Test
    void appliesOnEveryNodeOfAClusterWithTheTaggedLayout(@Fresh @Replicas(1) EmbeddedRedisCluster cluster) {
        Cli.Run run = Cli.run("acl", "--tenant", "teamC", "--layout", "tagged", "--password", "pwC", "--apply",
                "--admin-url", cluster.url());
        assertThat(run.exitCode()).as("%s", run).isZero();
        assertThat(run.out()).contains("~{teamC@*}:*").contains("Applied on 6 nodes").contains("(replica)").doesNotContain("pwC");

        StoreConfig tenant = StoreConfig.builder().url(cluster.url()).username("teamC").password("pwC")
                .keyPrefix("teamC").keyLayout(KeyLayout.TAGGED).build();
        List<ChunkKey> keys = List.of(ChunkKey.of("m", 1, 0, 1, "half"), ChunkKey.of("m", 1, 0, 2, "half"),
                ChunkKey.of("m", 1, 0, 3, "half"));
        List<KvChunk> chunks = keys.stream().map(k -> new KvChunk(ChunkMetadata.binary(8), ByteBuffer.allocate(8)))
                .toList();
        try (KvCacheStore store = KvCacheStore.open(tenant)) {
            store.sync().batchedPut(keys, chunks);
            assertThat(store.sync().batchedGet(keys)).allMatch(Optional::isPresent);
        }
    }
}
