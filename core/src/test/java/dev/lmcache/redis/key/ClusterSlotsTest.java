package dev.lmcache.redis.key;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lmcache.redis.GoldenVectors;
import dev.lmcache.redis.GoldenVectors.GoldenKey;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ClusterSlotsTest {

    static List<GoldenKey> goldenKeys() {
        return GoldenVectors.keys();
    }

    @ParameterizedTest
    @MethodSource("goldenKeys")
    void everyGoldenRedisKeyHashesToItsGoldenSlot(GoldenKey g) {
        int checked = 0;
        for (Map.Entry<String, Map<String, String>> variant : g.redisKeys().entrySet()) {
            for (Map.Entry<String, String> role : variant.getValue().entrySet()) {
                int expected = g.clusterSlots().get(variant.getKey()).get(role.getKey());
                String name = role.getValue();
                assertThat(ClusterSlots.slot(name)).as("%s %s", variant.getKey(), name).isEqualTo(expected);
                assertThat(ClusterSlots.slot(name.getBytes(StandardCharsets.UTF_8))).isEqualTo(expected);
                checked++;
            }
        }
        assertThat(checked).isEqualTo(7);
    }

    @Test
    void theCrc16CheckValueGivesTheKnownSlot() {
        assertThat(ClusterSlots.slot("123456789")).isEqualTo(12739);
        assertThat(ClusterSlots.slot("123456789".getBytes(StandardCharsets.US_ASCII))).isEqualTo(12739);
    }

    @Test
    void onlyTheFirstNonEmptyHashTagIsHashed() {
        int foo = ClusterSlots.slot("foo");

        assertThat(ClusterSlots.slot("{foo}bar")).isEqualTo(foo);
        assertThat(ClusterSlots.slot("x{foo}y{bar}")).isEqualTo(foo);
        assertThat(ClusterSlots.slot("x{foo}}")).isEqualTo(foo);
        assertThat(ClusterSlots.slot("{{foo}}")).isEqualTo(ClusterSlots.slot("{foo"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}foo", "foo{", "foo}{", "{bar", "a{}b{c}"})
    void anEmptyOrUnclosedHashTagMeansTheWholeKeyIsHashed(String key) {
        int whole = ClusterSlots.slot(key.getBytes(StandardCharsets.UTF_8));

        assertThat(ClusterSlots.slot(key)).isEqualTo(whole);
        assertThat(crcOfAll(key)).isEqualTo(whole);
    }

    @ParameterizedTest
    @ValueSource(strings = {"modèle/é@1@0@1@half", "日本語{タグ}x", "emoji \uD83D\uDE00 key", "lone \uD800 surrogate",
        "{ü}", ""})
    void textKeysHashAsTheirUtf8Bytes(String key) {
        assertThat(ClusterSlots.slot(key)).isEqualTo(ClusterSlots.slot(key.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void slotsAreWithinTheClusterRange() {
        for (int i = 0; i < 10_000; i++) {
            assertThat(ClusterSlots.slot("key:" + i)).isBetween(0, ClusterSlots.SLOT_COUNT - 1);
        }
    }

    /** Bit-by-bit CRC16/XModem, an independent reference for the table-driven one. */
    private static int crcOfAll(String key) {
        int crc = 0;
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            crc ^= (b & 0xff) << 8;
            for (int i = 0; i < 8; i++) {
                crc = (crc & 0x8000) != 0 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
            }
        }
        return crc % 16384;
    }
}
