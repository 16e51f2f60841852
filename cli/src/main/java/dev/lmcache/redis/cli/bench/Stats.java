package dev.lmcache.redis.cli.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Latency summaries for the bench commands. Latencies are recorded in microseconds into
 * HdrHistograms (1 µs to 1 h, 3 significant digits) and reported in milliseconds.
 */
final class Stats {
    private static final long HIGHEST_MICROS = TimeUnit.HOURS.toMicros(1);

    private Stats() {
    }

    /** A histogram for latencies in microseconds (single writer). */
    static Histogram histogram() {
        return new Histogram(1, HIGHEST_MICROS, 3);
    }

    /** A recorder for latencies in microseconds (many concurrent writers, interval reads). */
    static Recorder recorder() {
        return new Recorder(1, HIGHEST_MICROS, 3);
    }

    /** Records the time since {@code startNanos}, clamped to the histogram's range. */
    static void recordSince(Histogram h, long startNanos) {
        h.recordValue(micros(System.nanoTime() - startNanos));
    }

    static void recordSince(Recorder r, long startNanos) {
        r.recordValue(micros(System.nanoTime() - startNanos));
    }

    static long micros(long nanos) {
        return Math.max(1, Math.min(HIGHEST_MICROS, TimeUnit.NANOSECONDS.toMicros(nanos)));
    }

    /**
     * Percentiles of one latency distribution, in milliseconds.
     *
     * @param count    the number of samples
     * @param medianMs the 50th percentile
     * @param p95Ms    the 95th percentile
     * @param p99Ms    the 99th percentile
     * @param maxMs    the largest sample
     * @param meanMs   the mean
     */
    record Percentiles(long count, double medianMs, double p95Ms, double p99Ms, double maxMs, double meanMs) {
        static final Percentiles EMPTY = new Percentiles(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);

        static Percentiles of(Histogram h) {
            if (h.getTotalCount() == 0) {
                return EMPTY;
            }
            return new Percentiles(h.getTotalCount(), ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(95)),
                    ms(h.getValueAtPercentile(99)), ms(h.getMaxValue()), h.getMean() / 1000.0);
        }

        private static double ms(long micros) {
            return micros / 1000.0;
        }

        /** The JSON form: {@code count, median_ms, p95_ms, p99_ms, max_ms, mean_ms}. */
        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("count", count);
            m.put("median_ms", round(medianMs));
            m.put("p95_ms", round(p95Ms));
            m.put("p99_ms", round(p99Ms));
            m.put("max_ms", round(maxMs));
            m.put("mean_ms", round(meanMs));
            return m;
        }
    }

    /** Rounds to 3 decimals for output (NaN stays NaN, written as null). */
    static double round(double v) {
        return Double.isFinite(v) ? Math.round(v * 1000.0) / 1000.0 : v;
    }

    /** A millisecond value for tables: 3 significant-ish digits, "-" for none. */
    static String ms(double v) {
        if (!Double.isFinite(v)) {
            return "-";
        }
        if (v >= 100) {
            return String.format(java.util.Locale.ROOT, "%.0f", v);
        }
        if (v >= 10) {
            return String.format(java.util.Locale.ROOT, "%.1f", v);
        }
        return String.format(java.util.Locale.ROOT, "%.2f", v);
    }

    /** A ratio for tables, e.g. {@code 168x}, {@code 2.4x}; "-" when undefined. */
    static String times(double v) {
        if (!Double.isFinite(v)) {
            return "-";
        }
        return (v >= 10 ? String.format(java.util.Locale.ROOT, "%.0f", v) : String.format(java.util.Locale.ROOT, "%.1f", v)) + "x";
    }

    /** A number as given: {@code 10} for 10.0, {@code 2.5} for 2.5 (an RTT in titles and headings). */
    static String plain(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    /** Gigabytes (10^9 bytes) per second. */
    static double gbPerSecond(long bytes, long nanos) {
        return nanos <= 0 ? Double.NaN : bytes / (double) nanos;
    }
}
