package dev.lmcache.redis.cli.bench;

import dev.lmcache.redis.cli.text.Failures;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** Failures of a run counted by kind (the exception's class), safe to add to from many threads. */
final class ErrorCounts {
    private final Map<String, Long> counts = new TreeMap<>();

    /** Counts one failure under its kind, e.g. {@code RedisCommandTimeoutException}, after {@code prefix}. */
    synchronized void add(String prefix, Throwable failure) {
        counts.merge(prefix + Failures.kind(failure), 1L, Long::sum);
    }

    /** Counts one failure under its kind. */
    void add(Throwable failure) {
        add("", failure);
    }

    synchronized long total() {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    synchronized boolean isEmpty() {
        return counts.isEmpty();
    }

    /** The counts by kind, in name order: {@code {RedisCommandTimeoutException: 3}}. */
    synchronized Map<String, Long> snapshot() {
        return new LinkedHashMap<>(counts);
    }
}
