package dev.lmcache.redis.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lmcache.redis.ChunkKey;
import dev.lmcache.redis.KeyLayout;
import dev.lmcache.redis.KvCacheException;
import dev.lmcache.redis.KvCacheStore;
import dev.lmcache.redis.KvChunk;
import dev.lmcache.redis.StoreConfig;
import dev.lmcache.redis.TestChunks;
import dev.lmcache.redis.embedded.EmbeddedRedis;
import dev.lmcache.redis.KeyNaming;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 8, part 2: a key prefix leads every key, so a Redis ACL user restricted to its prefix can
 * use its own chunks and the SERVER refuses everyone else's.
 */
class TenantIsolationTest {

    private static String rules(KeyLayout layout, String tenant) {
        String pattern = KeyNaming.of(layout, false, tenant).allKeysScanPattern();
        return "on >" + tenant + "-pw ~" + pattern + " +@all -@dangerous +info +config|get";
    }

    @ParameterizedTest
    @EnumSource(value = KeyLayout.class, names = {"LMCACHE", "TAGGED", "SINGLE", "MP"})
    void eachTenantSeesOnlyItsOwnChunksAndRedisDeniesTheRest(KeyLayout layout) {
        try (EmbeddedRedis redis = EmbeddedRedis.builder()
                .aclUser("alpha", "alpha-pw", rules(layout, "alpha"))
                .aclUser("beta", "beta-pw", rules(layout, "beta"))
                .start()) {
            String hostPort = redis.url().substring("redis://".length());
            StoreConfig alphaConfig = config(layout, "redis://alpha:alpha-pw@" + hostPort, "alpha");
            StoreConfig betaConfig = config(layout, "redis://beta:beta-pw@" + hostPort, "beta");
            try (KvCacheStore alpha = KvCacheStore.open(alphaConfig); KvCacheStore beta = KvCacheStore.open(betaConfig)) {
                ChunkKey k = ChunkKey.of("shared/model", 1, 0, 42L, "bfloat16");
                KvChunk a = TestChunks.kvChunk(2, 16, 64, 1);
                KvChunk b = TestChunks.kvChunk(2, 16, 64, 2);
                alpha.sync().put(k, a);
                beta.sync().put(k, b);
                assertThat(TestChunksBytes.of(alpha.sync().get(k).orElseThrow())).isEqualTo(TestChunksBytes.of(a));
                assertThat(TestChunksBytes.of(beta.sync().get(k).orElseThrow())).isEqualTo(TestChunksBytes.of(b));
                // mp names carry no dtype or world size, so compare the Redis names the listed keys map to
                KeyNaming alphaNames = KeyNaming.of(layout, false, "alpha");
                assertThat(alpha.sync().list(null)).singleElement()
                        .satisfies(listed -> assertThat(alphaNames.dataKey(listed)).isEqualTo(alphaNames.dataKey(k)));

                // beta's client configured WITHOUT its prefix tries alpha's namespace: the server refuses
                StoreConfig intruder = config(layout, "redis://beta:beta-pw@" + hostPort, "alpha");
                try (KvCacheStore sneaky = KvCacheStore.open(intruder)) {
                    assertThatThrownBy(() -> sneaky.sync().get(k)).isInstanceOf(KvCacheException.class)
                            .hasMessageContaining("NOPERM");
                    assertThatThrownBy(() -> sneaky.sync().put(k, b)).isInstanceOf(KvCacheException.class)
                            .hasMessageContaining("NOPERM");
                }
                // and raw access outside the prefix is refused too
                RedisClient c = RedisClient.create(RedisURI.create("redis://beta:beta-pw@" + hostPort));
                try (StatefulRedisConnection<String, String> conn = c.connect()) {
                    String alphaKey = KeyNaming.of(layout, false, "alpha").dataKey(k);
                    assertThatThrownBy(() -> conn.sync().get(alphaKey)).isInstanceOf(RedisCommandExecutionException.class)
                            .hasMessageContaining("NOPERM");
                } finally {
                    c.shutdown();
                }
                assertThat(TestChunksBytes.of(alpha.sync().get(k).orElseThrow())).as("alpha's chunk untouched")
                        .isEqualTo(TestChunksBytes.of(a));
            }
        }
    }

    @org.junit.jupiter.api.Test
    void onAClusterEveryNodeEnforcesTheTenantNamespace() {
        try (dev.lmcache.redis.embedded.EmbeddedRedisCluster cluster = dev.lmcache.redis.embedded.EmbeddedRedisCluster.builder().start()) {
            String pattern = KeyNaming.of(KeyLayout.TAGGED, true, "alpha").allKeysScanPattern();
            for (var node : cluster.nodes()) {
                RedisClient admin = RedisClient.create(RedisURI.create(node.url()));
                try (StatefulRedisConnection<String, String> conn = admin.connect()) {
                    conn.sync().aclSetuser("alpha", io.lettuce.core.AclSetuserArgs.Builder.on().addPassword("alpha-pw")
                            .keyPattern(pattern).addCommand(io.lettuce.core.protocol.CommandType.GET)
                            .addCommand(io.lettuce.core.protocol.CommandType.SET).addCommand(io.lettuce.core.protocol.CommandType.EXISTS)
                            .addCommand(io.lettuce.core.protocol.CommandType.DEL).addCommand(io.lettuce.core.protocol.CommandType.SCAN)
                            .addCommand(io.lettuce.core.protocol.CommandType.PING).addCommand(io.lettuce.core.protocol.CommandType.CLUSTER)
                            .addCommand(io.lettuce.core.protocol.CommandType.INFO).addCommand(io.lettuce.core.protocol.CommandType.CLIENT)
                            .addCommand(io.lettuce.core.protocol.CommandType.COMMAND));
                } finally {
                    admin.shutdown();
                }
            }
            String seeds = cluster.url().substring("redis-cluster://".length());
            StoreConfig own = StoreConfig.builder().url("redis-cluster://alpha:alpha-pw@" + seeds)
                    .keyLayout(KeyLayout.TAGGED).keyPrefix("alpha").build();
            StoreConfig foreign = own.toBuilder().keyPrefix("beta").build();
            List<ChunkKey> keys = TestChunks.keys("tenant/cluster", 30);
            try (KvCacheStore alpha = KvCacheStore.open(own); KvCacheStore intruder = KvCacheStore.open(foreign)) {
                alpha.sync().batchedPut(keys, TestChunks.chunks(30, 256));
                assertThat(alpha.sync().batchedContains(keys)).isEqualTo(30);
                assertThat(alpha.sync().list("tenant/cluster")).hasSize(30);
                assertThatThrownBy(() -> intruder.sync().batchedPut(keys, TestChunks.chunks(30, 256)))
                        .isInstanceOf(KvCacheException.class).hasMessageContaining("NOPERM");
            }
        }
    }

    private static StoreConfig config(KeyLayout layout, String url, String prefix) {
        StoreConfig.Builder b = StoreConfig.builder().url(url).keyLayout(layout).keyPrefix(prefix);
        if (!layout.hasMetadataKey()) {
            b.chunkSizeTokens(16).singleChunkShape(List.of(2, 2, 16, 64)).singleChunkDtype("bfloat16");
        }
        return b.build();
    }

    /** Bytes of a chunk, for comparisons. */
    static final class TestChunksBytes {
        static byte[] of(KvChunk c) {
            return TestChunks.bytes(c.data());
        }
    }
}
