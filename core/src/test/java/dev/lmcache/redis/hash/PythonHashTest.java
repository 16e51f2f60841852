package dev.lmcache.redis.hash;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** CPython 3.11's {@code hash()}, against values printed by {@code PYTHONHASHSEED=<seed> python3.11}. */
class PythonHashTest {

    @ParameterizedTest
    @CsvSource({
        "0, 0", "1, 1", "-1, -2", "-2, -2", "2305843009213693951, 0", "2305843009213693952, 1",
        "9223372036854775807, 3", "-9223372036854775808, -4", "4611686018427387909, 7", "-4611686018427387909, -7",
    })
    void intsHashToTheirValueModuloTheMersennePrime(long value, long hash) {
        assertThat(PythonHash.ofInt(value)).isEqualTo(hash);
    }

    @ParameterizedTest(name = "PYTHONHASHSEED={0} hash({1})")
    @CsvSource(delimiter = '|', value = {
        "0|''|0",
        "0|0|5313149338359954478",
        "0|my-lora|-5139458285287299258",
        "0|vllm-none-hash|8586095329078945837",
        "0|abcdefgh|4574395652268504554",
        "0|abcdefghi|-532774252720507163",
        "0|é|6047309291227476195",
        "0|café au lait|-4368066289146273259",
        "0|中文|501833946989431548",
        "0|x€|-2738616857364386753",
        "0|😀|-3536540696076613844",
        "0|a😀b|-7541021549821082252",
        "1|0|-8730965283136228465",
        "1|abcdefghi|7871229953815684364",
        "1|中文|6254236128119526896",
        "12345|12345|-4397775130427955790",
        "12345|my-lora|-7023565782154903711",
        "12345|café au lait|-8698800833121388218",
        "12345|a😀b|1179164923064260029",
        "4294967295|0|-7823853590095853671",
        "4294967295|vllm-none-hash|-5654930642261103510",
        "4294967295|😀|-5273353973323107289",
    })
    void strsHashWithSipHash13KeyedFromTheSeed(long seed, String s, long hash) {
        long[] key = PythonHash.key(seed);

        assertThat(PythonHash.ofStr(s, key[0], key[1])).isEqualTo(hash);
    }

    @Test
    void tuplesHashLikeCpythons() {
        long[] key = PythonHash.key(12345);
        long inner = PythonHash.tupleEnd(tupleOf(1, 2, 3), 3);
        long empty = PythonHash.tupleEnd(PythonHash.tupleStart(), 0);

        assertThat(empty).isEqualTo(5740354900026072187L);
        assertThat(PythonHash.tupleEnd(tupleOf(PythonHash.ofInt(-1), inner, empty), 3))
                .isEqualTo(592499971835444413L);
        long strs = PythonHash.tupleEnd(tupleOf(PythonHash.ofStr("my-lora", key[0], key[1])), 1);
        assertThat(strs).isEqualTo(7262532507595035437L);
        long large = PythonHash.tupleEnd(tupleOf(0, 4294967295L), 2);
        long two = PythonHash.tupleEnd(tupleOf(PythonHash.ofStr("my-lora", key[0], key[1]),
                PythonHash.ofStr("x", key[0], key[1])), 2);
        assertThat(PythonHash.tupleEnd(tupleOf(PythonHash.ofInt(Long.MIN_VALUE), large, two), 3))
                .isEqualTo(-7854295422646954496L);
    }

    private static long tupleOf(long... lanes) {
        long acc = PythonHash.tupleStart();
        for (long lane : lanes) {
            acc = PythonHash.tupleAdd(acc, lane);
        }
        return acc;
    }
}
