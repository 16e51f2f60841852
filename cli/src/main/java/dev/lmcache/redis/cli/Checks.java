package dev.lmcache.redis.cli;

import dev.lmcache.redis.KvCacheStore;
import java.io.PrintWriter;
import java.util.List;

/** STUB (contract for `check` and `demo`): the seven checks run against a store. */
public final class Checks {
    private Checks() {
    }

    /** One check's outcome: what was expected and what was seen when it failed. */
    public record Result(String name, boolean passed, String detail, double millis) {
    }

    /** All results, in order. */
    public record Report(List<Result> results) {
        public boolean allPassed() {
            return results.stream().allMatch(Result::passed);
        }
    }

    /**
     * Runs the seven checks through the connector, printing a tick or cross line per check to
     * {@code out} as it goes, and returns the report. Uses only keys under a unique model name and
     * removes them afterwards.
     */
    public static Report run(KvCacheStore store, PrintWriter out) {
        throw new UnsupportedOperationException("stub");
    }
}
