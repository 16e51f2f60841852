package dev.lmcache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lmcache.redis.ChunkMetadata.TensorGroup;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ChunkMetadataTest {

    private static final HexFormat HEX = HexFormat.of();

    static List<Map<String, Object>> goldenVectors() {
        return GoldenVectors.metadataVectors();
    }

    @SuppressWarnings("unchecked")
    private static ChunkMetadata fromGolden(Map<String, Object> v) {
        List<TensorGroup> groups = ((List<Map<String, Object>>) v.get("groups")).stream()
                .map(g -> new TensorGroup(KvDtype.fromCode((Integer) g.get("dtype")), (List<Integer>) g.get("shape")))
                .toList();
        return new ChunkMetadata((Integer) v.get("length"), (Integer) v.get("fmt"), groups);
    }

    @ParameterizedTest
    @MethodSource("goldenVectors")
    void goldenMetadataEncodesToTheExactBytes(Map<String, Object> v) {
        ChunkMetadata m = fromGolden(v);

        assertThat(HEX.formatHex(m.encode())).isEqualTo(v.get("hex"));
        assertThat(m.encodedSize()).isEqualTo(((String) v.get("hex")).length() / 2);
    }

    @ParameterizedTest
    @MethodSource("goldenVectors")
    void goldenMetadataDecodesBackToItsFields(Map<String, Object> v) {
        ChunkMetadata m = ChunkMetadata.decode(HEX.parseHex((String) v.get("hex")));

        assertThat(m).isEqualTo(fromGolden(v));
    }

    @ParameterizedTest
    @MethodSource("goldenVectors")
    void goldenMetadataLengthMatchesItsShapesExceptForCompressedData(Map<String, Object> v) {
        ChunkMetadata m = fromGolden(v);

        assertThat(m.expectedDataBytes()).isEqualTo(m.length());
        if (m.groups().size() == 1 && m.groups().get(0).dtype() != KvDtype.NONE) {
            TensorGroup g = m.groups().get(0);
            int[] shape = g.shape().stream().mapToInt(Integer::intValue).toArray();
            assertThat(ChunkMetadata.of(g.dtype(), MemoryFormat.fromCode(m.fmt()).orElseThrow(), shape)).isEqualTo(m);
        }
    }

    @Test
    void factoriesComputeLengthFromTheShapes() {
        ChunkMetadata llama = ChunkMetadata.of(KvDtype.BFLOAT16, MemoryFormat.KV_2LTD, 2, 32, 256, 1024);
        ChunkMetadata mla = ChunkMetadata.ofGroups(MemoryFormat.KV_MLA_FMT, List.of(
                TensorGroup.of(KvDtype.UINT8, 1, 61, 256, 64), TensorGroup.of(KvDtype.BFLOAT16, 1, 61, 256, 512)));

        assertThat(llama.length()).isEqualTo(33_554_432);
        assertThat(llama.fmt()).isEqualTo(1);
        assertThat(mla.length()).isEqualTo(16_990_208);
        assertThat(mla.encodedSize()).isEqualTo(48);
    }

    @Test
    void shapesWithFewerThanFourDimsAreWrittenWithTrailingZerosAsLmcacheDoes() {
        ChunkMetadata m = ChunkMetadata.of(KvDtype.BFLOAT16, MemoryFormat.KV_T2D, 256, 2, 1024);

        assertThat(m.groups().get(0).shape()).containsExactly(256, 2, 1024);
        assertThat(m.length()).isEqualTo(1_048_576);
        assertThat(HEX.formatHex(m.encode())).isEqualTo("00001000020000000300000000010000020000000004000000000000");
        assertThat(HEX.formatHex(ChunkMetadata.of(KvDtype.FLOAT32, MemoryFormat.KV_MLA_FMT, 256, 576).encode()))
                .endsWith("00010000" + "40020000" + "00000000" + "00000000");
    }

    @Test
    void trailingZeroDimsAreStrippedOnReadExceptForBinaryFormats() {
        ChunkMetadata layerwise = ChunkMetadata.decode(HEX.parseHex(
                "00001000020000000300000000010000020000000004000000000000"));
        ChunkMetadata mla2d = ChunkMetadata.decode(ChunkMetadata.of(KvDtype.BFLOAT16, MemoryFormat.KV_MLA_FMT,
                256, 576).encode());
        ChunkMetadata binary = ChunkMetadata.decode(ChunkMetadata.binary(1000).encode());
        ChunkMetadata compressed = ChunkMetadata.decode(ChunkMetadata.of(77, MemoryFormat.BINARY.code(),
                List.of(new TensorGroup(KvDtype.UINT8, List.of(77, 0, 0, 0)))).encode());

        assertThat(layerwise.groups().get(0).shape()).containsExactly(256, 2, 1024);
        assertThat(layerwise.expectedDataBytes()).isEqualTo(layerwise.length());
        assertThat(mla2d.groups().get(0).shape()).containsExactly(256, 576);
        assertThat(binary.groups().get(0).shape()).containsExactly(1000, 0, 0, 0);
        assertThat(compressed.groups().get(0).shape()).containsExactly(77, 0, 0, 0);
    }

    @Test
    void theLeftPaddedFormThisLibraryWroteBeforeReadsAsThreeDimsForThreeDimensionalFormats() {
        byte[] oldT2d = new ChunkMetadata(1_048_576, MemoryFormat.KV_T2D.code(),
                List.of(new TensorGroup(KvDtype.BFLOAT16, List.of(1, 256, 2, 1024)))).encode();
        byte[] oldTd2 = new ChunkMetadata(1_048_576, MemoryFormat.KV_2TD.code(),
                List.of(new TensorGroup(KvDtype.BFLOAT16, List.of(1, 2, 256, 1024)))).encode();
        byte[] fullMla = ChunkMetadata.of(KvDtype.BFLOAT16, MemoryFormat.KV_MLA_FMT, 1, 61, 256, 576).encode();

        assertThat(ChunkMetadata.decode(oldT2d).groups().get(0).shape()).containsExactly(256, 2, 1024);
        assertThat(ChunkMetadata.decode(oldTd2).groups().get(0).shape()).containsExactly(2, 256, 1024);
        assertThat(ChunkMetadata.decode(fullMla).groups().get(0).shape()).containsExactly(1, 61, 256, 576);
    }

    @Test
    void binaryBuffersAreLengthBytesOfDtypeNone() {
        ChunkMetadata m = ChunkMetadata.binary(1000);

        assertThat(m.fmt()).isEqualTo(MemoryFormat.BINARY_BUFFER.code());
        assertThat(m.groups()).containsExactly(new TensorGroup(KvDtype.NONE, List.of(1000, 0, 0, 0)));
        assertThat(m.expectedDataBytes()).isEqualTo(1000);
        assertThat(HEX.formatHex(m.encode())).isEqualTo("e80300000500000000000000e8030000000000000000000000000000");
    }

    @Test
    void rawFactoryKeepsALengthThatDiffersFromTheShapes() {
        ChunkMetadata m = ChunkMetadata.of(1234, MemoryFormat.BINARY.code(),
                List.of(TensorGroup.of(KvDtype.BFLOAT16, 2, 32, 256, 1024)));

        assertThat(m.length()).isEqualTo(1234);
        assertThat(m.expectedDataBytes()).isEqualTo(33_554_432L);
    }

    @Test
    void halfCodeOneReadsAsFloat16AndIsWrittenAsTwo() {
        byte[] header = HEX.parseHex("0000c800010000000100000002000000200000006400000000040000");

        ChunkMetadata m = ChunkMetadata.decode(header);

        assertThat(m.groups().get(0).dtype()).isEqualTo(KvDtype.FLOAT16);
        assertThat(HEX.formatHex(m.encode())).isEqualTo("0000c800010000000200000002000000200000006400000000040000");
    }

    @Test
    void unknownFormatCodesAreCarriedThrough() {
        ChunkMetadata m = ChunkMetadata.of(16, 9, List.of(TensorGroup.of(KvDtype.UINT8, 16)));

        ChunkMetadata back = ChunkMetadata.decode(m.encode());

        assertThat(back.fmt()).isEqualTo(9);
        assertThat(back.memoryFormat()).isEmpty();
        assertThat(back.toString()).contains("fmt=UNKNOWN(9)");
    }

    @Test
    void trailingBytesAfterTheLastWholeGroupAreIgnored() {
        byte[] one = ChunkMetadata.binary(7).encode();
        byte[] padded = new byte[one.length + 19];
        System.arraycopy(one, 0, padded, 0, one.length);
        padded[one.length] = 42;

        assertThat(ChunkMetadata.decode(padded)).isEqualTo(ChunkMetadata.binary(7));
    }

    @Test
    void decodingReadsTheRemainingBytesWithoutMovingTheBufferOrChangingItsOrder() {
        byte[] enc = ChunkMetadata.binary(5).encode();
        ByteBuffer buf = ByteBuffer.allocate(enc.length + 3).order(ByteOrder.BIG_ENDIAN);
        buf.position(3);
        buf.put(enc).position(3);

        ChunkMetadata m = ChunkMetadata.decode(buf);

        assertThat(m).isEqualTo(ChunkMetadata.binary(5));
        assertThat(buf.position()).isEqualTo(3);
        assertThat(buf.order()).isEqualTo(ByteOrder.BIG_ENDIAN);
    }

    @Test
    void encodingToABufferAdvancesItsPositionAndKeepsItsOrder() {
        ChunkMetadata m = ChunkMetadata.of(KvDtype.BFLOAT16, MemoryFormat.KV_2LTD, 2, 32, 256, 1024);
        ByteBuffer buf = ByteBuffer.allocate(40).order(ByteOrder.BIG_ENDIAN);
        buf.position(4);

        m.encodeTo(buf);

        assertThat(buf.position()).isEqualTo(32);
        assertThat(buf.order()).isEqualTo(ByteOrder.BIG_ENDIAN);
        assertThat(ChunkMetadata.decode(buf.flip().position(4))).isEqualTo(m);
    }

    @Test
    void encodingToATooSmallBufferWritesNothing() {
        ByteBuffer buf = ByteBuffer.allocate(27);

        assertThatThrownBy(() -> ChunkMetadata.binary(1).encodeTo(buf)).isInstanceOf(BufferOverflowException.class);
        assertThat(buf.position()).isZero();
    }

    @Test
    void truncatedHeadersAreRejectedNamingTheirSize() {
        assertThatThrownBy(() -> ChunkMetadata.decode(new byte[12]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("metadata header is 12 bytes; expected 28 (one group) or 8+20n");
        assertThatThrownBy(() -> ChunkMetadata.decode(new byte[0])).hasMessageContaining("is 0 bytes");
    }

    @Test
    void negativeLengthIsRejected() {
        byte[] h = ChunkMetadata.binary(1).encode();
        ByteBuffer.wrap(h).order(ByteOrder.LITTLE_ENDIAN).putInt(0, -5);

        assertThatThrownBy(() -> ChunkMetadata.decode(h))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("length -5 is negative");
    }

    @Test
    void unknownDtypeCodeIsRejectedListingTheAcceptedOnes() {
        byte[] h = ChunkMetadata.binary(1).encode();
        ByteBuffer.wrap(h).order(ByteOrder.LITTLE_ENDIAN).putInt(8, 99);

        assertThatThrownBy(() -> ChunkMetadata.decode(h))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dtype code 99 is not supported")
                .hasMessageContaining("3 (bfloat16)");
    }

    @Test
    void negativeDimIsRejected() {
        byte[] h = ChunkMetadata.binary(1).encode();
        ByteBuffer.wrap(h).order(ByteOrder.LITTLE_ENDIAN).putInt(16, -2);

        assertThatThrownBy(() -> ChunkMetadata.decode(h))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("group 0 dim 1 is -2");
    }

    @Test
    void constructorRejectsInvalidFields() {
        assertThatThrownBy(() -> ChunkMetadata.of(-1, 1, List.of(TensorGroup.of(KvDtype.UINT8, 1))))
                .hasMessageContaining("length -1");
        assertThatThrownBy(() -> ChunkMetadata.of(1, 1, List.of())).hasMessageContaining("at least one tensor group");
        assertThatThrownBy(() -> new TensorGroup(KvDtype.UINT8, List.of(1, 2, 3, 4, 5)))
                .hasMessageContaining("has 5 dims; expected 1 to 4");
        assertThatThrownBy(() -> new TensorGroup(KvDtype.UINT8, List.of())).hasMessageContaining("has 0 dims");
        assertThatThrownBy(() -> TensorGroup.of(KvDtype.UINT8, 1, 2, 3, 4, 5)).hasMessageContaining("expected 1 to 4");
        assertThatThrownBy(() -> TensorGroup.of(KvDtype.UINT8, 1, -2)).hasMessageContaining("negative");
    }

    @Test
    void shapesLargerThanAnIntOfBytesAreRejected() {
        assertThatThrownBy(() -> ChunkMetadata.of(KvDtype.FLOAT64, MemoryFormat.KV_2LTD, 2, 80, 4096, 8192))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at most 2147483647 bytes");
    }

    @Test
    void toStringIsReadable() {
        assertThat(ChunkMetadata.of(KvDtype.BFLOAT16, MemoryFormat.KV_2LTD, 2, 32, 256, 1024).toString())
                .isEqualTo("ChunkMetadata[length=33554432, fmt=KV_2LTD(1), groups=[bfloat16 [2, 32, 256, 1024]]]");
    }
}
