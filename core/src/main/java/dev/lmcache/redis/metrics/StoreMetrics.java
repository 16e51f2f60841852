package dev.lmcache.redis.metrics;

import dev.lmcache.redis.StoreStats;
import dev.lmcache.redis.schedule.ByteBudget;
import dev.lmcache.redis.schedule.PriorityScheduler;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** The store's {@link StoreStats}: counters updated by the engine, read by anyone. */
public final class StoreMetrics implements StoreStats {

    private static final class Op {
        final LongAdder calls = new LongAdder();
        final LongAdder errors = new LongAdder();
        final LongAdder chunks = new LongAdder();
        final LatencyHistogram latency = new LatencyHistogram();
    }

    private final Map<Operation, Op> ops = new EnumMap<>(Operation.class);
    private final LongAdder bytesWritten = new LongAdder();
    private final LongAdder bytesRead = new LongAdder();
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder invalid = new LongAdder();
    private final LongAdder orphans = new LongAdder();
    private final ByteBudget budget;
    private final PriorityScheduler scheduler;

    public StoreMetrics(ByteBudget budget, PriorityScheduler scheduler) {
        this.budget = budget;
        this.scheduler = scheduler;
        for (Operation o : Operation.values()) {
            ops.put(o, new Op());
        }
    }

    /** Records one finished call. */
    public void recordCall(Operation op, int chunks, long startNanos, boolean failed) {
        Op o = ops.get(op);
        o.calls.increment();
        o.chunks.add(chunks);
        if (failed) {
            o.errors.increment();
        }
        o.latency.record(System.nanoTime() - startNanos);
    }

    public void wrote(long bytes) {
        bytesWritten.add(bytes);
    }

    public void hit(long bytes) {
        hits.increment();
        bytesRead.add(bytes);
    }

    public void miss() {
        misses.increment();
    }

    public void invalidValue() {
        invalid.increment();
    }

    public void orphanDeleted() {
        orphans.increment();
    }

    @Override
    public OperationStats operation(Operation op) {
        Op o = ops.get(op);
        LatencyHistogram h = o.latency;
        return new OperationStats(o.calls.sum(), o.errors.sum(), o.chunks.sum(), h.meanNanos() / 1e3,
                h.percentileNanos(0.50) / 1e3, h.percentileNanos(0.95) / 1e3, h.percentileNanos(0.99) / 1e3,
                h.maxNanos() / 1e3);
    }

    @Override
    public long bytesWritten() {
        return bytesWritten.sum();
    }

    @Override
    public long bytesRead() {
        return bytesRead.sum();
    }

    @Override
    public long hits() {
        return hits.sum();
    }

    @Override
    public long misses() {
        return misses.sum();
    }

    @Override
    public long invalidValues() {
        return invalid.sum();
    }

    @Override
    public long orphansDeleted() {
        return orphans.sum();
    }

    @Override
    public long inFlightBytes() {
        return budget.inFlight();
    }

    @Override
    public long peakInFlightBytes() {
        return budget.peak();
    }

    @Override
    public int queuedJobs() {
        return scheduler.queued();
    }
}
