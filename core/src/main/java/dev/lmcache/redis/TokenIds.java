package dev.lmcache.redis;

import java.util.Arrays;

/**
 * Token ids as {@link TokenHasher} takes them: an {@code int[]} whose elements hold uint32 values
 * (0 to {@value #MAX}) as bit patterns, so that ids of 2^31 and above read as negative Java ints.
 * Parses them from text and checks them from {@code long}s.
 */
public final class TokenIds {
    /** The largest token id: LMCache's multiprocess server packs ids as big-endian uint32. */
    public static final long MAX = 4294967295L;

    /** The text forms {@link #parse} accepts. */
    public static final String FORM = "a JSON array of integers (e.g. [128000, 9906, 11]) or integers separated by"
            + " whitespace or commas";

    private TokenIds() {
    }

    /**
     * Parses token ids from a JSON array of integers ({@code [1, 2, 3]}) or from integers separated
     * by whitespace and/or commas ({@code 1 2 3}, {@code 1,2,3}, one per line...). Empty text or
     * {@code []} is no tokens.
     *
     * @return the ids, uint32 values as {@code int} bit patterns
     * @throws IllegalArgumentException naming the position and the text of the first element that is
     *         not an integer or lies outside 0..{@value #MAX}, or the misplaced bracket or comma
     */
    public static int[] parse(String text) {
        String s = text.strip();
        int from = 0;
        int to = s.length();
        if (s.startsWith("[")) {
            if (!s.endsWith("]") || s.length() < 2) {
                throw new IllegalArgumentException("token ids start with '[' but do not end with ']'; expected " + FORM);
            }
            from = 1;
            to = s.length() - 1;
        } else if (s.endsWith("]")) {
            throw new IllegalArgumentException("token ids end with ']' but do not start with '['; expected " + FORM);
        }
        int[] out = new int[Math.max(16, (to - from) / 4)];
        int n = 0;
        int p = skipBlanks(s, from, to);
        while (p < to) {
            int e = p;
            while (e < to && !isSeparator(s.charAt(e))) {
                e++;
            }
            if (e == p) {
                throw new IllegalArgumentException("token id at index " + n + " (character " + p + ") is missing before"
                        + " ','; expected " + FORM);
            }
            if (n == out.length) {
                out = Arrays.copyOf(out, n * 2);
            }
            out[n] = element(s, p, e, n);
            n++;
            p = skipBlanks(s, e, to);
            if (p < to && s.charAt(p) == ',') {
                p = skipBlanks(s, p + 1, to);
                if (p == to) {
                    throw new IllegalArgumentException("token ids end with ','; expected " + FORM);
                }
            }
        }
        return Arrays.copyOf(out, n);
    }

    /**
     * Checks token ids given as {@code long}s.
     *
     * @return the ids, uint32 values as {@code int} bit patterns
     * @throws IllegalArgumentException naming the index and value of the first id outside
     *         0..{@value #MAX}
     */
    public static int[] fromLongs(long[] ids) {
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            long v = ids[i];
            if (v < 0 || v > MAX) {
                throw outOfRange(i, Long.toString(v));
            }
            out[i] = (int) v;
        }
        return out;
    }

    /** The token id an {@code int} element holds (0 to {@value #MAX}). */
    public static long value(int id) {
        return Integer.toUnsignedLong(id);
    }

    private static int element(String s, int from, int to, int index) {
        int p = from;
        boolean negative = s.charAt(p) == '-';
        if (negative) {
            p++;
        }
        if (p == to) {
            throw notAnInteger(s, from, to, index);
        }
        long v = 0;
        for (int i = p; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                throw notAnInteger(s, from, to, index);
            }
            if (v <= MAX) {
                v = v * 10 + (c - '0');
            }
        }
        if (negative && v != 0 || v > MAX) {
            throw outOfRange(index, s.substring(from, to));
        }
        return (int) v;
    }

    private static IllegalArgumentException notAnInteger(String s, int from, int to, int index) {
        String shown = to - from > 40 ? s.substring(from, from + 40) + "..." : s.substring(from, to);
        return new IllegalArgumentException("token id at index " + index + " (character " + from + ") '" + shown
                + "' is not an integer; expected " + FORM);
    }

    private static IllegalArgumentException outOfRange(int index, String value) {
        return new IllegalArgumentException("token id at index " + index + " is " + value
                + ", outside the accepted range 0.." + MAX + " (uint32)");
    }

    private static boolean isSeparator(char c) {
        return c == ',' || Character.isWhitespace(c);
    }

    private static int skipBlanks(String s, int p, int to) {
        while (p < to && Character.isWhitespace(s.charAt(p))) {
            p++;
        }
        return p;
    }
}
