package dev.lmcache.redis.metrics;

import dev.lmcache.redis.KvCacheStore;
import dev.lmcache.redis.StoreStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;

/**
 * Exposes a store's {@link StoreStats} as Micrometer meters (prefix {@code lmcache.redis}).
 * Micrometer is an optional dependency: only load this class when it is on the classpath.
 */
public final class MicrometerBinder {
    private MicrometerBinder() {
    }

    /** Binds to Micrometer's global registry ({@code Metrics.globalRegistry}). */
    public static void bindGlobal(KvCacheStore store) {
        bind(store, io.micrometer.core.instrument.Metrics.globalRegistry);
    }

    /** Registers function counters and gauges reading {@code store.stats()} live. */
    public static void bind(KvCacheStore store, MeterRegistry registry) {
        StoreStats s = store.stats();
        FunctionCounter.builder("lmcache.redis.bytes.written", s, StoreStats::bytesWritten).baseUnit("bytes").register(registry);
        FunctionCounter.builder("lmcache.redis.bytes.read", s, StoreStats::bytesRead).baseUnit("bytes").register(registry);
        FunctionCounter.builder("lmcache.redis.hits", s, StoreStats::hits).register(registry);
        FunctionCounter.builder("lmcache.redis.misses", s, StoreStats::misses).register(registry);
        FunctionCounter.builder("lmcache.redis.invalid.values", s, StoreStats::invalidValues).register(registry);
        FunctionCounter.builder("lmcache.redis.orphans.deleted", s, StoreStats::orphansDeleted).register(registry);
        Gauge.builder("lmcache.redis.inflight.bytes", s, StoreStats::inFlightBytes).baseUnit("bytes").register(registry);
        Gauge.builder("lmcache.redis.queued.jobs", s, StoreStats::queuedJobs).register(registry);
        for (StoreStats.Operation op : StoreStats.Operation.values()) {
            String tag = op.name().toLowerCase(Locale.ROOT);
            FunctionCounter.builder("lmcache.redis.calls", s, x -> x.operation(op).calls()).tag("op", tag).register(registry);
            FunctionCounter.builder("lmcache.redis.errors", s, x -> x.operation(op).errors()).tag("op", tag).register(registry);
            Gauge.builder("lmcache.redis.latency.p99", s, x -> x.operation(op).p99Micros() / 1e6)
                    .tag("op", tag).baseUnit("seconds").register(registry);
        }
    }
}
