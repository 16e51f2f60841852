package dev.lmcache.redis.layout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lmcache.redis.ChunkKey;
import dev.lmcache.redis.GoldenVectors;
import dev.lmcache.redis.GoldenVectors.GoldenKey;
import dev.lmcache.redis.KeyLayout;
import dev.lmcache.redis.KeyNaming;
import dev.lmcache.redis.KeyNaming.NamedKey;
import dev.lmcache.redis.KeyNaming.Role;
import dev.lmcache.redis.StoreConfig;
import dev.lmcache.redis.key.ClusterSlots;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class KeyNamingTest {

    /** Golden variant name -> the naming that should produce it. */
    private static final Map<String, KeyNaming> VARIANTS = Map.of(
            "lmcache", KeyNaming.of(KeyLayout.LMCACHE, false, null),
            "tagged_standalone", KeyNaming.of(KeyLayout.TAGGED, false, null),
            "tagged_cluster", KeyNaming.of(KeyLayout.TAGGED, true, null),
            "single", KeyNaming.of(KeyLayout.SINGLE, true, null));

    static Stream<Arguments> goldenVariants() {
        return GoldenVectors.keys().stream().flatMap(g -> VARIANTS.keySet().stream().sorted()
                .map(v -> Arguments.of(g, v)));
    }

    @ParameterizedTest(name = "{1}: {0}")
    @MethodSource("goldenVariants")
    void namesEqualTheGoldenRedisKeysAndTheirSlots(GoldenKey g, String variant) {
        KeyNaming naming = VARIANTS.get(variant);
        ChunkKey key = g.toChunkKey();
        Map<String, String> names = g.redisKeys().get(variant);
        Map<String, Integer> slots = g.clusterSlots().get(variant);

        if (naming.hasMetadataKey()) {
            assertThat(naming.metadataKey(key)).isEqualTo(names.get("metadata"));
            assertThat(naming.dataKey(key)).isEqualTo(names.get("kv_bytes"));
            assertThat(ClusterSlots.slot(naming.metadataKey(key))).isEqualTo(slots.get("metadata"));
            assertThat(ClusterSlots.slot(naming.dataKey(key))).isEqualTo(slots.get("kv_bytes"));
        } else {
            assertThat(naming.dataKey(key)).isEqualTo(names.get("value"));
            assertThat(ClusterSlots.slot(naming.dataKey(key))).isEqualTo(slots.get("value"));
        }
    }

    @ParameterizedTest(name = "{1}: {0}")
    @MethodSource("goldenVariants")
    void goldenRedisKeysParseBackToTheirChunkAndRole(GoldenKey g, String variant) {
        KeyNaming naming = VARIANTS.get(variant);
        Map<String, String> names = g.redisKeys().get(variant);

        if (naming.hasMetadataKey()) {
            assertThat(naming.parse(names.get("metadata"))).hasValue(new NamedKey(g.toChunkKey(), Role.METADATA));
            assertThat(naming.parse(names.get("kv_bytes"))).hasValue(new NamedKey(g.toChunkKey(), Role.DATA));
        } else {
            assertThat(naming.parse(names.get("value"))).hasValue(new NamedKey(g.toChunkKey(), Role.DATA));
        }
    }

    @Test
    void aChunksKeyNamesAreItsMetadataKeyThenItsDataKeyOrTheDataKeyAloneForRawLayouts() {
        ChunkKey k = ChunkKey.of("m", 1, 0, 42L, "bfloat16");
        KeyNaming tagged = KeyNaming.of(KeyLayout.TAGGED, true, "t");
        assertThat(tagged.keyNames(k)).containsExactly(tagged.metadataKey(k), tagged.dataKey(k));
        KeyNaming single = KeyNaming.of(KeyLayout.SINGLE, false, null);
        assertThat(single.keyNames(k)).containsExactly(single.dataKey(k));
    }

    @Test
    void theNamingOfAConfigurationIsThatOfItsLayoutAndKeyPrefix() {
        StoreConfig c = StoreConfig.builder().url("redis://h:1").keyLayout(KeyLayout.TAGGED).keyPrefix("tenant").build();
        ChunkKey k = ChunkKey.of("m", 1, 0, 42L, "bfloat16");
        assertThat(KeyNaming.of(c, true).keyNames(k))
                .isEqualTo(KeyNaming.of(KeyLayout.TAGGED, true, "tenant").keyNames(k))
                .containsExactly("{tenant@" + k + "}:metadata", "{tenant@" + k + "}:kv_bytes");
    }

    @Test
    void tagsKeepBothKeysOfAChunkInOneClusterSlot() {
        KeyNaming tagged = KeyNaming.of(KeyLayout.TAGGED, true, "tenant-1");
        for (GoldenKey g : GoldenVectors.keys()) {
            ChunkKey k = g.toChunkKey();
            assertThat(ClusterSlots.slot(tagged.metadataKey(k))).isEqualTo(ClusterSlots.slot(tagged.dataKey(k)));
        }
    }

    @Test
    void aKeyPrefixLeadsEveryName() {
        ChunkKey k = ChunkKey.parse("facebook/opt-125m@1@0@75bcd15@bfloat16");

        assertThat(KeyNaming.of(KeyLayout.LMCACHE, true, "prod").metadataKey(k))
                .isEqualTo("prod@facebook/opt-125m@1@0@75bcd15@bfloat16metadata");
        assertThat(KeyNaming.of(KeyLayout.LMCACHE, true, "prod").dataKey(k))
                .isEqualTo("prod@facebook/opt-125m@1@0@75bcd15@bfloat16kv_bytes");
        assertThat(KeyNaming.of(KeyLayout.TAGGED, false, "prod").metadataKey(k))
                .isEqualTo("prod@facebook/opt-125m@1@0@75bcd15@bfloat16:metadata");
        assertThat(KeyNaming.of(KeyLayout.TAGGED, true, "prod").dataKey(k))
                .isEqualTo("{prod@facebook/opt-125m@1@0@75bcd15@bfloat16}:kv_bytes");
        assertThat(KeyNaming.of(KeyLayout.SINGLE, false, "prod").dataKey(k))
                .isEqualTo("prod@facebook/opt-125m@1@0@75bcd15@bfloat16");
        assertThat(KeyNaming.of(KeyLayout.MP, false, "prod").dataKey(k))
                .isEqualTo("prod@facebook/opt-125m@01000100@0@00000000075bcd15");
    }

    static Stream<KeyNaming> allNamings() {
        return Stream.concat(Stream.of(KeyLayout.values()).flatMap(l -> Stream.of(false, true).flatMap(c -> Stream.of(
                KeyNaming.of(l, c, null), KeyNaming.of(l, c, "prod")))),
                Stream.of(KeyNaming.of(KeyLayout.MP, false, null, null), KeyNaming.of(KeyLayout.MP, true, "prod", 3)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("allNamings")
    void everyNameParsesBackToAKeyWithTheSameNames(KeyNaming naming) {
        List<ChunkKey> keys = Stream.concat(
                GoldenVectors.keys().stream().map(GoldenKey::toChunkKey)
                        .filter(k -> naming.layout() != KeyLayout.MP || (k.layer().isEmpty() && k.tags().isEmpty())),
                Stream.of(ChunkKey.builder().model("m").chunkHash(1).dtype("half").tag("cache_salt", "s").build(),
                        ChunkKey.parse("vllm@m@1@0@-1@fp8_e4m3@2", true)
                ).filter(k -> naming.layout() != KeyLayout.MP || k.layer().isEmpty())).toList();
        for (ChunkKey k : keys) {
            String data = naming.dataKey(k);
            NamedKey parsed = naming.parse(data).orElseThrow(() -> new AssertionError("not parsed: " + data));
            assertThat(parsed.role()).isEqualTo(Role.DATA);
            assertThat(naming.dataKey(parsed.key())).isEqualTo(data);
            if (naming.layout() != KeyLayout.MP) {
                assertThat(parsed.key()).isEqualTo(k);
            }
            if (naming.hasMetadataKey()) {
                assertThat(naming.parse(naming.metadataKey(k))).hasValue(new NamedKey(k, Role.METADATA));
            }
            assertThat(globMatches(naming.allKeysScanPattern(), data)).as(data).isTrue();
            // Keys in the older form start with their format field, so only the unfiltered scan finds them.
            assertThat(globMatches(naming.chunkScanPattern(k.model()), naming.hasMetadataKey()
                    ? naming.metadataKey(k) : data)).as(data).isEqualTo(k.legacyFormat().isEmpty());
            assertThat(globMatches(naming.chunkScanPattern(null), naming.hasMetadataKey()
                    ? naming.metadataKey(k) : data)).as(data).isTrue();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("allNamings")
    void namesOfOtherLayoutsOrPrefixesAreNotParsed(KeyNaming naming) {
        assertThat(naming.parse("unrelated")).isEmpty();
        assertThat(naming.parse("")).isEmpty();
        if (naming.keyPrefix().isPresent()) {
            assertThat(naming.parse("other@m@1@0@1@half")).isEmpty();
            assertThat(naming.parse("m@1@0@1@half")).isEmpty();
        }
    }

    @Test
    void mpNamesMapBackToAChunkKeyThatNamesThemAgain() {
        KeyNaming mp = KeyNaming.of(KeyLayout.MP, false, "prod");
        String name = "prod@meta-llama/Llama-3.1-8B@04020402@0@9f86d081884c7d65@tenant-a";

        ChunkKey k = mp.parse(name).orElseThrow().key();

        assertThat(k.model()).isEqualTo("meta-llama/Llama-3.1-8B");
        assertThat(k.worldSize()).isEqualTo(4);
        assertThat(k.workerId()).isEqualTo(2);
        assertThat(k.tags()).containsExactly(new ChunkKey.Tag("cache_salt", "tenant-a"));
        assertThat(mp.dataKey(k)).isEqualTo(name);
        assertThat(KeyNaming.of(KeyLayout.MP, false, null).dataKey(
                ChunkKey.parse("llama-7b@13@12@a1b2c3d4@half"))).isEqualTo("llama-7b@0d0c0d0c@0@a1b2c3d4");
    }

    @Test
    void mpNamesCarryTheDeploymentsObjectGroupOrNoneForLmcacheBeforeJune2026() {
        ChunkKey k = ChunkKey.parse("llama-7b@1@0@a1b2c3d4@half");
        ChunkKey grouped = ChunkKey.builder().model("llama-7b").chunkHashHex("a1b2c3d4").dtype("half")
                .tag("object_group", "1f").build();

        assertThat(KeyNaming.of(KeyLayout.MP, false, null, null).dataKey(k)).isEqualTo("llama-7b@01000100@a1b2c3d4");
        assertThat(KeyNaming.of(KeyLayout.MP, false, null, 2).dataKey(k)).isEqualTo("llama-7b@01000100@2@a1b2c3d4");
        assertThat(KeyNaming.of(KeyLayout.MP, false, null, 2).dataKey(grouped))
                .isEqualTo("llama-7b@01000100@1f@a1b2c3d4");
        assertThat(KeyNaming.of(KeyLayout.MP, false, null, 2).parse("llama-7b@01000100@1f@a1b2c3d4").orElseThrow()
                .key()).isEqualTo(ChunkKey.builder().model("llama-7b").chunkHashHex("a1b2c3d4").dtype("uint8")
                .tag("object_group", "1f").build());
        assertThatThrownBy(() -> KeyNaming.of(KeyLayout.MP, false, null, null).dataKey(grouped))
                .hasMessageContaining("tag 'object_group'");
        // A name of the other form, or with a rank that is not LMCache's packed one, is not a chunk of this store.
        assertThat(KeyNaming.of(KeyLayout.MP, false, null, null).parse("llama-7b@01000100@2@a1b2c3d4")).isEmpty();
        assertThat(KeyNaming.of(KeyLayout.MP, false, null).parse("llama-7b@01000100@a1b2c3d4")).isEmpty();
        assertThat(KeyNaming.of(KeyLayout.MP, false, null).parse("llama-7b@0000000c@0@a1b2c3d4")).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(value = KeyLayout.class, names = {"SINGLE", "MP"})
    void singleKeyLayoutsHaveNoMetadataKey(KeyLayout layout) {
        KeyNaming naming = KeyNaming.of(layout, false, null);

        assertThat(naming.hasMetadataKey()).isFalse();
        assertThatThrownBy(() -> naming.metadataKey(ChunkKey.of("m", 1, 0, 1L, "half")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no metadata key");
    }

    @Test
    void scanPatternsEscapeGlobCharactersInTheModel() {
        KeyNaming lmcache = KeyNaming.of(KeyLayout.LMCACHE, false, null);

        assertThat(lmcache.chunkScanPattern("org/m*[x]?\\")).isEqualTo("org/m\\*\\[x\\]\\?\\\\@*metadata");
        assertThat(lmcache.chunkScanPattern(null)).isEqualTo("*metadata");
        assertThat(KeyNaming.of(KeyLayout.TAGGED, true, "p").chunkScanPattern("m")).isEqualTo("{p@m@*}:metadata");
        assertThat(KeyNaming.of(KeyLayout.TAGGED, true, "p").allKeysScanPattern()).isEqualTo("{p@*}:*");
        assertThat(KeyNaming.of(KeyLayout.SINGLE, false, "p").allKeysScanPattern()).isEqualTo("p@*");
        assertThat(KeyNaming.of(KeyLayout.MP, false, null).chunkScanPattern("m")).isEqualTo("m@*");
    }

    @Test
    void scanByModelMatchesOnlyThatModel() {
        KeyNaming lmcache = KeyNaming.of(KeyLayout.LMCACHE, false, null);
        String pattern = lmcache.chunkScanPattern("org/m*");

        assertThat(globMatches(pattern, lmcache.metadataKey(ChunkKey.of("org/m*", 1, 0, 1L, "half")))).isTrue();
        assertThat(globMatches(pattern, lmcache.metadataKey(ChunkKey.of("org/mx", 1, 0, 1L, "half")))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"a@b", "a*", "a?", "a[", "a]", "a\\", "{a}", "a}"})
    void invalidKeyPrefixesAreRejectedNamingTheCharacter(String prefix) {
        assertThatThrownBy(() -> KeyNaming.of(KeyLayout.LMCACHE, false, prefix))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("key prefix '" + prefix + "'")
                .hasMessageContaining("expected a name without '@' or the glob characters");
    }

    @Test
    void anEmptyPrefixMeansNoPrefix() {
        assertThat(KeyNaming.of(KeyLayout.SINGLE, false, "").keyPrefix()).isEqualTo(Optional.empty());
        assertThat(KeyNaming.of(KeyLayout.SINGLE, false, "").dataKey(ChunkKey.of("m", 1, 0, 1L, "half")))
                .isEqualTo("m@1@0@1@half");
    }

    /** Redis glob semantics for *, ? and backslash escapes (enough for the patterns produced here). */
    private static boolean globMatches(String pattern, String s) {
        return glob(pattern, 0, s, 0);
    }

    private static boolean glob(String p, int pi, String s, int si) {
        while (pi < p.length()) {
            char c = p.charAt(pi);
            if (c == '*') {
                for (int k = si; k <= s.length(); k++) {
                    if (glob(p, pi + 1, s, k)) {
                        return true;
                    }
                }
                return false;
            }
            if (si >= s.length()) {
                return false;
            }
            if (c == '?') {
                pi++;
                si++;
                continue;
            }
            if (c == '[') {
                throw new IllegalArgumentException("unescaped [ in " + p);
            }
            if (c == '\\') {
                pi++;
                c = p.charAt(pi);
            }
            if (c != s.charAt(si)) {
                return false;
            }
            pi++;
            si++;
        }
        return si == s.length();
    }
}
