package dev.lmcache.redis.cli;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A duration as every time option spells it ({@code --duration}, {@code --report-every}, ...): a
 * number with a unit {@code ms}, {@code s}, {@code m} or {@code h}, or a plain number of seconds
 * ({@code 500ms}, {@code 20s}, {@code 2m}, {@code 1.5h}, {@code 10}).
 *
 * @param duration the length, not negative
 */
record TimeSpan(Duration duration) {
    /** What a rejection says is accepted. */
    static final String ACCEPTED = "a number with a unit ms, s, m or h, or a plain number of seconds,"
            + " e.g. 500ms, 20s, 2m, 10";

    private static final Pattern FORM = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([a-zA-Z]*)");

    TimeSpan {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("a duration is not negative, was " + duration);
        }
    }

    /**
     * Parses a duration.
     *
     * @throws IllegalArgumentException naming the text and the accepted forms
     */
    static TimeSpan parse(String text) {
        Matcher m = FORM.matcher(text == null ? "" : text.trim());
        long nanosPerUnit = !m.matches() ? -1 : switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "ms" -> 1_000_000L;
            case "", "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            case "h" -> 3_600_000_000_000L;
            default -> -1;
        };
        if (nanosPerUnit > 0) {
            try {
                return new TimeSpan(Duration.ofNanos(new BigDecimal(m.group(1))
                        .multiply(BigDecimal.valueOf(nanosPerUnit)).longValueExact()));
            } catch (ArithmeticException e) {
                // a fraction of a nanosecond, or longer than 292 years: rejected below
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not a duration; accepted: " + ACCEPTED);
    }

    /** The length in milliseconds, rounded down. */
    long millis() {
        return duration.toMillis();
    }

    /** The form it was probably given in: {@code 500ms}, {@code 20s}, {@code 1.5s}. */
    @Override
    public String toString() {
        long nanos = duration.toNanos();
        return nanos % 1_000_000_000L == 0 ? nanos / 1_000_000_000L + "s"
                : nanos % 1_000_000L == 0 ? nanos / 1_000_000L + "ms" : BigDecimal.valueOf(nanos, 9).stripTrailingZeros()
                        .toPlainString() + "s";
    }

    /** The picocli converter: a rejection is a usage error naming the option and the accepted forms. */
    static final class Converter implements ITypeConverter<TimeSpan> {
        @Override
        public TimeSpan convert(String value) {
            try {
                return parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
