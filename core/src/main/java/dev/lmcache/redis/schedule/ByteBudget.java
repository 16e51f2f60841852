package dev.lmcache.redis.schedule;

import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;

/**
 * Bounds the bytes in flight (writes queued or being sent plus reads outstanding). Requests are
 * granted by priority, FIFO within a priority, and a waiting request is never overtaken by a
 * later one of the same or lower priority (no starvation of large requests). A request larger
 * than the whole budget is granted alone, when nothing else is in flight.
 */
public final class ByteBudget {

    private record Waiter(Priority priority, long seq, long bytes, CompletableFuture<Void> grant)
            implements Comparable<Waiter> {
        @Override
        public int compareTo(Waiter o) {
            int c = priority.compareTo(o.priority);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    private final long limit;
    private final PriorityQueue<Waiter> waiters = new PriorityQueue<>();
    private long inFlight;
    private long peak;
    private long seq;

    public ByteBudget(long limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("byte budget must be positive, got " + limit);
        }
        this.limit = limit;
    }

    /** Completes (possibly immediately, on the caller's thread) when {@code bytes} may be sent. */
    public CompletableFuture<Void> acquire(Priority priority, long bytes) {
        if (bytes <= 0) {
            return CompletableFuture.completedFuture(null);
        }
        synchronized (this) {
            if (waiters.isEmpty() && fits(bytes)) {
                take(bytes);
                return CompletableFuture.completedFuture(null);
            }
            Waiter w = new Waiter(priority, seq++, bytes, new CompletableFuture<>());
            waiters.add(w);
            return w.grant();
        }
    }

    /** Returns bytes granted earlier and wakes waiters that now fit. */
    public void release(long bytes) {
        if (bytes <= 0) {
            return;
        }
        java.util.List<Waiter> granted = new java.util.ArrayList<>(2);
        synchronized (this) {
            inFlight -= bytes;
            Waiter head;
            while ((head = waiters.peek()) != null && fits(head.bytes())) {
                waiters.poll();
                take(head.bytes());
                granted.add(head);
            }
        }
        // complete outside the lock: continuations may acquire again
        granted.forEach(w -> w.grant().complete(null));
    }

    private boolean fits(long bytes) {
        return inFlight + bytes <= limit || inFlight == 0;
    }

    private void take(long bytes) {
        inFlight += bytes;
        peak = Math.max(peak, inFlight);
    }

    public synchronized long inFlight() {
        return inFlight;
    }

    /** Highest in-flight byte count seen. */
    public synchronized long peak() {
        return peak;
    }
}
