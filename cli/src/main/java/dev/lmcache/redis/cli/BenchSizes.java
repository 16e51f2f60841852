package dev.lmcache.redis.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Byte sizes and durations as bench options spell them: {@code 2048}, {@code 32k}, {@code 8m},
 * {@code 1g} (binary multiples; an optional {@code b}, {@code ib} or {@code iB} suffix is
 * accepted, so {@code 32MiB} works too), comma lists of them, and durations such as
 * {@code 60s}, {@code 2m}, {@code 500ms}.
 */
final class BenchSizes {
    private BenchSizes() {
    }

    /**
     * Parses one size.
     *
     * @throws IllegalArgumentException naming the option and the accepted forms
     */
    static long parseBytes(String option, String text) {
        String s = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        if (s.endsWith("ib")) {
            s = s.substring(0, s.length() - 2);
        } else if (s.endsWith("b")) {
            s = s.substring(0, s.length() - 1);
        }
        long multiplier = 1;
        if (!s.isEmpty()) {
            switch (s.charAt(s.length() - 1)) {
                case 'k' -> multiplier = 1L << 10;
                case 'm' -> multiplier = 1L << 20;
                case 'g' -> multiplier = 1L << 30;
                default -> multiplier = 1;
            }
            if (multiplier > 1) {
                s = s.substring(0, s.length() - 1);
            }
        }
        try {
            double value = Double.parseDouble(s.trim());
            double bytes = value * multiplier;
            if (!(bytes >= 0) || bytes > Long.MAX_VALUE || Double.isNaN(bytes)) {
                throw new NumberFormatException();
            }
            return Math.round(bytes);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " '" + text
                    + "' is not a size; accepted: a number of bytes with an optional k, m or g suffix (e.g. 2048, 32k, 8m, 1g)");
        }
    }

    /** Parses a comma list of sizes, each within {@code [min, max]}. */
    static List<Long> parseByteList(String option, String text, long min, long max) {
        List<Long> out = new ArrayList<>();
        for (String part : text.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            long v = parseBytes(option, part);
            if (v < min || v > max) {
                throw new IllegalArgumentException(option + " value " + part.trim() + " (" + v + " bytes) is out of range; accepted: "
                        + format(min) + " to " + format(max));
            }
            out.add(v);
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(option + " needs at least one value, e.g. 2048 or 512,2048,8192");
        }
        return List.copyOf(out);
    }

    /** Parses a comma list of integers, each within {@code [min, max]}. */
    static List<Integer> parseIntList(String option, String text, int min, int max) {
        List<Integer> out = new ArrayList<>();
        for (String part : text.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            int v;
            try {
                v = Integer.parseInt(part.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + " value '" + part.trim() + "' is not an integer; accepted: "
                        + "integers " + min + ".." + max + ", comma separated");
            }
            if (v < min || v > max) {
                throw new IllegalArgumentException(option + " value " + v + " is out of range; accepted: " + min + ".." + max);
            }
            out.add(v);
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(option + " needs at least one value, e.g. 100 or 32,64,128");
        }
        return List.copyOf(out);
    }

    /**
     * Parses a duration: a number with {@code ms}, {@code s}, {@code m} or {@code h} (seconds if
     * no unit).
     */
    static long parseMillis(String option, String text) {
        String s = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        double unit = 1000;
        if (s.endsWith("ms")) {
            unit = 1;
            s = s.substring(0, s.length() - 2);
        } else if (s.endsWith("s")) {
            s = s.substring(0, s.length() - 1);
        } else if (s.endsWith("m")) {
            unit = 60_000;
            s = s.substring(0, s.length() - 1);
        } else if (s.endsWith("h")) {
            unit = 3_600_000;
            s = s.substring(0, s.length() - 1);
        }
        try {
            double v = Double.parseDouble(s.trim());
            if (!(v >= 0) || v * unit > Long.MAX_VALUE) {
                throw new NumberFormatException();
            }
            return Math.round(v * unit);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " '" + text
                    + "' is not a duration; accepted: a number with ms, s, m or h (e.g. 500ms, 60s, 2m)");
        }
    }

    /** A size for people: {@code 512 B}, {@code 2 KiB}, {@code 1.5 MiB}, {@code 32 MiB}. */
    static String format(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return (v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.1f", v)) + " " + units[u];
    }
}
