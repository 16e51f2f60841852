package dev.lmcache.redis.hash;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Canonical CBOR heads and items, as {@code cbor2.dumps(x, canonical=True)} writes them. */
class CborTest {

    private static String hex(byte[] b, int length) {
        return HexFormat.of().formatHex(Arrays.copyOf(b, length));
    }

    @ParameterizedTest
    @CsvSource({
        "0, 00", "23, 17", "24, 1818", "255, 18ff", "256, 190100", "65535, 19ffff", "65536, 1a00010000",
        "4294967295, 1affffffff", "4294967296, 1b0000000100000000", "-1, 1bffffffffffffffff",
    })
    void unsignedIntegersUseTheShortestHead(long unsignedValue, String expected) {
        byte[] b = new byte[Cbor.MAX_HEAD];

        int end = Cbor.head(b, 0, Cbor.UNSIGNED, unsignedValue);

        assertThat(hex(b, end)).isEqualTo(expected);
        if (Long.compareUnsigned(unsignedValue, 0x100000000L) < 0) {
            int tokenEnd = Cbor.token(b, 0, (int) unsignedValue);
            assertThat(hex(b, tokenEnd)).isEqualTo(expected);
        }
    }

    @Test
    void theInProcessInputEncodesAsTheHashingNoteShows() {
        // cbor([5625442194607170974, [1, 2, 3], []]) = 83 1b 4e1195df020de59e 83 01 02 03 80
        byte[] b = new byte[32];
        b[0] = (byte) (Cbor.ARRAY | 3);
        int p = Cbor.head(b, 1, Cbor.UNSIGNED, 5625442194607170974L);
        p = Cbor.head(b, p, Cbor.ARRAY, 3);
        for (int t = 1; t <= 3; t++) {
            p = Cbor.token(b, p, t);
        }
        b[p++] = Cbor.EMPTY_ARRAY;

        assertThat(hex(b, p)).isEqualTo("831b4e1195df020de59e8301020380");
    }

    @Test
    void stringsAndByteStringsCarryTheirLength() {
        byte[] b = new byte[64];

        assertThat(HexFormat.of().formatHex(Cbor.text("0"))).isEqualTo("6130");
        assertThat(HexFormat.of().formatHex(Cbor.text("é"))).isEqualTo("62c3a9");
        assertThat(HexFormat.of().formatHex(Cbor.textArray(List.of()))).isEqualTo("80");
        assertThat(HexFormat.of().formatHex(Cbor.textArray(List.of("a", "bc")))).isEqualTo("8261616262" + "63");
        assertThat(hex(b, Cbor.byteString(b, 0, new byte[32]))).isEqualTo("5820" + "00".repeat(32));
    }
}
