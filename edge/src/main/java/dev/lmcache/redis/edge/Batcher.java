package dev.lmcache.redis.edge;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * Turns requests arriving one at a time on many client connections into batches: a request is
 * sent at once while fewer than {@code maxInFlight} batches are out, otherwise it waits and goes
 * with every request that queued meanwhile, as one call of the store (one pipelined burst per
 * node). So an idle edge adds no delay, and a busy one sends as many requests per round trip as
 * arrived during the last one.
 */
final class Batcher<I, O> {
    private record Entry<I, O>(I item, CompletableFuture<O> result) {
    }

    private final Function<List<I>, List<CompletableFuture<O>>> sender;
    private final ToLongFunction<I> weight;
    private final int maxInFlight;
    private final int maxItems;
    private final long maxWeight;
    private final ArrayDeque<Entry<I, O>> queue = new ArrayDeque<>();
    private int inFlight;

    Batcher(Function<List<I>, List<CompletableFuture<O>>> sender, int maxInFlight, int maxItems, long maxWeight,
            ToLongFunction<I> weight) {
        this.sender = sender;
        this.maxInFlight = maxInFlight;
        this.maxItems = maxItems;
        this.maxWeight = maxWeight;
        this.weight = weight;
    }

    CompletableFuture<O> submit(I item) {
        CompletableFuture<O> result = new CompletableFuture<>();
        synchronized (this) {
            queue.add(new Entry<>(item, result));
        }
        pump();
        return result;
    }

    /** Requests waiting for a batch. */
    synchronized int queued() {
        return queue.size();
    }

    private void pump() {
        while (true) {
            List<Entry<I, O>> batch;
            synchronized (this) {
                if (queue.isEmpty() || inFlight >= maxInFlight) {
                    return;
                }
                batch = new ArrayList<>(Math.min(queue.size(), maxItems));
                long w = 0;
                while (!queue.isEmpty() && batch.size() < maxItems
                        && (batch.isEmpty() || w + weight.applyAsLong(queue.peek().item()) <= maxWeight)) {
                    Entry<I, O> e = queue.poll();
                    w += weight.applyAsLong(e.item());
                    batch.add(e);
                }
                inFlight++;
            }
            send(batch);
        }
    }

    private void send(List<Entry<I, O>> batch) {
        List<I> items = new ArrayList<>(batch.size());
        for (Entry<I, O> e : batch) {
            items.add(e.item());
        }
        List<CompletableFuture<O>> results;
        try {
            results = sender.apply(items);
        } catch (RuntimeException e) {
            batch.forEach(en -> en.result().completeExceptionally(e));
            done();
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            CompletableFuture<O> target = batch.get(i).result();
            results.get(i).whenComplete((v, e) -> {
                if (e != null) {
                    target.completeExceptionally(e);
                } else {
                    target.complete(v);
                }
            });
        }
        CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).whenComplete((v, e) -> done());
    }

    private void done() {
        synchronized (this) {
            inFlight--;
        }
        pump();
    }
}
