package dev.lmcache.redis.cli.text;

import java.nio.charset.Charset;

/**
 * The pass and fail marks of check lines: a tick and a cross when the console's character set
 * can show them, else {@code OK} and {@code FAIL} (a Java 17 console in a POSIX locale is ASCII).
 */
public final class Marks {
    private static final boolean UNICODE = Charset.defaultCharset().newEncoder().canEncode("\u2713\u2717");

    /** The pass mark. */
    public static final String PASS = UNICODE ? "\u2713" : "OK";

    /** The fail mark. */
    public static final String FAIL = UNICODE ? "\u2717" : "FAIL";

    private Marks() {
    }

    /** {@link #PASS} or {@link #FAIL}. */
    public static String of(boolean passed) {
        return passed ? PASS : FAIL;
    }
}
