package dev.lmcache.redis.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lmcache.redis.ConfigException;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigValuesTest {

    @ParameterizedTest
    @CsvSource({
        "1073741824, 1073741824",
        "1g, 1073741824",
        "1G, 1073741824",
        "1gb, 1073741824",
        "512mb, 536870912",
        "64MiB, 67108864",
        "64 MiB, 67108864",
        "1.5k, 1536",
        "2t, 2199023255552",
        "100b, 100"})
    void sizesAcceptPlainNumbersAndBinaryUnits(String text, long bytes) {
        assertThat(ConfigValues.bytes("s", text, 1)).isEqualTo(bytes);
    }

    @Test
    void sizesAcceptNumbersFromYaml() {
        assertThat(ConfigValues.bytes("s", 1024, 1)).isEqualTo(1024);
        assertThat(ConfigValues.bytes("s", 1L << 40, 1)).isEqualTo(1L << 40);
        assertThat(ConfigValues.bytes("s", BigInteger.valueOf(7), 1)).isEqualTo(7);
    }

    @Test
    void sizesRejectFractionsOfBytesUnknownUnitsAndOverflow() {
        for (Object bad : List.of("1.5", "3 apples", "-1g", "99999999999t", "", 2.5)) {
            assertThatThrownBy(() -> ConfigValues.bytes("max_inflight_bytes", bad, 1))
                    .as(String.valueOf(bad))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith("max_inflight_bytes: ")
                    .hasMessageContaining("accepted: a byte count");
        }
    }

    @Test
    void booleansAcceptTheUsualSpellings() {
        for (Object t : List.of(true, "true", "TRUE", "yes", "on", "1", 1)) {
            assertThat(ConfigValues.bool("b", t)).as(String.valueOf(t)).isTrue();
        }
        for (Object f : List.of(false, "false", "No", "off", "0", 0)) {
            assertThat(ConfigValues.bool("b", f)).as(String.valueOf(f)).isFalse();
        }
    }

    @Test
    void integersAcceptIntegralNumbersInAnyForm() {
        assertThat(ConfigValues.integer("i", "42", 1)).isEqualTo(42);
        assertThat(ConfigValues.integer("i", " 42 ", 1)).isEqualTo(42);
        assertThat(ConfigValues.integer("i", 42L, 1)).isEqualTo(42);
        assertThat(ConfigValues.integer("i", 42.0, 1)).isEqualTo(42);
        assertThatThrownBy(() -> ConfigValues.integer("i", 3_000_000_000L, 1))
                .hasMessageContaining("i: 3000000000 is invalid; accepted: an integer >= 1");
        assertThatThrownBy(() -> ConfigValues.integer("i", true, 1)).hasMessageContaining("i: true is invalid");
    }

    @Test
    void secondsAcceptFractions() {
        assertThat(ConfigValues.seconds("t", "0.25", false)).isEqualTo(Duration.ofMillis(250));
        assertThat(ConfigValues.seconds("t", 5, false)).isEqualTo(Duration.ofSeconds(5));
        assertThat(ConfigValues.seconds("t", 0, true)).isZero();
        assertThat(ConfigValues.millis("t", "1500", false)).isEqualTo(Duration.ofMillis(1500));
        assertThatThrownBy(() -> ConfigValues.seconds("t", Double.NaN, false))
                .hasMessageContaining("accepted: a number of seconds > 0");
    }

    @Test
    void integerListsAcceptListsAndText() {
        assertThat(ConfigValues.intList("l", List.of(2, 32, 256, 1024))).containsExactly(2, 32, 256, 1024);
        assertThat(ConfigValues.intList("l", "[2, 32, 256, 1024]")).containsExactly(2, 32, 256, 1024);
        assertThat(ConfigValues.intList("l", "2,32")).containsExactly(2, 32);
        assertThatThrownBy(() -> ConfigValues.intList("l", "[]")).hasMessageContaining("accepted: a list of integers");
        assertThatThrownBy(() -> ConfigValues.intList("l", List.of(2, -1))).hasMessageContaining("l: [2, -1]");
    }

    @Test
    void percentDecodingIsLenientAndUtf8() {
        assertThat(PercentCodec.decode("p%40ss%3Aw%2Fd%23")).isEqualTo("p@ss:w/d#");
        assertThat(PercentCodec.decode("100%")).isEqualTo("100%");
        assertThat(PercentCodec.decode("a%zzb")).isEqualTo("a%zzb");
        assertThat(PercentCodec.decode("a+b")).isEqualTo("a+b");
        assertThat(PercentCodec.decode("%C3%A9t%C3%A9")).isEqualTo("été");
        assertThat(PercentCodec.decode(PercentCodec.encode("p@ss:w/d#%é"))).isEqualTo("p@ss:w/d#%é");
    }

    @Test
    void didYouMeanFindsTyposAndSwapsButNotStrangers() {
        List<String> keys = List.of("redis_password", "num_workers", "tls_verify");
        assertThat(DidYouMean.closest("redis_pasword", keys)).contains("redis_password");
        assertThat(DidYouMean.closest("num_wrokers", keys)).contains("num_workers");
        assertThat(DidYouMean.closest("completely_different", keys)).isEmpty();
    }
}
