package dev.lmcache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class MpKeyTest {

    static List<Map<String, Object>> goldenMpKeys() {
        return GoldenVectors.mpKeys();
    }

    private static MpKey fromGolden(Map<String, Object> g) {
        return new MpKey((String) g.get("prefix"), (String) g.get("model"), (Integer) g.get("kv_rank"),
                (Integer) g.get("object_group_id"), (String) g.get("chunk_hash_hex"), (String) g.get("cache_salt"));
    }

    @ParameterizedTest
    @MethodSource("goldenMpKeys")
    void goldenMpKeyRendersFromItsFields(Map<String, Object> g) {
        assertThat(fromGolden(g).toString()).isEqualTo(g.get("string"));
    }

    @ParameterizedTest
    @MethodSource("goldenMpKeys")
    void goldenMpKeyParsesToItsFieldsGivenThePrefixAndObjectGroupSetting(Map<String, Object> g) {
        MpKey k = MpKey.parse((String) g.get("string"), (String) g.get("prefix"), g.get("object_group_id") != null);

        assertThat(k).isEqualTo(fromGolden(g));
        assertThat(k.toString()).isEqualTo(g.get("string"));
    }

    @Test
    void emptyPrefixAndSaltMeanNone() {
        MpKey k = new MpKey("", "m", 1, null, "ab", "");

        assertThat(k.keyPrefix()).isNull();
        assertThat(k.cacheSalt()).isNull();
        assertThat(k.toString()).isEqualTo("m@00000001@ab");
    }

    @Test
    void theSameNameReadsDifferentlyUnderDifferentSettings() {
        String s = "a@00000001@00000002@aabbccdd";

        assertThat(MpKey.parse(s, false)).isEqualTo(new MpKey(null, "a", 1, null, "00000002", "aabbccdd"));
        assertThat(MpKey.parse(s, "a", false)).isEqualTo(new MpKey("a", "00000001", 2, null, "aabbccdd", null));
    }

    @Test
    void theConfiguredPrefixMustLeadTheName() {
        assertThatThrownBy(() -> MpKey.parse("llama-7b@0000000c@a1b2c3d4", "prod", false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not start with the key prefix 'prod@'");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "m@c@ab|kv_rank 'c'",
        "m@0000000C@ab|kv_rank '0000000C'",
        "m@ffffffff@ab|kv_rank 'ffffffff'",
        "m@00000001@abc|chunk_hash 'abc' in key 'm@00000001@abc' has an odd number",
        "m@00000001@AB|chunk_hash 'AB'",
        "m@00000001@|chunk_hash ''",
        "m@00000001|has 2 '@'-separated parts",
        "m@00000001@ab@salt@x|has 5 '@'-separated parts",
        "@00000001@ab|model in key",
        "m@00000001@ab@|cache_salt ''",
    })
    void malformedNamesAreRejectedNamingThePart(String s, String message) {
        assertThatThrownBy(() -> MpKey.parse(s, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message)
                .hasMessageContaining("expected");
    }

    @Test
    void objectGroupIdsAreCanonicalHex() {
        assertThat(MpKey.parse("m@00000001@1f@ab", true).objectGroupId()).isEqualTo(31);
        assertThatThrownBy(() -> MpKey.parse("m@00000001@07@ab", true)).hasMessageContaining("object_group_id '07'");
    }

    @Test
    void constructorRejectsInvalidFields() {
        assertThatThrownBy(() -> new MpKey("a@b", "m", 0, null, "ab", null)).hasMessageContaining("key prefix 'a@b'");
        assertThatThrownBy(() -> new MpKey(null, "", 0, null, "ab", null)).hasMessageContaining("model ''");
        assertThatThrownBy(() -> new MpKey(null, "m", -1, null, "ab", null)).hasMessageContaining("kv rank -1");
        assertThatThrownBy(() -> new MpKey(null, "m", 0, -1, "ab", null)).hasMessageContaining("object group id -1");
        assertThatThrownBy(() -> new MpKey(null, "m", 0, null, "a", null)).hasMessageContaining("odd number");
        assertThatThrownBy(() -> new MpKey(null, "m", 0, null, "ab", "x@y")).hasMessageContaining("cache salt");
    }

    @Test
    void chunkKeysMapToMpNamesAsTheEngineNamesThem() {
        ChunkKey k = ChunkKey.builder().model("benchmark/model").worldSize(4).workerId(2).chunkHash(12345)
                .dtype("bfloat16").tag("cache_salt", "tenant-a").build();

        assertThat(MpKey.fromChunkKey(k, null, 0).toString())
                .isEqualTo("benchmark/model@04020402@0@0000000000003039@tenant-a");
        assertThat(MpKey.fromChunkKey(k, "prod", null).toString())
                .isEqualTo("prod@benchmark/model@04020402@0000000000003039@tenant-a");
    }

    @Test
    void chunkKeysThatMpNamesCannotTellApartAreRejected() {
        ChunkKey base = ChunkKey.of("m", 1, 0, 1L, "half");

        assertThatThrownBy(() -> MpKey.fromChunkKey(base.withLayer(3), null, 0)).hasMessageContaining("layer-wise");
        assertThatThrownBy(() -> MpKey.fromChunkKey(
                ChunkKey.builder().model("m").chunkHash(1).dtype("half").tag("user", "a").build(), null, 0))
                .hasMessageContaining("tag 'user'");
        assertThatThrownBy(() -> MpKey.fromChunkKey(
                ChunkKey.builder().model("m").chunkHash(1).dtype("half").tag("object_group", "07").build(), null, 0))
                .hasMessageContaining("object_group '07'");
        assertThatThrownBy(() -> MpKey.fromChunkKey(ChunkKey.of("m", 128, 0, 1L, "half"), null, 0))
                .hasMessageContaining("world size 128 is out of range; expected 1 to 127");
    }

    @ParameterizedTest
    @CsvSource({"1,0,01000100", "4,2,04020402", "8,7,08070807", "127,126,7f7e7f7e"})
    void theKvRankPacksWorldSizeAndRankAsLmcacheDoes(int worldSize, int rank, String hex) {
        MpKey k = MpKey.of(null, "m", worldSize, rank, 0, new byte[] {1, 2}, null);

        assertThat(k.toString()).isEqualTo("m@" + hex + "@0@0102");
        assertThat(k.worldSize()).isEqualTo(worldSize);
        assertThat(k.rank()).isEqualTo(rank);
        assertThat(k.hasPackedRank()).isTrue();
        assertThat(MpKey.parse(k.toString())).isEqualTo(k);
    }

    @Test
    void ranksOutsideTheWorldAreRejected() {
        assertThatThrownBy(() -> MpKey.kvRank(4, 4)).hasMessageContaining("rank 4 is out of range for world size 4");
        assertThatThrownBy(() -> MpKey.kvRank(0, 0)).hasMessageContaining("world size 0");
        assertThat(new MpKey(null, "m", 12, 0, "ab", null).hasPackedRank()).isFalse();
        assertThatThrownBy(() -> new MpKey(null, "m", 12, 0, "ab", null).toChunkKey(0))
                .hasMessageContaining("kv_rank 0000000c of 'm@0000000c@0@ab' is not LMCache's packed");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "-", value = {
        "meta-llama/Llama-3.1-8B@01000100@0@9f86d081884c7d65|-|meta-llama/Llama-3.1-8B|0|9f86d081884c7d65|-",
        "prod@meta-llama/Llama-3.1-8B@04020402@0@9f86d081884c7d65@tenant-a|prod|meta-llama/Llama-3.1-8B|0|9f86d081884c7d65|tenant-a",
        "m@01000100@1f@aabb@s|-|m|31|aabb|s",
        "m@01000100@59c2904ddd091ad152d2b3eb4de00d60fe79f359d51ed1d5220716cd27ece8f4@s|-|m|-|59c2904ddd091ad152d2b3eb4de00d60fe79f359d51ed1d5220716cd27ece8f4|s",
        "p@m@01000100@59c2904ddd091ad152d2b3eb4de00d60fe79f359d51ed1d5220716cd27ece8f4|p|m|-|59c2904ddd091ad152d2b3eb4de00d60fe79f359d51ed1d5220716cd27ece8f4|-",
    })
    void aNameAsRedisCliShowsItParsesWithoutBeingToldTheDeploymentsSettings(String name, String prefix, String model,
                                                                            Integer group, String hash, String salt) {
        MpKey k = MpKey.parse(name);

        assertThat(k).isEqualTo(new MpKey(prefix, model, k.kvRank(), group, hash, salt));
        assertThat(k.toString()).isEqualTo(name);
    }

    @ParameterizedTest
    @MethodSource("goldenMpKeys")
    void mpNamesMapToAChunkKeyAndBackToTheSameName(Map<String, Object> g) {
        MpKey golden = fromGolden(g);
        MpKey mp = MpKey.of(golden.keyPrefix(), golden.model(), 4, 3, golden.objectGroupId(), golden.chunkHash(),
                golden.cacheSalt());

        for (Integer deploymentGroup : golden.objectGroupId() == null ? new Integer[] {null} : new Integer[] {0, 7}) {
            ChunkKey k = mp.toChunkKey(deploymentGroup);

            assertThat(k.worldSize()).isEqualTo(4);
            assertThat(k.workerId()).isEqualTo(3);
            assertThat(k.dtype()).isEqualTo("uint8");
            assertThat(MpKey.fromChunkKey(k, mp.keyPrefix(), deploymentGroup)).isEqualTo(mp);
        }
    }
}
