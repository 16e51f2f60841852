package dev.lmcache.redis;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Some chunks of a batch failed. {@link #failures()} maps the position of each failed chunk
 * in the caller's list to its key and cause; chunks not listed succeeded.
 */
public class BatchException extends KvCacheException {
    private static final long serialVersionUID = 1L;

    /** One failed chunk of a batch. */
    public record Failure(int index, ChunkKey key, Throwable cause) {
    }

    private final transient Map<Integer, Failure> failures;
    private final int batchSize;

    public BatchException(String operation, int batchSize, Map<Integer, Failure> failures) {
        super(message(operation, batchSize, failures), failures.values().iterator().next().cause());
        this.failures = Collections.unmodifiableMap(new LinkedHashMap<>(failures));
        this.batchSize = batchSize;
        failures.values().stream().skip(1).map(Failure::cause).distinct().limit(4).forEach(this::addSuppressed);
    }

    /** Failed chunks by position in the batch, in ascending order. */
    public Map<Integer, Failure> failures() {
        return failures;
    }

    /** Number of chunks in the batch (failed or not). */
    public int batchSize() {
        return batchSize;
    }

    private static String message(String operation, int batchSize, Map<Integer, Failure> failures) {
        String shown = failures.values().stream().limit(5)
                .map(f -> "#" + f.index() + " " + f.key() + ": " + describe(f.cause()))
                .collect(Collectors.joining("; "));
        return operation + " failed for " + failures.size() + " of " + batchSize + " chunks: " + shown
                + (failures.size() > 5 ? "; ..." : "");
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null ? "" : " (" + m + ")");
    }
}
