package dev.lmcache.redis.edge;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The edge's meters (names {@code lmcache.edge.*}, in Prometheus {@code lmcache_edge_*}): per
 * command request counts, errors and latency histograms, and where GETs were served from.
 */
final class EdgeMetrics {
    private final MeterRegistry registry;
    private final Map<String, Timer> latency = new ConcurrentHashMap<>();
    private final Map<String, Counter> errors = new ConcurrentHashMap<>();
    final Counter memoryHits;
    final Counter upstreamHits;
    final Counter misses;
    final Counter bytesIn;
    final Counter bytesOut;
    final Counter leases;
    final Counter leaseWaits;
    final Counter writesLost;
    final Counter refused;

    EdgeMetrics(MeterRegistry registry) {
        this.registry = registry;
        memoryHits = counter("lmcache.edge.get.memory.hits", "GETs served from the memory tier or a lease");
        upstreamHits = counter("lmcache.edge.get.upstream.hits", "GETs served from Redis");
        misses = counter("lmcache.edge.get.misses", "GETs answered with a miss");
        bytesIn = counter("lmcache.edge.bytes.received", "value bytes received with SETs");
        bytesOut = counter("lmcache.edge.bytes.sent", "value bytes sent with GET replies");
        leases = counter("lmcache.edge.leases", "values held for the GET after an EXISTS that answered 1");
        leaseWaits = counter("lmcache.edge.lease.waits", "GETs and EXISTS that waited for a fetch of the same key already under way");
        writesLost = counter("lmcache.edge.writes.lost", "write-behind values Redis refused or that could not be flushed");
        refused = counter("lmcache.edge.refused", "commands refused (over a size limit, wrong chunk size, not authenticated)");
    }

    MeterRegistry registry() {
        return registry;
    }

    private Counter counter(String name, String help) {
        return Counter.builder(name).description(help).register(registry);
    }

    void gauge(String name, String help, Supplier<Number> value) {
        io.micrometer.core.instrument.Gauge.builder(name, value).description(help).register(registry);
    }

    /** Records one command: its latency from decoding to the reply, and whether it failed. */
    void command(String command, long startNanos, boolean failed) {
        String tag = tag(command);
        latency.computeIfAbsent(tag, c -> Timer.builder("lmcache.edge.command.latency").tag("command", c)
                .description("time from a decoded command to its reply").publishPercentileHistogram()
                .register(registry)).record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
        if (failed) {
            errors.computeIfAbsent(tag, c -> Counter.builder("lmcache.edge.command.errors").tag("command", c)
                    .description("commands answered with an error").register(registry)).increment();
        }
    }

    /** Known commands keep their name; anything else is counted as {@code other} (no unbounded tags). */
    private static String tag(String command) {
        return switch (command) {
            case "GET", "SET", "EXISTS", "DEL", "AUTH", "PING", "QUIT", "SELECT", "INFO", "COMMAND" -> command.toLowerCase(java.util.Locale.ROOT);
            default -> "other";
        };
    }
}
