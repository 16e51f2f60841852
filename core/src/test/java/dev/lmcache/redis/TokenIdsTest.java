package dev.lmcache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TokenIdsTest {

    @ParameterizedTest
    @ValueSource(strings = {"[1, 2, 3]", "[1,2,3]", " [ 1 ,\n 2 ,3 ]\n", "1 2 3", "1,2,3", "1\n2\n3\n", "1, 2\t3"})
    void jsonArraysAndSeparatedIntegersParse(String text) {
        assertThat(TokenIds.parse(text)).containsExactly(1, 2, 3);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  \n", "[]", "[ ]"})
    void emptyTextIsNoTokens(String text) {
        assertThat(TokenIds.parse(text)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"[0, 4294967295, 2147483648]", "0 4294967295 2147483648"})
    void theWholeUint32RangeParsesIntoIntBitPatterns(String text) {
        int[] ids = TokenIds.parse(text);

        assertThat(ids).containsExactly(0, -1, Integer.MIN_VALUE);
        assertThat(TokenIds.value(ids[1])).isEqualTo(4294967295L);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "[1, 4294967296]|token id at index 1 is 4294967296, outside the accepted range 0..4294967295 (uint32)",
        "1 2 -3|token id at index 2 is -3, outside the accepted range",
        "99999999999999999999999|token id at index 0 is 99999999999999999999999, outside",
        "1 x 3|token id at index 1 (character 2) 'x' is not an integer; expected a JSON array of integers",
        "[1, 2.5]|token id at index 1 (character 4) '2.5' is not an integer",
        "[1, -]|token id at index 1 (character 4) '-' is not an integer",
        "[[1]]|token id at index 0 (character 1) '[1]' is not an integer",
        "[1, 2|start with '[' but do not end with ']'",
        "1, 2]|end with ']' but do not start with '['",
        "1,,2|token id at index 1 (character 2) is missing before ','",
        "[1, 2,]|token ids end with ','",
    })
    void malformedTextIsRejectedNamingThePositionAndTheAcceptedForm(String text, String message) {
        assertThatThrownBy(() -> TokenIds.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1 x 3", "[1, 2"})
    void formErrorsSayWhatIsAccepted(String text) {
        assertThatThrownBy(() -> TokenIds.parse(text)).hasMessageEndingWith(TokenIds.FORM);
    }
}
