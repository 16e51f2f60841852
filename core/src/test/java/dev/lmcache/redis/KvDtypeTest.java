package dev.lmcache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class KvDtypeTest {

    @ParameterizedTest
    @CsvSource({
        "0, NONE, 1", "1, FLOAT16, 2", "2, FLOAT16, 2", "3, BFLOAT16, 2", "4, FLOAT32, 4", "5, FLOAT64, 8",
        "6, UINT8, 1", "7, FLOAT8_E4M3FN, 1", "8, FLOAT8_E5M2, 1",
    })
    void headerCodesMapToDtypesAndSizes(int code, KvDtype dtype, int size) {
        assertThat(KvDtype.fromCode(code)).isEqualTo(dtype);
        assertThat(dtype.byteSize()).isEqualTo(size);
    }

    @Test
    void float16IsWrittenAsCodeTwo() {
        assertThat(KvDtype.FLOAT16.code()).isEqualTo(2);
    }

    @Test
    void unknownCodesAreRejectedListingTheAcceptedOnes() {
        assertThatThrownBy(() -> KvDtype.fromCode(9))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dtype code 9")
                .hasMessageContaining("1 or 2 (float16)");
    }

    @ParameterizedTest
    @CsvSource({
        "half, FLOAT16", "float16, FLOAT16", "fp16, FLOAT16", "torch.float16, FLOAT16", "BFloat16, BFLOAT16",
        "float, FLOAT32", "float32, FLOAT32", "double, FLOAT64", "float64, FLOAT64", "uint8, UINT8",
        "fp8_e4m3fn, FLOAT8_E4M3FN", "float8_e4m3fn, FLOAT8_E4M3FN", "fp8_e4m3, FLOAT8_E4M3FN",
        "fp8_e5m2, FLOAT8_E5M2", "torch.float8_e5m2, FLOAT8_E5M2", "none, NONE",
    })
    void torchAndLmcacheNamesAreAccepted(String name, KvDtype dtype) {
        assertThat(KvDtype.fromName(name)).isEqualTo(dtype);
    }

    @Test
    void unknownNamesAreRejectedListingTheAcceptedOnes() {
        assertThatThrownBy(() -> KvDtype.fromName("int4"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dtype 'int4'")
                .hasMessageContaining("bfloat16");
    }

    @ParameterizedTest
    @EnumSource(KvDtype.class)
    void keyNamesAreValidChunkKeyDtypesAndMapBack(KvDtype dtype) {
        ChunkKey k = ChunkKey.of("m", 1, 0, 1L, dtype.keyName());

        assertThat(k.dtype()).isEqualTo(dtype.keyName());
        assertThat(KvDtype.fromName(dtype.keyName())).isEqualTo(dtype == KvDtype.NONE ? KvDtype.UINT8 : dtype);
    }

    @Test
    void memoryFormatCodesMapBothWaysAndUnknownOnesAreEmpty() {
        for (MemoryFormat f : MemoryFormat.values()) {
            assertThat(MemoryFormat.fromCode(f.code())).hasValue(f);
        }
        assertThat(MemoryFormat.KV_MLA_FMT.code()).isEqualTo(6);
        assertThat(MemoryFormat.fromCode(7)).isEmpty();
        assertThat(MemoryFormat.fromCode(-1)).isEmpty();
    }
}
