package dev.lmcache.redis.lookup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lmcache.redis.ChunkKey;
import dev.lmcache.redis.HashAlgorithm;
import dev.lmcache.redis.HashProfile;
import dev.lmcache.redis.KeyLayout;
import dev.lmcache.redis.KvCacheStore;
import dev.lmcache.redis.MpKey;
import dev.lmcache.redis.PrefixMatch;
import dev.lmcache.redis.PrefixQuery;
import dev.lmcache.redis.RawRedis;
import dev.lmcache.redis.StoreConfig;
import dev.lmcache.redis.TokenHasher;
import dev.lmcache.redis.embedded.EmbeddedRedis;
import dev.lmcache.redis.embedded.EmbeddedRedisCluster;
import dev.lmcache.redis.embedded.Fresh;
import dev.lmcache.redis.embedded.RedisExtension;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Prefix lookup by token ids against keys written the way LMCache writes them (raw SETs of the
 * golden key strings, computed by LMCache's own code), on standalone and on a 3-master cluster.
 */
@ExtendWith(RedisExtension.class)
class PrefixLookupTest {
    private static final String MODEL = "meta-llama/Llama-3.1-8B-Instruct";
    /** golden mp-current/blake3/cs256/gen1000: the names LMCache's MP server gives the 3 full chunks. */
    private static final List<String> MP_GEN1000 = List.of(
            MODEL + "@01000100@0@59c2904ddd091ad152d2b3eb4de00d60fe79f359d51ed1d5220716cd27ece8f4",
            MODEL + "@01000100@0@c56feb51ef1c7c83a16d127622edfc0ec074ee96cf0fcc49930b965df7a71944",
            MODEL + "@01000100@0@97d73e522745c86565e755c61f5ec2e59ff785e96c99540c8a84429131fdf9bd");
    /** golden nonmp-current/sha256_cbor/seed0/cs256/gen1000 (the 4th chunk is the partial one). */
    private static final List<String> IN_PROCESS_GEN1000 = List.of(
            MODEL + "@1@0@25bbe5678769bc2b@bfloat16", MODEL + "@1@0@5e7a4c94bb61c016@bfloat16",
            MODEL + "@1@0@cb98ecd9d75493e8@bfloat16", MODEL + "@1@0@ff83dd8a190d988a@bfloat16");

    static int[] gen(int n) {
        return IntStream.range(0, n).map(i -> (int) ((i * 7919L + 13) % 128256)).toArray();
    }

    private static TokenHasher blake3() {
        return TokenHasher.builder().profile(HashProfile.MP).algorithm(HashAlgorithm.BLAKE3).build();
    }

    private static PrefixQuery mpQuery(int tokens, int worldSize) {
        return PrefixQuery.builder().model(MODEL).tokens(gen(tokens)).hasher(blake3()).worldSize(worldSize).build();
    }

    private static StoreConfig mp(String url) {
        return StoreConfig.builder().url(url).keyLayout(KeyLayout.MP).build();
    }

    private static void lookupFindsWhatLmcachesMpServerWrote(String url) {
        try (KvCacheStore store = KvCacheStore.open(mp(url)); RawRedis raw = RawRedis.open(url)) {
            for (String name : MP_GEN1000) {
                raw.cmd().del(name.getBytes()); // the servers are shared by the run: clear only these names
            }
            assertThat(store.sync().lookup(mpQuery(1000, 1)).matchedTokens()).isZero();
            for (String name : MP_GEN1000) {
                raw.set(name, new byte[] {1});
            }

            PrefixMatch all = store.sync().lookup(mpQuery(1000, 1));
            assertThat(all.matchedTokens()).isEqualTo(768);
            assertThat(all.matchedChunks()).isEqualTo(3);
            assertThat(all.chunks()).isEqualTo(3);
            assertThat(all.keysLookedUp()).isEqualTo(3);
            assertThat(all.matchedKeys()).hasSize(3);
            raw.cmd().del(MP_GEN1000.get(1).getBytes());
            PrefixMatch gap = store.sync().lookup(mpQuery(1000, 1));
            assertThat(gap.matchedTokens()).as("a miss ends the prefix").isEqualTo(256);
            assertThat(gap.matchedKeys()).hasSize(1);
            assertThat(store.sync().lookup(mpQuery(255, 1)).matchedTokens()).as("no full chunk").isZero();
        }
    }

    @Test
    void aStandaloneLookupCountsTheConsecutiveChunksLmcacheStored(EmbeddedRedis redis) {
        lookupFindsWhatLmcachesMpServerWrote(redis.url());
    }

    @Test
    void aClusterLookupCountsTheConsecutiveChunksLmcacheStored(EmbeddedRedisCluster cluster) {
        lookupFindsWhatLmcachesMpServerWrote(cluster.url());
    }

    @Test
    void aTensorParallelChunkCountsOnlyWhenEveryRanksKeyIsPresent(EmbeddedRedisCluster cluster) {
        PrefixQuery q = mpQuery(1000, 4);
        try (KvCacheStore store = KvCacheStore.open(mp(cluster.url())); RawRedis raw = RawRedis.open(cluster.url())) {
            for (int chunk = 0; chunk < 3; chunk++) {
                for (int rank = 0; rank < 4; rank++) {
                    if (chunk == 2 && rank == 3) {
                        continue;
                    }
                    raw.set(MpKey.of(null, MODEL, 4, rank, 0, q.hashes().get(chunk).bytes(), null).toString(),
                            new byte[] {1});
                }
            }

            PrefixMatch m = store.sync().lookup(q);

            assertThat(m.matchedChunks()).isEqualTo(2);
            assertThat(m.matchedTokens()).isEqualTo(512);
            assertThat(m.keysLookedUp()).isEqualTo(12);
            assertThat(m.matchedKeys().get(1)).extracting(ChunkKey::workerId).containsExactly(0, 1, 2, 3);
        }
    }

    @Test
    void saltPrefixAndObjectGroupNameTheKeysAsLmcacheDoes(@Fresh EmbeddedRedis redis) {
        StoreConfig config = StoreConfig.builder().url(redis.url()).keyLayout(KeyLayout.MP).keyPrefix("prod").build();
        PrefixQuery salted = PrefixQuery.builder().model(MODEL).tokens(gen(1000)).hasher(blake3()).cacheSalt("tenant-a")
                .build();
        PrefixQuery grouped = PrefixQuery.builder().model(MODEL).tokens(gen(1000)).hasher(blake3()).objectGroupId(1)
                .build();
        try (KvCacheStore store = KvCacheStore.open(config); RawRedis raw = RawRedis.open(redis.url())) {
            raw.set("prod@" + MP_GEN1000.get(0) + "@tenant-a", new byte[] {1});
            raw.set("prod@" + MP_GEN1000.get(0).replace("@01000100@0@", "@01000100@1@"), new byte[] {1});
            raw.set(MP_GEN1000.get(0), new byte[] {1});

            assertThat(store.sync().lookup(salted).matchedTokens()).isEqualTo(256);
            assertThat(store.sync().lookup(grouped).matchedTokens()).isEqualTo(256);
            assertThat(store.sync().lookup(mpQuery(1000, 1)).matchedTokens()).as("unsalted, prefixed: absent").isZero();
        }
    }

    @Test
    void theNamesOfLmcacheBeforeJune2026AreLookedUpWithoutObjectGroup(@Fresh EmbeddedRedis redis) {
        StoreConfig config = StoreConfig.builder().url(redis.url()).keyLayout(KeyLayout.MP).mpObjectGroup(null).build();
        try (KvCacheStore store = KvCacheStore.open(config); RawRedis raw = RawRedis.open(redis.url())) {
            raw.set(MP_GEN1000.get(0).replace("@01000100@0@", "@01000100@"), new byte[] {1});

            assertThat(store.sync().lookup(mpQuery(1000, 1)).matchedTokens()).isEqualTo(256);
        }
    }

    @Test
    void anInProcessLookupHonoursSaveUnfullChunk(EmbeddedRedisCluster cluster) {
        TokenHasher.Builder h = TokenHasher.builder().profile(HashProfile.IN_PROCESS)
                .algorithm(HashAlgorithm.SHA256_CBOR).seed("0");
        StoreConfig config = StoreConfig.builder().url(cluster.url()).keyLayout(KeyLayout.LMCACHE).build();
        try (KvCacheStore store = KvCacheStore.open(config); RawRedis raw = RawRedis.open(cluster.url())) {
            for (String k : IN_PROCESS_GEN1000) {
                raw.set(k + "kv_bytes", new byte[] {1});
                raw.set(k + "metadata", new byte[28]);
            }
            PrefixQuery full = PrefixQuery.builder().model(MODEL).tokens(gen(1000)).hasher(h.build()).build();
            PrefixQuery unfull = PrefixQuery.builder().model(MODEL).tokens(gen(1000))
                    .hasher(h.saveUnfullChunk(true).build()).build();

            assertThat(store.sync().lookup(full).matchedTokens()).isEqualTo(768);
            PrefixMatch all = store.sync().lookup(unfull);
            assertThat(all.matchedTokens()).isEqualTo(1000);
            assertThat(all.matchedKeys()).extracting(ks -> ks.get(0).toString()).containsExactlyElementsOf(
                    IN_PROCESS_GEN1000);
        }
    }

    @Test
    void aHashProfileThatDoesNotFitTheStoresLayoutIsRejectedNamingBoth(EmbeddedRedis redis) {
        try (KvCacheStore store = KvCacheStore.open(redis.url())) {
            assertThatThrownBy(() -> store.sync().lookup(mpQuery(1000, 1)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("hash profile mp-current")
                    .hasMessageContaining("key_layout is lmcache");
            assertThat(store.lookup(mpQuery(1000, 1))).failsWithin(java.time.Duration.ofSeconds(5))
                    .withThrowableOfType(java.util.concurrent.ExecutionException.class);
        }
    }

    @Test
    void badQueriesAreRejectedNamingTheSetting() {
        assertThatThrownBy(() -> PrefixQuery.builder().model("a@b").tokens(gen(1)).hasher(blake3()).build())
                .hasMessageContaining("model 'a@b'");
        assertThatThrownBy(() -> PrefixQuery.builder().model("m").tokens(gen(1)).build())
                .hasMessageContaining("hasher is not set");
        assertThatThrownBy(() -> PrefixQuery.builder().model("m").tokens(gen(1)).hasher(blake3()).worldSize(0).build())
                .hasMessageContaining("world size 0 is out of range; expected 1 to 127");
        assertThatThrownBy(() -> PrefixQuery.builder().model("m").tokens(gen(1)).hasher(blake3()).dtype("int3").build())
                .hasMessageContaining("int3");
    }
}
