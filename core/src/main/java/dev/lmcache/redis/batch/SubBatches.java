package dev.lmcache.redis.batch;

import dev.lmcache.redis.KvChunk;
import dev.lmcache.redis.schedule.ByteBudget;
import dev.lmcache.redis.schedule.Priority;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.IntToLongFunction;

/**
 * The planner's cut of one call into sub-batches, by keys and bytes, and how they run: all at
 * once, each after taking its bytes from the in-flight budget, which it returns when its replies
 * are in. A large batch is thereby pipelined without one command holding more than
 * {@code max_bytes_per_command}, and a caller beyond {@code max_inflight_bytes} waits.
 */
final class SubBatches {
    /** Chunks {@code [from, to)} of the call, charged {@code cost} bytes. */
    record Range(int from, int to, long cost) {
    }

    private SubBatches() {
    }

    /**
     * Reads: a value's size is known only once it arrives, so each is charged {@code estimate}
     * bytes, and a sub-batch holds as many as {@code maxBytes} allows (at least one).
     */
    static List<Range> ofReads(int n, int maxKeys, long maxBytes, long estimate) {
        long each = Math.max(1, estimate);
        int perBatch = (int) Math.max(1, Math.min(maxKeys, maxBytes / each));
        List<Range> out = new ArrayList<>();
        for (int from = 0; from < n; from += perBatch) {
            int to = Math.min(n, from + perBatch);
            out.add(new Range(from, to, each * (to - from)));
        }
        return out;
    }

    /** Writes: cut before a chunk that would pass {@code maxKeys} or {@code maxBytes}; a larger chunk goes alone. */
    static List<Range> ofWrites(List<KvChunk> chunks, int maxKeys, long maxBytes) {
        return ofWrites(chunks.size(), i -> chunks.get(i).length(), maxKeys, maxBytes);
    }

    /** {@link #ofWrites(List, int, long)} for {@code n} values whose sizes {@code size} gives. */
    static List<Range> ofWrites(int n, IntToLongFunction size, int maxKeys, long maxBytes) {
        List<Range> out = new ArrayList<>();
        int from = 0;
        while (from < n) {
            int to = from;
            long bytes = 0;
            while (to < n && to - from < maxKeys && (to == from || bytes + size.applyAsLong(to) <= maxBytes)) {
                bytes += size.applyAsLong(to);
                to++;
            }
            out.add(new Range(from, to, bytes));
            from = to;
        }
        return out;
    }

    /**
     * Sends every range once the budget grants its cost, and returns the cost when the range's
     * future completes. {@code unsent} hears of a range whose sending itself failed.
     *
     * @return completes when every range has returned its bytes (fails if one failed)
     */
    static CompletableFuture<Void> run(ByteBudget budget, Priority priority, List<Range> ranges,
                                       Function<Range, CompletableFuture<Void>> send,
                                       BiConsumer<Range, Throwable> unsent) {
        CompletableFuture<?>[] batches = new CompletableFuture<?>[ranges.size()];
        for (int i = 0; i < batches.length; i++) {
            Range r = ranges.get(i);
            batches[i] = budget.acquire(priority, r.cost())
                    .thenCompose(granted -> send.apply(r))
                    .whenComplete((v, e) -> {
                        budget.release(r.cost());
                        if (e != null) {
                            unsent.accept(r, Failures.unwrap(e));
                        }
                    });
        }
        return CompletableFuture.allOf(batches);
    }
}
