package dev.lmcache.redis.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lmcache.redis.ChunkKey;
import dev.lmcache.redis.KeyLayout;
import dev.lmcache.redis.KvCacheStore;
import dev.lmcache.redis.RawRedis;
import dev.lmcache.redis.StoreConfig;
import dev.lmcache.redis.TestChunks;
import dev.lmcache.redis.embedded.EmbeddedRedis;
import dev.lmcache.redis.embedded.EmbeddedRedisCluster;
import dev.lmcache.redis.embedded.RedisExtension;
import dev.lmcache.redis.KeyNaming;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Issue 8, part 3: with ttl_seconds, a read hit refreshes the TTL of every key of the chunk. */
@ExtendWith(RedisExtension.class)
class TtlAsLruTest {

    @ParameterizedTest
    @EnumSource(value = KeyLayout.class, names = {"LMCACHE", "TAGGED", "SINGLE"})
    void aChunkReadEverySecondOutlivesItsTtlWhileAnUnreadOneExpires(KeyLayout layout, EmbeddedRedis redis) throws Exception {
        StoreConfig.Builder b = StoreConfig.builder().url(redis.url()).keyLayout(layout).ttlSeconds(2);
        try (KvCacheStore store = KvCacheStore.open(b.build())) {
            ChunkKey hot = TestChunks.key("ttl/" + layout);
            ChunkKey cold = TestChunks.key("ttl/" + layout);
            store.sync().batchedPut(List.of(hot, cold), TestChunks.chunks(2, 1024));
            for (int i = 0; i < 7; i++) {
                Thread.sleep(500);
                assertThat(store.sync().get(hot)).as("hot chunk after %d ms", (i + 1) * 500).isPresent();
            }
            assertThat(store.sync().get(cold)).as("cold chunk after 3.5 s with a 2 s TTL").isEmpty();
            assertThat(store.sync().exists(hot)).isTrue();
        }
    }

    @Test
    void bothKeysOfATwoKeyChunkAreRefreshedTogetherOnACluster(EmbeddedRedisCluster cluster) throws Exception {
        StoreConfig config = StoreConfig.builder().url(cluster.url()).keyLayout(KeyLayout.LMCACHE).ttlSeconds(100).build();
        KeyNaming naming = KeyNaming.of(KeyLayout.LMCACHE, true, null);
        try (KvCacheStore store = KvCacheStore.open(config); RawRedis raw = RawRedis.open(cluster.url())) {
            ChunkKey k = TestChunks.key("ttl/cluster");
            store.sync().put(k, TestChunks.chunk(512, 1));
            raw.cmd().expire(RawRedis.b(naming.metadataKey(k)), 5);
            raw.cmd().expire(RawRedis.b(naming.dataKey(k)), 5);
            assertThat(store.sync().get(k)).isPresent();
            assertThat(raw.ttl(naming.metadataKey(k))).isGreaterThan(50);
            assertThat(raw.ttl(naming.dataKey(k))).isGreaterThan(50);
        }
    }

    @Test
    void ttlRefreshOnHitCanBeTurnedOff(EmbeddedRedis redis) throws Exception {
        StoreConfig config = StoreConfig.builder().url(redis.url()).ttlSeconds(100).ttlRefreshOnHit(false).build();
        try (KvCacheStore store = KvCacheStore.open(config); RawRedis raw = RawRedis.open(redis.url())) {
            ChunkKey k = TestChunks.key("ttl/off");
            store.sync().put(k, TestChunks.chunk(512, 2));
            raw.cmd().expire(RawRedis.b(k + "kv_bytes"), 5);
            assertThat(store.sync().get(k)).isPresent();
            assertThat(raw.ttl(k + "kv_bytes")).isLessThanOrEqualTo(5);
        }
    }
}
