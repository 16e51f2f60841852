package dev.lmcache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lmcache.redis.GoldenVectors.GoldenKey;
import java.math.BigInteger;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ChunkKeyTest {

    static List<GoldenKey> goldenKeys() {
        return GoldenVectors.keys();
    }

    @ParameterizedTest
    @MethodSource("goldenKeys")
    void goldenKeyRendersIdenticallyFromItsFields(GoldenKey g) {
        assertThat(g.toChunkKey().toString()).isEqualTo(g.string());
    }

    @ParameterizedTest
    @MethodSource("goldenKeys")
    void goldenKeyParsesToItsFieldsAndRendersBackIdentically(GoldenKey g) {
        ChunkKey k = ChunkKey.parse(g.string());

        assertThat(k.model()).isEqualTo(g.model());
        assertThat(k.worldSize()).isEqualTo(g.worldSize());
        assertThat(k.workerId()).isEqualTo(g.workerId());
        assertThat(k.chunkHashValue()).isEqualTo(g.chunkHash());
        assertThat(k.dtype()).isEqualTo(g.dtype());
        assertThat(k.layer()).isEqualTo(g.layer() == null ? OptionalInt.empty() : OptionalInt.of(g.layer()));
        assertThat(k.tags()).extracting(t -> List.of(t.name(), t.value())).isEqualTo(g.tags());
        assertThat(k.legacyFormat()).isEmpty();
        assertThat(k.toString()).isEqualTo(g.string());
        assertThat(k).isEqualTo(g.toChunkKey()).hasSameHashCodeAs(g.toChunkKey());
    }

    @Test
    void negativeHashesRenderAsMinusAndTheAbsoluteValueNotTwosComplement() {
        assertThat(ChunkKey.of("m", 1, 0, -123456789L, "half").chunkHash()).isEqualTo("-75bcd15");
        assertThat(ChunkKey.of("m", 1, 0, Long.MIN_VALUE, "half").chunkHash()).isEqualTo("-8000000000000000");
        assertThat(ChunkKey.of("m", 1, 0, BigInteger.valueOf(Long.MIN_VALUE), "half").chunkHash())
                .isEqualTo("-8000000000000000");
        assertThat(ChunkKey.of("m", 1, 0, 0L, "half").chunkHash()).isEqualTo("0");
    }

    @Test
    void hashesAboveTwoToThe63RenderAsUnsignedHex() {
        BigInteger h = new BigInteger("11495104353665842533");

        ChunkKey k = ChunkKey.of("m", 1, 0, h, "half");

        assertThat(k.chunkHash()).isEqualTo("9f86d081884c7d65");
        assertThat(k.chunkHashValue()).isEqualTo(h);
    }

    @Test
    void bytesHashesRenderAsBytesHexKeepingLeadingZeros() {
        ChunkKey k = ChunkKey.builder().model("m").chunkHashBytes(new byte[] {0, 0x0a, (byte) 0xff}).dtype("half")
                .build();

        assertThat(k.toString()).isEqualTo("m@1@0@000aff@half");
        assertThat(k.chunkHashValue()).isEqualTo(BigInteger.valueOf(0x0aff));
        assertThat(ChunkKey.parse(k.toString())).isEqualTo(k);
    }

    @Test
    void hexHashesAreKeptExactlyAsGiven() {
        ChunkKey k = ChunkKey.builder().model("m").chunkHashHex("00ab").dtype("half").build();

        assertThat(k.chunkHash()).isEqualTo("00ab");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ABC", "0xabc", "", "-", "-0ab", "12g4", " ab"})
    void nonCanonicalHexHashesAreRejectedByTheBuilder(String hex) {
        assertThatThrownBy(() -> ChunkKey.builder().chunkHashHex(hex))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("chunk_hash '" + hex + "'");
    }

    @Test
    void equalKeysAreThoseWithEqualStrings() {
        ChunkKey a = ChunkKey.of("org/model", 2, 1, 255L, "bfloat16");
        ChunkKey b = ChunkKey.builder().model("org/model").worldSize(2).workerId(1).chunkHashHex("ff")
                .dtype("bfloat16").build();

        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a).isNotEqualTo(a.withLayer(0));
    }

    @Test
    void withHelpersChangeOnlyTheirField() {
        ChunkKey k = ChunkKey.builder().model("m").worldSize(4).workerId(2).chunkHash(1).dtype("half")
                .tag("user", "alice").build();

        assertThat(k.withChunkHash(-1).toString()).isEqualTo("m@4@2@-1@half@user%alice");
        assertThat(k.withLayer(7).toString()).isEqualTo("m@4@2@1@half@7@user%alice");
        assertThat(k.withLayer(7).withoutLayer()).isEqualTo(k);
    }

    @Test
    void tagsKeepTheirOrderAndValuesMayContainPercent() {
        ChunkKey k = ChunkKey.parse("m@1@0@1@half@b%1@a%x%y@c%");

        assertThat(k.tags()).containsExactly(new ChunkKey.Tag("b", "1"), new ChunkKey.Tag("a", "x%y"),
                new ChunkKey.Tag("c", ""));
        assertThat(k.toString()).isEqualTo("m@1@0@1@half@b%1@a%x%y@c%");
    }

    @Test
    void onlyThePartRightAfterDtypeCanBeALayer() {
        ChunkKey k = ChunkKey.parse("m@1@0@1@half@12@t%3");

        assertThat(k.layer()).hasValue(12);
        assertThatThrownBy(() -> ChunkKey.parse("m@1@0@1@half@12@3"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tag '3'");
    }

    static Stream<Arguments> malformedKeys() {
        return Stream.of(
                Arguments.of("m@1@0@abc", "has 4 '@'-separated parts; expected at least 5"),
                Arguments.of("m", "has 1 '@'-separated parts"),
                Arguments.of("m@x@0@abc@half", "world_size 'x' in key 'm@x@0@abc@half' is not a decimal integer"),
                Arguments.of("m@-1@0@abc@half", "world_size '-1'"),
                Arguments.of("m@0@0@abc@half", "world_size '0' in key 'm@0@0@abc@half' must be at least 1"),
                Arguments.of("m@01@0@abc@half", "world_size '01' in key 'm@01@0@abc@half' has a leading zero"),
                Arguments.of("m@99999999999@0@abc@half", "world_size '99999999999'"),
                Arguments.of("m@2@2@abc@half", "worker_id '2' in key 'm@2@2@abc@half' must be less than world_size 2"),
                Arguments.of("m@2@+1@abc@half", "worker_id '+1'"),
                Arguments.of("@1@0@abc@half", "model in key '@1@0@abc@half' is empty"),
                Arguments.of("m@1@0@ABC@half", "chunk_hash 'ABC' in key 'm@1@0@ABC@half' is not lowercase hex"),
                Arguments.of("m@1@0@0xabc@half", "chunk_hash '0xabc'"),
                Arguments.of("m@1@0@@half", "chunk_hash '' in key 'm@1@0@@half' is empty"),
                Arguments.of("m@1@0@-0ab@half", "chunk_hash '-0ab'"),
                Arguments.of("m@1@0@abc@float16", "dtype 'float16' in key 'm@1@0@abc@float16' is not one of half"),
                Arguments.of("m@1@0@abc@fp8_e4m3", "dtype 'fp8_e4m3'"),
                Arguments.of("m@1@0@abc@half@user", "tag 'user' in key 'm@1@0@abc@half@user' has no '%'"),
                Arguments.of("m@1@0@abc@half@%v", "tag '%v' in key 'm@1@0@abc@half@%v' has an empty name"),
                Arguments.of("m@1@0@abc@half@03", "layer '03' in key 'm@1@0@abc@half@03' has a leading zero"),
                Arguments.of("m@1@0@abc@half@", "tag '' in key"));
    }

    @ParameterizedTest
    @MethodSource("malformedKeys")
    void malformedKeysAreRejectedNamingThePartAndTheAcceptedForm(String key, String expectedMessage) {
        assertThatThrownBy(() -> ChunkKey.parse(key))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(expectedMessage)
                .hasMessageContaining("expected")
                .hasMessageContaining("model@world_size@worker_id@chunk_hash@dtype[@layer][@tag%value]...");
    }

    @ParameterizedTest
    @CsvSource({
        "vllm@facebook/opt-125m@1@0@75bcd15@bfloat16, vllm, facebook/opt-125m, bfloat16",
        "vllm@m@4@3@-75bcd15@fp8_e4m3@5@user%bob, vllm, m, fp8_e4m3",
        "hf@m@1@0@75bcd15@half, hf, m, half",
    })
    void legacyKeysWithAFormatFieldParseWhenAskedAndRenderBackIdentically(String s, String fmt, String model,
                                                                          String dtype) {
        ChunkKey k = ChunkKey.parse(s, true);

        assertThat(k.legacyFormat()).hasValue(fmt);
        assertThat(k.model()).isEqualTo(model);
        assertThat(k.dtype()).isEqualTo(dtype);
        assertThat(k.toString()).isEqualTo(s);
        assertThat(ChunkKey.parse(k.toString(), true)).isEqualTo(k);
    }

    @Test
    void legacyKeysAreRejectedWhenNotAskedFor() {
        assertThatThrownBy(() -> ChunkKey.parse("vllm@facebook/opt-125m@1@0@75bcd15@bfloat16"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("world_size 'facebook/opt-125m'");
    }

    @Test
    void currentKeysParseAsCurrentEvenWhenLegacyKeysAreAccepted() {
        for (GoldenKey g : GoldenVectors.keys()) {
            ChunkKey k = ChunkKey.parse(g.string(), true);
            assertThat(k.legacyFormat()).isEmpty();
            assertThat(k).isEqualTo(g.toChunkKey());
        }
    }

    @Test
    void olderDtypeNamesAreAcceptedOnlyInLegacyMode() {
        assertThat(ChunkKey.parse("m@1@0@1@fp8_e4m3", true).dtype()).isEqualTo("fp8_e4m3");
        assertThat(ChunkKey.parse("m@1@0@1@fp8", true).dtype()).isEqualTo("fp8");
        assertThatThrownBy(() -> ChunkKey.parse("m@1@0@1@fp8"))
                .hasMessageContaining("dtype 'fp8'");
    }

    @Test
    void legacyKeyErrorsQuoteTheLegacyForm() {
        assertThatThrownBy(() -> ChunkKey.parse("vllm@m@x@0@1@half", true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("world_size 'x'")
                .hasMessageContaining("fmt@model@world_size");
    }

    @Test
    void builderRejectsInvalidFieldsNamingThem() {
        assertThatThrownBy(() -> ChunkKey.of("a@b", 1, 0, 1L, "half")).hasMessageContaining("model 'a@b'");
        assertThatThrownBy(() -> ChunkKey.of("", 1, 0, 1L, "half")).hasMessageContaining("model ''");
        assertThatThrownBy(() -> ChunkKey.of("m", 0, 0, 1L, "half")).hasMessageContaining("worldSize 0");
        assertThatThrownBy(() -> ChunkKey.of("m", 2, 2, 1L, "half")).hasMessageContaining("workerId 2");
        assertThatThrownBy(() -> ChunkKey.of("m", 1, 0, 1L, "fp16")).hasMessageContaining("dtype 'fp16'");
        assertThatThrownBy(() -> ChunkKey.builder().model("m").dtype("half").build())
                .hasMessageContaining("chunk hash is missing");
        assertThatThrownBy(() -> ChunkKey.builder().tag("a%b", "v")).hasMessageContaining("tag name 'a%b'");
        assertThatThrownBy(() -> ChunkKey.builder().tag("", "v")).hasMessageContaining("tag name ''");
        assertThatThrownBy(() -> ChunkKey.builder().tag("a", "x@y")).hasMessageContaining("contains '@'");
        assertThatThrownBy(() -> ChunkKey.builder().layer(-1)).hasMessageContaining("layer -1");
    }

    @Test
    void builderWritesTheLegacyFormWhenGivenAFormatField() {
        ChunkKey k = ChunkKey.builder().legacyFormat("vllm").model("m").chunkHash(1).dtype("fp8_e4m3").build();

        assertThat(k.toString()).isEqualTo("vllm@m@1@0@1@fp8_e4m3");
        assertThat(ChunkKey.parse(k.toString(), true)).isEqualTo(k);
    }

    @Test
    void integerHashesBecomeEightBigEndianBytesForMultiprocessNames() {
        assertThat(ChunkKey.of("m", 1, 0, 12345L, "half").chunkHashBytesHex()).isEqualTo("0000000000003039");
        assertThat(ChunkKey.of("m", 1, 0, -1L, "half").chunkHashBytesHex()).isEqualTo("ffffffffffffffff");
        assertThat(ChunkKey.of("m", 1, 0, Long.MIN_VALUE, "half").chunkHashBytesHex()).isEqualTo("8000000000000000");
        assertThat(ChunkKey.of("m", 1, 0, new BigInteger("11495104353665842533"), "half").chunkHashBytesHex())
                .isEqualTo("9f86d081884c7d65");
    }

    @Test
    void bytesAndParsedHashesAreKeptForMultiprocessNamesWhenTheyAreWholeBytes() {
        assertThat(ChunkKey.builder().model("m").chunkHashBytes(new byte[] {(byte) 0xa1, 0x02}).dtype("half").build()
                .chunkHashBytesHex()).isEqualTo("a102");
        assertThat(ChunkKey.parse("m@1@0@a1b2c3d4@half").chunkHashBytesHex()).isEqualTo("a1b2c3d4");
        assertThat(ChunkKey.parse("m@1@0@-75bcd15@half").chunkHashBytesHex()).isEqualTo("fffffffff8a432eb");
        assertThat(ChunkKey.parse("m@1@0@abc@half").chunkHashBytesHex()).isEqualTo("0000000000000abc");
    }

    @Test
    void withWorkerNamesAnotherRankOfTheSameChunkAndChecksIt() {
        ChunkKey k = ChunkKey.parse("m@4@0@75bcd15@half@user%a");

        assertThat(k.withWorker(4, 3)).isEqualTo(ChunkKey.parse("m@4@3@75bcd15@half@user%a"));
        assertThat(k.withWorker(4, 3).toString()).isEqualTo("m@4@3@75bcd15@half@user%a");
        assertThatThrownBy(() -> k.withWorker(4, 4)).hasMessageContaining("worker 4 of world size 4 is invalid");
        assertThatThrownBy(() -> k.withWorker(0, 0)).hasMessageContaining("world size 0");
    }
}
