package dev.lmcache.redis.micrometer;

import dev.lmcache.redis.KvCacheStore;
import dev.lmcache.redis.StoreStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Exposes a store's {@link StoreStats} as Micrometer meters (prefix {@code lmcache.redis}), each
 * tagged {@code store} with the store's name, so that several stores in one JVM publish side by
 * side instead of the second one's meters silently resolving to the first one's. Micrometer is
 * an optional dependency: only load this class when it is on the classpath.
 */
public final class MicrometerBinder {
    /** Store names bound to the global registry and not yet unbound. */
    private static final Set<String> GLOBAL_NAMES = new HashSet<>();

    private MicrometerBinder() {
    }

    /**
     * Binds to Micrometer's global registry ({@code Metrics.globalRegistry}) under {@code name},
     * made unique among the stores bound there (a second store of the same name gets {@code
     * name#2}). Closing the result removes the meters and frees the name.
     */
    public static AutoCloseable bindGlobal(KvCacheStore store, String name) {
        String unique;
        synchronized (GLOBAL_NAMES) {
            unique = name;
            for (int i = 2; !GLOBAL_NAMES.add(unique); i++) {
                unique = name + "#" + i;
            }
        }
        AutoCloseable meters = bind(store, io.micrometer.core.instrument.Metrics.globalRegistry, unique);
        String bound = unique;
        return () -> {
            meters.close();
            synchronized (GLOBAL_NAMES) {
                GLOBAL_NAMES.remove(bound);
            }
        };
    }

    /**
     * Registers function counters and gauges reading {@code store.stats()} live, tagged {@code
     * store=name}. Closing the result removes them from the registry.
     */
    public static AutoCloseable bind(KvCacheStore store, MeterRegistry registry, String name) {
        StoreStats s = store.stats();
        List<Meter> meters = new ArrayList<>();
        meters.add(FunctionCounter.builder("lmcache.redis.bytes.written", s, StoreStats::bytesWritten).tag("store", name)
                .baseUnit("bytes").register(registry));
        meters.add(FunctionCounter.builder("lmcache.redis.bytes.read", s, StoreStats::bytesRead).tag("store", name)
                .baseUnit("bytes").register(registry));
        meters.add(FunctionCounter.builder("lmcache.redis.hits", s, StoreStats::hits).tag("store", name).register(registry));
        meters.add(FunctionCounter.builder("lmcache.redis.misses", s, StoreStats::misses).tag("store", name).register(registry));
        meters.add(FunctionCounter.builder("lmcache.redis.invalid.values", s, StoreStats::invalidValues).tag("store", name)
                .register(registry));
        meters.add(FunctionCounter.builder("lmcache.redis.orphans.deleted", s, StoreStats::orphansDeleted).tag("store", name)
                .register(registry));
        meters.add(Gauge.builder("lmcache.redis.inflight.bytes", s, StoreStats::inFlightBytes).tag("store", name)
                .baseUnit("bytes").register(registry));
        meters.add(Gauge.builder("lmcache.redis.queued.jobs", s, StoreStats::queuedJobs).tag("store", name).register(registry));
        for (StoreStats.Operation op : StoreStats.Operation.values()) {
            String tag = op.name().toLowerCase(Locale.ROOT);
            meters.add(FunctionCounter.builder("lmcache.redis.calls", s, x -> x.operation(op).calls())
                    .tag("op", tag).tag("store", name).register(registry));
            meters.add(FunctionCounter.builder("lmcache.redis.errors", s, x -> x.operation(op).errors())
                    .tag("op", tag).tag("store", name).register(registry));
            meters.add(Gauge.builder("lmcache.redis.latency.p99", s, x -> x.operation(op).p99Micros() / 1e6)
                    .tag("op", tag).tag("store", name).baseUnit("seconds").register(registry));
        }
        return () -> meters.forEach(registry::remove);
    }
}
