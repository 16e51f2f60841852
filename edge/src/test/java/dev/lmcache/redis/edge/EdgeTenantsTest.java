package dev.lmcache.redis.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lmcache.redis.StoreConfig;
import dev.lmcache.redis.edge.bench.LmcacheStyleClient;
import dev.lmcache.redis.embedded.EmbeddedRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Two tenants, each confined by a key prefix and its own Redis ACL user. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EdgeTenantsTest {
    static final int CHUNK = LmcacheClientContract.CHUNK;
    private EmbeddedRedis redis;
    private EdgeServer edge;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        redis = EmbeddedRedis.builder().password("admin-pw-1")
                .aclUser("alice-up", "alice-up-pw", "~alice@* +@all")
                .aclUser("bob-up", "bob-up-pw", "~bob@* +@all")
                .start();
        Path file = dir.resolve("tenants.yaml");
        Files.writeString(file, """
                tenants:
                  - user: alice
                    password: alice-pw
                    key_prefix: "alice@"
                    upstream_user: alice-up
                    upstream_password: alice-up-pw
                  - user: bob
                    password: bob-pw
                    key_prefix: "bob@"
                    upstream_user: bob-up
                    upstream_password: bob-up-pw
                """);
        StoreConfig target = StoreConfig.builder().url(redis.url()).password("admin-pw-1").build();
        edge = EdgeServer.start(EdgeConfig.builder().listen("127.0.0.1", 0).chunkBytes(CHUNK).tenantsFile(file).build(), target);
    }

    @AfterAll
    void stop() {
        if (edge != null) {
            edge.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void eachTenantsKeysGoUnderItsPrefixAndTheOtherTenantCannotReadThem() throws Exception {
        List<byte[]> keys = LmcacheClientContract.keys("tenant-", 8);
        List<ByteBuffer> values = keys.stream().map(LmcacheClientContract::value).toList();
        try (LmcacheStyleClient alice = LmcacheStyleClient.connect("127.0.0.1", edge.port(), 4, CHUNK, "alice", "alice-pw", 10_000);
             LmcacheStyleClient bob = LmcacheStyleClient.connect("127.0.0.1", edge.port(), 4, CHUNK, "bob", "bob-pw", 10_000)) {
            assertThat(alice.liveWorkers()).isEqualTo(4);
            assertThat(alice.set(keys, values)).doesNotContain(false);
            assertThat(bob.exists(keys)).containsOnly(0);
            assertThat(bob.get(keys, LmcacheClientContract.buffers(8))).containsOnly(false);
            List<ByteBuffer> into = LmcacheClientContract.buffers(8);
            assertThat(alice.get(keys, into)).doesNotContain(false);
            assertThat(into).isEqualTo(values);
            assertThat(bob.leftoverBytes()).isZero();
        }
        RedisClient admin = RedisClient.create(redis.url().replace("redis://", "redis://:admin-pw-1@"));
        try {
            var cmd = admin.connect(ByteArrayCodec.INSTANCE).sync();
            String stored = "alice@" + new String(keys.get(0), StandardCharsets.UTF_8);
            assertThat(cmd.get(stored.getBytes(StandardCharsets.UTF_8))).isEqualTo(values.get(0).array());
            assertThat(cmd.exists(keys.get(0))).isZero();
        } finally {
            admin.shutdown();
        }
    }

    @Test
    void aWrongPasswordOrUnknownUserIsRefusedWithWrongpass() throws Exception {
        String wrongpass = "-WRONGPASS invalid username-password pair or user is disabled.\r\n";
        try (Resp c = new Resp(edge.port())) {
            assertThat(c.call(wrongpass, "AUTH", "alice", "bob-pw")).isEqualTo(wrongpass);
            assertThat(c.call(wrongpass, "AUTH", "mallory", "x")).isEqualTo(wrongpass);
            assertThat(c.call(wrongpass, "AUTH", "alice-pw")).isEqualTo(wrongpass); // one-argument form is user "default"
        }
        try (LmcacheStyleClient c = LmcacheStyleClient.connect("127.0.0.1", edge.port(), 4, CHUNK, "alice", "wrong", 10_000)) {
            assertThat(c.liveWorkers()).isZero(); // LMCache's workers exit on a refused AUTH
        }
    }

    @Test
    void withoutAuthDataCommandsFailWithExactLengthErrors() throws Exception {
        try (Resp c = new Resp(edge.port())) {
            // as long as "$65536\r\n", the header LMCache's client reads
            assertThat(c.call("-NOAUT\r\n", "GET", "k")).isEqualTo("-NOAUT\r\n");
            assertThat(c.call("-NO\r\n", "SET", "k", new byte[CHUNK])).isEqualTo("-NO\r\n");
            assertThat(c.call("-E\r\n", "EXISTS", "k")).isEqualTo("-E\r\n");
            assertThat(c.call("+PONG\r\n", "PING")).isEqualTo("+PONG\r\n");
            assertThat(c.call("+OK\r\n", "AUTH", "bob", "bob-pw")).isEqualTo("+OK\r\n");
            assertThat(c.call(":0\r\n", "EXISTS", "k")).isEqualTo(":0\r\n");
        }
    }

    @Test
    void aTenantsFileWithMistakesIsRefusedNamingThem(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("bad.yaml");
        Files.writeString(f, "tenants:\n  - user: a\n    password: p\n    prefix: x\n");
        assertThatThrownBy(() -> EdgeConfig.builder().tenantsFile(f)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown setting 'prefix'").hasMessageContaining("key_prefix");
        Files.writeString(f, "tenants:\n  - user: a\n");
        assertThatThrownBy(() -> EdgeConfig.builder().tenantsFile(f)).hasMessageContaining("(a) has no password");
        Files.writeString(f, "tenants:\n  - user: a\n    password: p\n    upstream_user: u\n");
        assertThatThrownBy(() -> EdgeConfig.builder().tenantsFile(f)).hasMessageContaining("upstream_user and upstream_password go together");
        Files.writeString(f, "nothing: here\n");
        assertThatThrownBy(() -> EdgeConfig.builder().tenantsFile(f)).hasMessageContaining("must hold 'tenants:'");
    }

    @Test
    void aTenantNeverShowsItsPasswords() {
        Tenant t = new Tenant("u", "s3cret-pw".toCharArray(), "p@", java.util.Optional.of("up"), java.util.Optional.of("up-s3cret".toCharArray()));
        assertThat(t.toString()).doesNotContain("s3cret").contains("redacted");
    }
}
