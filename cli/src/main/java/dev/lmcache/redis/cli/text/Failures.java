package dev.lmcache.redis.cli.text;

import io.lettuce.core.RedisConnectionException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text of a failure, in one place: what the error line of a command, a failed check's
 * detail and a bench's error count say about an exception. A connection failure reads as
 * {@code cannot connect to 127.0.0.1:1: connection refused} instead of Lettuce's
 * {@code Unable to connect to 127.0.0.1/<unresolved>:1} and the socket error behind it.
 */
public final class Failures {
    /** Lettuce's "Unable to connect to host/<unresolved>:port" (or host/address:port). */
    private static final Pattern LETTUCE_ADDRESS = Pattern.compile("Unable to connect to ([^\\s/]+)/\\S*:(\\d+)");

    /** The store's "cannot connect to URL: ..." (the URL redacted). */
    private static final Pattern STORE_CONNECT = Pattern.compile("^cannot connect to (\\S+?): ");

    private Failures() {
    }

    /** The message a user needs: the exception's own message, or its type when it has none. */
    public static String message(Throwable e) {
        Throwable t = unwrap(e);
        String connect = connectionFailure(t);
        if (connect != null) {
            return connect;
        }
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    }

    /** The failure inside the wrappers that futures add. */
    public static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** The simple class name of the unwrapped failure, for counting errors by kind. */
    public static String kind(Throwable e) {
        return unwrap(e).getClass().getSimpleName();
    }

    /**
     * {@code cannot connect to ADDRESS: REASON} when a Lettuce connection failure is in the cause
     * chain, else null. The address is the host and port Lettuce tried, or, where it names none
     * (a cluster's seed list), the redacted URL of the store's message.
     */
    private static String connectionFailure(Throwable t) {
        RedisConnectionException connect = null;
        Throwable root = t;
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (connect == null && c instanceof RedisConnectionException r) {
                connect = r;
            }
            root = c;
        }
        if (connect == null) {
            return null;
        }
        String address = null;
        Matcher lettuce = LETTUCE_ADDRESS.matcher(String.valueOf(connect.getMessage()));
        if (lettuce.find()) {
            address = lettuce.group(1) + ":" + lettuce.group(2);
        } else {
            Matcher store = STORE_CONNECT.matcher(String.valueOf(t.getMessage()));
            if (store.find()) {
                address = store.group(1);
            }
        }
        String reason = root == connect ? connect.getMessage() : reason(connect, root);
        return address == null ? "cannot connect: " + reason : "cannot connect to " + address + ": " + reason;
    }

    /**
     * The socket-level cause below {@code connect} in a few words: connection refused, unknown
     * host, connection timed out, or the root cause's own message (TLS, authentication, ...).
     */
    private static String reason(Throwable connect, Throwable root) {
        for (Throwable c = connect.getCause(); c != null; c = c.getCause() == c ? null : c.getCause()) {
            String lower = String.valueOf(c.getMessage()).toLowerCase(Locale.ROOT);
            if (c instanceof UnknownHostException) {
                return "unknown host";
            }
            if (c instanceof ConnectException || lower.contains("connection refused")) {
                return "connection refused";
            }
            if (lower.contains("timed out") || c.getClass().getSimpleName().contains("Timeout")) {
                return "connection timed out";
            }
        }
        String m = root.getMessage();
        return m == null || m.isBlank() ? root.getClass().getSimpleName() : m;
    }
}
