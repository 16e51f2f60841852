package dev.lmcache.redis.cli;

import java.util.Locale;

/** Numbers formatted for people: byte sizes in binary units, durations in milliseconds. */
final class Human {
    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};

    private Human() {
    }

    /** For example {@code 512 B}, {@code 16.0 KiB}, {@code 1.5 GiB}. */
    static String bytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        double v = bytes;
        int unit = 0;
        while (v >= 1024 && unit < UNITS.length - 1) {
            v /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, UNITS[unit]);
    }

    /** A size as options spell it, exact when whole: {@code 512 B}, {@code 2 KiB}, {@code 1.5 MiB}, {@code 32 MiB}. */
    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        double v = bytes;
        int unit = 0;
        while (v >= 1024 && unit < UNITS.length - 1) {
            v /= 1024;
            unit++;
        }
        return (v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.1f", v)) + " " + UNITS[unit];
    }

    /** Milliseconds with a precision that suits the magnitude: {@code 0.21 ms}, {@code 12.3 ms}, {@code 1204 ms}. */
    static String millis(double millis) {
        if (millis < 10) {
            return String.format(Locale.ROOT, "%.2f ms", millis);
        }
        if (millis < 1000) {
            return String.format(Locale.ROOT, "%.1f ms", millis);
        }
        return String.format(Locale.ROOT, "%.0f ms", millis);
    }

    /** Nanoseconds as {@link #millis(double)}. */
    static String nanos(long nanos) {
        return millis(nanos / 1e6);
    }

    /** Milliseconds rounded to microseconds, for JSON. */
    static double roundMillis(double millis) {
        return Math.round(millis * 1000) / 1000.0;
    }
}
