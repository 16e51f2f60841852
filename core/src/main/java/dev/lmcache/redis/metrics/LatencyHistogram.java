package dev.lmcache.redis.metrics;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * A small lock-free log-linear histogram of durations in nanoseconds: 8 sub-buckets per power of
 * two (relative error under 12.5%), from 1 µs-ish up to hours. Enough for operational percentiles
 * without pulling HdrHistogram into the library.
 */
final class LatencyHistogram {
    private static final int SUB = 8;
    private static final int POWERS = 48;
    private final AtomicLongArray buckets = new AtomicLongArray(POWERS * SUB);
    private final LongAdder count = new LongAdder();
    private final LongAdder sum = new LongAdder();
    private volatile long max;

    public void record(long nanos) {
        long v = Math.max(1, nanos);
        buckets.incrementAndGet(index(v));
        count.increment();
        sum.add(v);
        long m;
        while (v > (m = max)) {
            if (casMax(m, v)) {
                break;
            }
        }
    }

    private synchronized boolean casMax(long expected, long v) {
        if (max == expected) {
            max = v;
            return true;
        }
        return false;
    }

    static int index(long v) {
        int power = 63 - Long.numberOfLeadingZeros(v);
        if (power < 3) {
            return (int) v;
        }
        int sub = (int) ((v >>> (power - 3)) & (SUB - 1));
        int i = (power - 2) * SUB + sub;
        return Math.min(i, POWERS * SUB - 1);
    }

    static long upperBound(int index) {
        if (index < SUB) {
            return index;
        }
        int power = index / SUB + 2;
        int sub = index % SUB;
        return ((long) (SUB + sub + 1)) << (power - 3);
    }

    public long count() {
        return count.sum();
    }

    public double meanNanos() {
        long c = count.sum();
        return c == 0 ? 0 : (double) sum.sum() / c;
    }

    public long maxNanos() {
        return max;
    }

    /** The value at quantile q (0..1), as the upper bound of its bucket, capped by the maximum. */
    public long percentileNanos(double q) {
        long total = 0;
        int n = buckets.length();
        long[] snap = new long[n];
        for (int i = 0; i < n; i++) {
            snap[i] = buckets.get(i);
            total += snap[i];
        }
        if (total == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (int i = 0; i < n; i++) {
            seen += snap[i];
            if (seen >= rank && snap[i] > 0) {
                return Math.min(upperBound(i), max);
            }
        }
        return max;
    }
}
