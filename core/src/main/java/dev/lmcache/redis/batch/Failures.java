package dev.lmcache.redis.batch;

import dev.lmcache.redis.ChunkKey;
import dev.lmcache.redis.KvCacheException;
import dev.lmcache.redis.StoreStats.Operation;
import io.lettuce.core.RedisCommandTimeoutException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * The one place where the engine turns failures into the text callers see: what failed (the
 * operation and the key), and why (the cause's type and message). Also unwraps the future
 * wrappers around a cause, so that messages name the cause itself.
 */
final class Failures {
    private Failures() {
    }

    /** {@code "<what> of <key> failed: <cause>"}, e.g. {@code get of m@1@0@2a@half failed: ...}. */
    static KvCacheException of(String what, ChunkKey key, Throwable cause) {
        return new KvCacheException(what + " of " + key + " failed: " + describe(cause), cause);
    }

    /** Submitted after {@code close()}. */
    static KvCacheException closed() {
        return new KvCacheException("store is closed");
    }

    /** A single command outside the batching path that got no reply in time. */
    static RedisCommandTimeoutException timedOut(Duration requestTimeout) {
        return new RedisCommandTimeoutException("timed out: no reply within the request timeout of "
                + requestTimeout.toMillis() + " ms");
    }

    /**
     * Keeps the documented failure types: a Redis client error that escaped an operation's own
     * handling (list and ping pass Lettuce's futures through) becomes a KvCacheException naming
     * the operation ({@code batchedGet failed: ...}), with the client's error as its cause.
     */
    static Throwable asStoreFailure(Operation op, Throwable e) {
        if (e instanceof KvCacheException || e instanceof IllegalArgumentException || e instanceof Error) {
            return e;
        }
        StringBuilder name = new StringBuilder();
        for (String part : op.name().toLowerCase(Locale.ROOT).split("_")) {
            name.append(name.length() == 0 ? part : Character.toUpperCase(part.charAt(0)) + part.substring(1));
        }
        return new KvCacheException(name + " failed: " + describe(e), e);
    }

    /** Why a value cannot be a chunk: it is not a Redis string ({@code role}: "metadata ", "data " or ""). */
    static String notAString(String role) {
        return role + "key holds a value that is not a string";
    }

    /** Why a value cannot be the chunk its header (or the configured geometry) describes. */
    static String sizeMismatch(int size, boolean fromMetadata, int expected) {
        return "value is " + size + " bytes but " + (fromMetadata ? "its metadata says" : "the configured geometry says")
                + " length=" + expected;
    }

    /** The cause's simple type name and message: {@code RedisCommandTimeoutException: timed out ...}. */
    static String describe(Throwable t) {
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    /**
     * Whether a cluster node refused a multi-key command because its slot is being migrated and
     * only some of its keys have moved ({@code TRYAGAIN ...}): the same keys one command each
     * (following ASK) succeed.
     */
    static boolean isTryAgain(Throwable e) {
        String m = e == null ? null : e.getMessage();
        return m != null && m.startsWith("TRYAGAIN");
    }

    /**
     * Whether an ACL refused {@code command} itself ({@code NOPERM ... 'mget' ...}), as for a user
     * whose rule predates the store's use of MGET and MSET: the per-name commands may still be allowed.
     */
    static boolean isCommandRefused(Throwable e, String command) {
        String m = e == null ? null : e.getMessage();
        return m != null && m.startsWith("NOPERM") && m.contains("'" + command + "'");
    }

    /** Whether Redis refused a command for the value's type ({@code WRONGTYPE ...}). */
    static boolean isWrongType(Throwable e) {
        String m = e.getMessage();
        return m != null && m.startsWith("WRONGTYPE");
    }

    /** The cause under {@link CompletionException} and {@link ExecutionException} wrappers. */
    static Throwable unwrap(Throwable e) {
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    /** The cause of a completed future's failure, or null if it succeeded. */
    static Throwable causeOrNull(CompletableFuture<?> f) {
        return f.isCompletedExceptionally() ? causeOf(f) : null;
    }

    /** The unwrapped cause of a completed future that failed (null if it succeeded). */
    static Throwable causeOf(CompletableFuture<?> f) {
        try {
            f.join();
            return null;
        } catch (CompletionException | CancellationException e) {
            return unwrap(e);
        }
    }
}
