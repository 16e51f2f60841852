package dev.lmcache.redis.schedule;

import dev.lmcache.redis.KvCacheException;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Runs at most {@code workers} batches at once, plus one slot reserved for lookups ({@link
 * Priority#PEEK}) so that a lookup never waits for a bulk job to finish; queued jobs start by
 * {@link Priority}, FIFO within a priority, non-preemptive (a running job is never interrupted). A
 * job is asynchronous: it holds its share of the slots from the moment it starts until the future
 * it returned completes.
 *
 * <p>A job of {@value #CHUNKS_PER_SLOT} units or more takes a whole slot; a smaller one takes a
 * share in proportion (64 single-chunk calls fill one slot). Many small concurrent calls then
 * travel together (their commands share flushes and round trips) instead of waiting for each
 * other, while a few large batches still run side by side. A unit is a chunk, or for writes,
 * whose size is known up front, {@value #BYTES_PER_UNIT} bytes if that makes more units
 * ({@link #units}): writes of larger chunks keep taking whole slots, so reads still go first
 * when writes crowd the store. The queue's head is never overtaken: a small job does not start
 * ahead of a large one that is waiting for room.
 *
 * <p>Jobs start on the thread that frees a slot (possibly a Netty event-loop thread), so job
 * bodies must not block.
 */
public final class PriorityScheduler {

    /** Units (chunks) that make a whole slot. */
    public static final int CHUNKS_PER_SLOT = 64;
    /** Bytes of a write that count as one unit. */
    public static final int BYTES_PER_UNIT = 4096;

    private record Job<T>(Priority priority, long seq, int weight, Supplier<CompletableFuture<T>> body,
                          CompletableFuture<T> result) implements Comparable<Job<?>> {
        @Override
        public int compareTo(Job<?> o) {
            int c = priority.compareTo(o.priority);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    /** workers x {@link #CHUNKS_PER_SLOT}: the weight of the jobs that may run at once. */
    private final int capacity;
    private final PriorityQueue<Job<?>> queue = new PriorityQueue<>();
    private final CompletableFuture<Void> drained = new CompletableFuture<>();
    private long seq;
    private int running;
    private int used;
    /** One extra slot only lookups (PEEK) may use, so they never wait for a bulk job to finish. */
    private boolean peekSlotBusy;
    private boolean closing;

    public PriorityScheduler(int workers) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be >= 1, got " + workers);
        }
        this.capacity = Math.multiplyExact(workers, CHUNKS_PER_SLOT);
    }

    /** The units of a job about {@code chunks} chunks of {@code bytes} bytes in all (0 if unknown). */
    public static int units(int chunks, long bytes) {
        long byBytes = (bytes + BYTES_PER_UNIT - 1) / BYTES_PER_UNIT;
        return (int) Math.min(CHUNKS_PER_SLOT, Math.max(chunks, byBytes));
    }

    /** Queues a job that takes a whole slot; see {@link #submit(Priority, int, Supplier)}. */
    public <T> CompletableFuture<T> submit(Priority priority, Supplier<CompletableFuture<T>> body) {
        return submit(priority, CHUNKS_PER_SLOT, body);
    }

    /**
     * Queues a job of {@code units} units (its share of a slot, see {@link #units}; at most a slot,
     * at least one unit). The returned future completes with the job's result; it fails with
     * {@link KvCacheException} if the scheduler is closed.
     */
    public <T> CompletableFuture<T> submit(Priority priority, int units, Supplier<CompletableFuture<T>> body) {
        CompletableFuture<T> result = new CompletableFuture<>();
        int weight = Math.max(1, units(units, 0));
        Job<T> job;
        boolean peekSlot;
        synchronized (this) {
            if (closing) {
                result.completeExceptionally(new KvCacheException("store is closed"));
                return result;
            }
            job = new Job<>(priority, seq++, weight, body, result);
            if (queue.isEmpty() && used + weight <= capacity) {
                used += weight;
                running++;
                peekSlot = false;
            } else if (priority == Priority.PEEK && !peekSlotBusy) {
                peekSlotBusy = true;
                peekSlot = true;
            } else {
                queue.add(job);
                return result;
            }
        }
        start(job, peekSlot);
        return result;
    }

    private <T> void start(Job<T> job, boolean peekSlot) {
        CompletableFuture<T> f;
        try {
            f = job.body().get();
        } catch (Throwable t) {
            f = CompletableFuture.failedFuture(t);
        }
        f.whenComplete((v, e) -> {
            if (peekSlot) {
                finishedPeekSlot();
            } else {
                finished(job.weight());
            }
            if (e != null) {
                job.result().completeExceptionally(e);
            } else {
                job.result().complete(v);
            }
        });
    }

    private void finished(int weight) {
        List<Job<?>> next = new ArrayList<>(1);
        synchronized (this) {
            used -= weight;
            running--;
            // the head starts when it fits; nothing behind it overtakes it
            for (Job<?> head = queue.peek(); head != null && used + head.weight() <= capacity; head = queue.peek()) {
                queue.poll();
                used += head.weight();
                running++;
                next.add(head);
            }
            if (next.isEmpty()) {
                drainedIfIdle();
                return;
            }
        }
        for (Job<?> job : next) {
            start(job, false);
        }
    }

    /** The reserved slot takes only lookups: the next queued PEEK job, if any. */
    private void finishedPeekSlot() {
        Job<?> next;
        synchronized (this) {
            Job<?> head = queue.peek();
            if (head == null || head.priority() != Priority.PEEK) {
                peekSlotBusy = false;
                drainedIfIdle();
                return;
            }
            next = queue.poll();
        }
        start(next, true);
    }

    private void drainedIfIdle() {
        if (closing && running == 0 && !peekSlotBusy && queue.isEmpty()) {
            drained.complete(null);
        }
    }

    /** Jobs waiting for a slot. */
    public synchronized int queued() {
        return queue.size();
    }

    /** Jobs holding a slot. */
    public synchronized int running() {
        return running;
    }

    /**
     * Refuses new jobs; the returned future completes when every queued and running job has
     * finished. Idempotent.
     */
    public CompletableFuture<Void> shutdown() {
        synchronized (this) {
            closing = true;
            drainedIfIdle();
        }
        return drained;
    }
}
