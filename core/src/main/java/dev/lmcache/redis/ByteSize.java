package dev.lmcache.redis;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one grammar of byte sizes in configuration ({@code max_inflight_bytes},
 * {@code max_bytes_per_command}): a whole number of bytes, optionally with a unit {@code b},
 * {@code k}, {@code m}, {@code g} or {@code t}, each also spelled {@code kb}/{@code kib} and so
 * on, case-insensitive, blanks allowed before the unit. All units are binary (1k = 1024), as in
 * JVM flags: a cache budget is thought of in MiB and GiB. A fraction is allowed when the result
 * is a whole number of bytes ({@code 1.5k} is 1536).
 */
public final class ByteSize {
    /** What {@link #parse(String)} accepts, as messages and help text say it. */
    public static final String FORMS = "optionally with a unit: 1073741824, 1g, 512mb, 64MiB (k, m, g, t are binary:"
            + " 1k = 1024)";

    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([a-zA-Z]*)");

    private ByteSize() {
    }

    /**
     * The number of bytes {@code text} spells.
     *
     * @throws IllegalArgumentException if it does not follow the grammar, is a fraction of a
     *     byte or does not fit a {@code long}; the message quotes the text and {@link #FORMS}
     */
    public static long parse(String text) {
        Matcher m = SIZE.matcher(text.trim());
        int shift = -1;
        if (m.matches()) {
            shift = switch (m.group(2).toLowerCase(Locale.ROOT)) {
                case "", "b" -> 0;
                case "k", "kb", "kib" -> 10;
                case "m", "mb", "mib" -> 20;
                case "g", "gb", "gib" -> 30;
                case "t", "tb", "tib" -> 40;
                default -> -1;
            };
        }
        if (shift < 0) {
            throw new IllegalArgumentException("'" + text + "' is not a byte size; accepted: a byte count, " + FORMS);
        }
        return bytes(new BigDecimal(m.group(1)), shift, text);
    }

    private static long bytes(BigDecimal number, int shift, Object shown) {
        try {
            return number.multiply(BigDecimal.valueOf(2).pow(shift)).setScale(0, RoundingMode.UNNECESSARY)
                    .longValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("'" + shown + "' is a fraction of a byte or too large; accepted: a"
                    + " whole number of bytes up to " + Long.MAX_VALUE, e);
        }
    }
}
