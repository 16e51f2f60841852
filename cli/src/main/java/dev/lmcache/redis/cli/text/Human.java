package dev.lmcache.redis.cli.text;

import java.util.Locale;

/** Numbers formatted for people: byte sizes in binary units, durations in milliseconds. */
public final class Human {
    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};

    private Human() {
    }

    /** For example {@code 512 B}, {@code 16.0 KiB}, {@code 1.5 GiB}: one decimal above 1 KiB. */
    public static String bytes(long bytes) {
        return binary(bytes, false);
    }

    /** A size as options spell it, exact when whole: {@code 512 B}, {@code 2 KiB}, {@code 1.5 MiB}, {@code 32 MiB}. */
    public static String size(long bytes) {
        return binary(bytes, true);
    }

    private static String binary(long bytes, boolean wholeWithoutDecimal) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        double v = bytes;
        int unit = 0;
        while (v >= 1024 && unit < UNITS.length - 1) {
            v /= 1024;
            unit++;
        }
        String number = wholeWithoutDecimal && v == Math.rint(v) ? String.valueOf((long) v)
                : String.format(Locale.ROOT, "%.1f", v);
        return number + " " + UNITS[unit];
    }

    /** Milliseconds with a precision that suits the magnitude: {@code 0.21 ms}, {@code 12.3 ms}, {@code 1204 ms}. */
    public static String millis(double millis) {
        if (millis < 10) {
            return String.format(Locale.ROOT, "%.2f ms", millis);
        }
        if (millis < 1000) {
            return String.format(Locale.ROOT, "%.1f ms", millis);
        }
        return String.format(Locale.ROOT, "%.0f ms", millis);
    }

    /** Nanoseconds as {@link #millis(double)}. */
    public static String nanos(long nanos) {
        return millis(nanos / 1e6);
    }

    /** Milliseconds rounded to microseconds, for JSON. */
    public static double roundMillis(double millis) {
        return Math.round(millis * 1000) / 1000.0;
    }
}
