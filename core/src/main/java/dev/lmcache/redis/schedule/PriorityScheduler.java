package dev.lmcache.redis.schedule;

import dev.lmcache.redis.KvCacheException;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Runs at most {@code workers} jobs at once, plus one slot reserved for lookups ({@link
 * Priority#PEEK}) so that a lookup never waits for a bulk job to finish; queued jobs start by
 * {@link Priority}, FIFO within a priority, non-preemptive (a running job is never interrupted). A job is asynchronous: it
 * holds its slot from the moment it starts until the future it returned completes.
 *
 * <p>Jobs start on the thread that frees a slot (possibly a Netty event-loop thread), so job
 * bodies must not block.
 */
public final class PriorityScheduler {

    private record Job<T>(Priority priority, long seq, Supplier<CompletableFuture<T>> body,
                          CompletableFuture<T> result) implements Comparable<Job<?>> {
        @Override
        public int compareTo(Job<?> o) {
            int c = priority.compareTo(o.priority);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    private final int workers;
    private final PriorityQueue<Job<?>> queue = new PriorityQueue<>();
    private final CompletableFuture<Void> drained = new CompletableFuture<>();
    private long seq;
    private int running;
    /** One extra slot only lookups (PEEK) may use, so they never wait for a bulk job to finish. */
    private boolean peekSlotBusy;
    private boolean closing;

    public PriorityScheduler(int workers) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be >= 1, got " + workers);
        }
        this.workers = workers;
    }

    /**
     * Queues a job. The returned future completes with the job's result; it fails with
     * {@link KvCacheException} if the scheduler is closed.
     */
    public <T> CompletableFuture<T> submit(Priority priority, Supplier<CompletableFuture<T>> body) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Job<T> job;
        boolean peekSlot;
        synchronized (this) {
            if (closing) {
                result.completeExceptionally(new KvCacheException("store is closed"));
                return result;
            }
            job = new Job<>(priority, seq++, body, result);
            if (running < workers) {
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
                finished();
            }
            if (e != null) {
                job.result().completeExceptionally(e);
            } else {
                job.result().complete(v);
            }
        });
    }

    private void finished() {
        Job<?> next;
        synchronized (this) {
            next = queue.poll();
            if (next == null) {
                running--;
                drainedIfIdle();
                return;
            }
        }
        start(next, false);
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
