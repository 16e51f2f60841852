package dev.lmcache.redis.cli.bench;

import static dev.lmcache.redis.cli.bench.OptionCheck.require;

import dev.lmcache.redis.ChunkKey;
import dev.lmcache.redis.KvCacheStore;
import dev.lmcache.redis.KvChunk;
import dev.lmcache.redis.cli.bench.Stats.Percentiles;
import dev.lmcache.redis.cli.target.Target;
import dev.lmcache.redis.cli.text.Charts;
import dev.lmcache.redis.cli.text.Table;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Sustained mixed load for stability. Workers issue batched reads of chunks written earlier and
 * batched writes of new chunks; a line per interval shows throughput, latency, errors and JVM
 * memory; at the end every chunk ever written is read back and verified ("nothing lost").
 */
public final class Load {

    /**
     * What to run.
     *
     * @param duration       how long the workers run
     * @param reportEvery    the interval of the progress lines
     * @param warmup         memory maxima are taken after this; null for a quarter of the duration, at most 10 s
     * @param concurrency    workers, each with one op in flight
     * @param readFraction   fraction of ops that are reads
     * @param preset         the chunk geometry preset, or null for untyped chunks
     * @param chunkBytes     untyped chunks of this size, or null (16 KiB without a preset)
     * @param maxChunks      largest op in chunks
     * @param maxStoredBytes past this much payload, writes rewrite earlier chunks instead of adding new ones
     * @param keep           leave the chunks in Redis at the end
     */
    public record Settings(Duration duration, Duration reportEvery, Duration warmup, int concurrency, double readFraction,
                           String preset, Long chunkBytes, int maxChunks, long maxStoredBytes, boolean keep) {
        /**
         * Checks the settings.
         *
         * @throws IllegalArgumentException naming the option and what it accepts
         */
        public Settings {
            require(duration.toMillis() >= 1, "--duration must be positive, was " + duration.toMillis() + "ms");
            require(reportEvery.toMillis() >= 100, "--report-every must be at least 100ms, was " + reportEvery.toMillis() + "ms");
            require(concurrency >= 1 && concurrency <= 4096, "--concurrency must be 1..4096, was " + concurrency);
            require(readFraction >= 0 && readFraction <= 1, "--read-fraction must be between 0 and 1, was " + readFraction);
            require(maxChunks >= 1 && maxChunks <= 4096, "--max-chunks must be 1..4096, was " + maxChunks);
            chunks(preset, chunkBytes);
        }

        private static ChunkSet chunks(String preset, Long chunkBytes) {
            return preset == null && chunkBytes == null ? ChunkSet.bytes(16 << 10) : ChunkSet.of(preset, chunkBytes);
        }
    }

    /** Completed writes as (first id, count) pairs; append-only, random access. */
    private static final class Ranges {
        private long[] packed = new long[1024];
        private volatile int size;

        synchronized void add(long first, int count) {
            if (size == packed.length) {
                packed = Arrays.copyOf(packed, size * 2);
            }
            packed[size] = first << 16 | count;
            size++;
        }

        int size() {
            return size;
        }

        synchronized long get(int i) {
            return packed[i];
        }

        static long first(long p) {
            return p >>> 16;
        }

        static int count(long p) {
            return (int) (p & 0xffff);
        }
    }

    /** One report line's numbers. */
    private record Interval(double tSeconds, double opsPerS, double readsPerS, double writesPerS, double mbPerS, double p50Ms,
                            double p99Ms, long errors, Memory.Sample memory) {
        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("t_s", Stats.round(tSeconds));
            m.put("ops_per_s", Stats.round(opsPerS));
            m.put("reads_per_s", Stats.round(readsPerS));
            m.put("writes_per_s", Stats.round(writesPerS));
            m.put("mb_per_s", Stats.round(mbPerS));
            m.put("p50_ms", Stats.round(p50Ms));
            m.put("p99_ms", Stats.round(p99Ms));
            m.put("errors", errors);
            m.putAll(memory.toMap());
            return m;
        }
    }

    /** The read-back of every written chunk at the end. */
    private record FinalCheck(long chunks, long missing, long mismatched, long errors, long nanos) {
        boolean clean() {
            return missing == 0 && mismatched == 0 && errors == 0;
        }
    }

    private final Settings settings;
    private final ChunkSet chunks;
    private final long warmupMs;
    private final long maxIds;
    private final Recorder readLat = Stats.recorder();
    private final Recorder writeLat = Stats.recorder();
    private final LongAdder reads = new LongAdder();
    private final LongAdder writes = new LongAdder();
    private final LongAdder chunksRead = new LongAdder();
    private final LongAdder chunksWritten = new LongAdder();
    private final LongAdder missing = new LongAdder();
    private final LongAdder mismatched = new LongAdder();
    private final ErrorCounts errors = new ErrorCounts();
    private final Ranges ranges = new Ranges();
    private final AtomicLong nextId = new AtomicLong();

    // Written by the monitoring loop only.
    private final List<Interval> intervals = new ArrayList<>();
    private final Histogram readAll = Stats.histogram();
    private final Histogram writeAll = Stats.histogram();
    private Memory.Sample maxAfterWarmup;
    private Memory.Sample last;
    private long liveAtWarmup = -1;

    private Load(Settings settings) {
        this.settings = settings;
        this.chunks = Settings.chunks(settings.preset(), settings.chunkBytes());
        long durationMs = settings.duration().toMillis();
        this.warmupMs = settings.warmup() != null ? settings.warmup().toMillis() : Math.min(10_000, durationMs / 4);
        this.maxIds = Math.max(1, settings.maxStoredBytes() / chunks.chunkBytes());
    }

    /**
     * Runs the load on {@code target}: a line per interval on {@code out}, then the summary.
     *
     * @throws InterruptedException if interrupted while the workers run
     */
    public static Outcome run(Target target, Settings settings, PrintWriter out, PrintWriter err) throws InterruptedException {
        return new Load(settings).run(target, out, err);
    }

    private Outcome run(Target t, PrintWriter out, PrintWriter err) throws InterruptedException {
        out.println("Load on " + t.description() + ": " + Stats.plain(settings.duration().toMillis() / 1000.0) + " s,"
                + " concurrency " + settings.concurrency() + ", " + Math.round(settings.readFraction() * 100) + "% reads, "
                + chunks.describe() + ", 1-" + settings.maxChunks() + " chunks per op");
        out.flush();
        try (KvCacheStore s = t.openStore()) {
            long start = System.nanoTime();
            long deadline = start + settings.duration().toNanos();
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < settings.concurrency(); i++) {
                Thread th = new Thread(() -> work(s, deadline), "load-" + i);
                th.setDaemon(true);
                th.start();
                threads.add(th);
            }
            monitor(out, start, deadline, threads);
            long elapsed = System.nanoTime() - start;
            if (maxAfterWarmup == null) {
                maxAfterWarmup = last;
            }
            long liveAtEnd = Memory.liveHeapAfterFullGc();

            err.println("Reading back every written chunk...");
            err.flush();
            FinalCheck finalCheck = readBack(s);
            if (!settings.keep() && !t.isEmbedded()) {
                // Embedded servers are thrown away with everything in them; a real one is cleaned up.
                chunks.deleteFirst(s, nextId.get());
            }
            Result r = new Result(t, elapsed, finalCheck, liveAtEnd);
            r.print(out);
            return r;
        }
    }

    /** One worker: a read of an earlier range or a write of a new (or, past the cap, an earlier) range, until the deadline. */
    private void work(KvCacheStore s, long deadline) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (System.nanoTime() < deadline) {
            boolean read = ranges.size() > 0 && random.nextDouble() < settings.readFraction();
            try {
                if (read) {
                    long op0 = System.nanoTime();
                    long p = ranges.get(random.nextInt(ranges.size()));
                    List<ChunkKey> keys = chunks.keys(Ranges.first(p), Ranges.count(p));
                    List<Optional<KvChunk>> got = s.sync().batchedGet(keys);
                    Stats.recordSince(readLat, op0);
                    for (int i = 0; i < keys.size(); i++) {
                        if (got.get(i).isEmpty()) {
                            missing.increment();
                        } else if (!chunks.verify(keys.get(i), got.get(i).get())) {
                            mismatched.increment();
                        }
                    }
                    reads.increment();
                    chunksRead.add(keys.size());
                } else {
                    write(s, random);
                }
            } catch (RuntimeException e) {
                errors.add(e);
            }
        }
    }

    private void write(KvCacheStore s, ThreadLocalRandom random) {
        int n = 1 + random.nextInt(settings.maxChunks());
        boolean fresh = nextId.get() < maxIds || ranges.size() == 0;
        long first;
        if (fresh) {
            first = nextId.getAndAdd(n);
        } else {
            long p = ranges.get(random.nextInt(ranges.size()));
            first = Ranges.first(p);
            n = Ranges.count(p);
        }
        List<ChunkKey> keys = chunks.keys(first, n);
        List<KvChunk> values = new ArrayList<>(n);
        for (ChunkKey k : keys) {
            values.add(chunks.chunk(k));
        }
        long w0 = System.nanoTime();
        s.sync().batchedPut(keys, values);
        Stats.recordSince(writeLat, w0);
        if (fresh) {
            ranges.add(first, n);
        }
        writes.increment();
        chunksWritten.add(n);
    }

    /** A line per interval until the deadline; the last interval waits for the workers to finish. */
    private void monitor(PrintWriter out, long start, long deadline, List<Thread> threads) throws InterruptedException {
        out.println("  (heap = heap in use, post-GC = heap right after the last GC, direct = NIO direct buffers, netty = Netty's own"
                + " direct memory; latency per op over the interval)");
        out.println(String.format(Locale.ROOT, "  %6s %8s %8s %8s %8s %7s %7s %6s %8s %8s %8s %8s", "t s", "ops/s",
                "reads/s", "writes/s", "MB/s", "p50 ms", "p99 ms", "errors", "heap MB", "post-GC MB", "direct MB", "netty MB"));
        last = Memory.sample();
        long prevT = start;
        long prevReads = 0;
        long prevWrites = 0;
        long prevChunks = 0;
        long reportNanos = settings.reportEvery().toNanos();
        long boundary = start + reportNanos;
        while (true) {
            // Fixed boundaries (no drift); a tail shorter than half an interval joins the last one.
            if (deadline - boundary < reportNanos / 2) {
                boundary = deadline;
            }
            sleepUntil(boundary);
            boolean finalInterval = boundary == deadline;
            if (finalInterval) {
                for (Thread th : threads) {
                    th.join();
                }
            }
            long t1 = System.nanoTime();
            Histogram r = readLat.getIntervalHistogram();
            Histogram w = writeLat.getIntervalHistogram();
            readAll.add(r);
            writeAll.add(w);
            Histogram both = r.copy();
            both.add(w);
            long rd = reads.sum();
            long wr = writes.sum();
            long ch = chunksRead.sum() + chunksWritten.sum();
            double dt = (t1 - prevT) / 1e9;
            last = Memory.sample();
            double tSec = (t1 - start) / 1e9;
            if (tSec * 1000 >= warmupMs) {
                if (liveAtWarmup < 0) {
                    // The baseline of "memory stable": what is live once warm, without garbage in the way.
                    liveAtWarmup = Memory.liveHeapAfterFullGc();
                }
                maxAfterWarmup = maxAfterWarmup == null ? last : maxAfterWarmup.max(last);
            }
            Percentiles pc = Percentiles.of(both);
            Interval iv = new Interval(tSec, (rd - prevReads + wr - prevWrites) / dt, (rd - prevReads) / dt,
                    (wr - prevWrites) / dt, (ch - prevChunks) * (double) chunks.chunkBytes() / dt / 1e6, pc.medianMs(),
                    pc.p99Ms(), errors.total(), last);
            intervals.add(iv);
            out.println(String.format(Locale.ROOT, "  %6.1f %8.0f %8.0f %8.0f %8.1f %7s %7s %6d %8s %11s %9s %8s", iv.tSeconds(),
                    iv.opsPerS(), iv.readsPerS(), iv.writesPerS(), iv.mbPerS(), Stats.ms(iv.p50Ms()),
                    Stats.ms(iv.p99Ms()), iv.errors(), Memory.mb(last.heapUsed()), Memory.mb(last.heapAfterGc()),
                    Memory.mb(last.directUsed()), Memory.mb(last.nettyDirectUsed())));
            out.flush();
            prevT = t1;
            prevReads = rd;
            prevWrites = wr;
            prevChunks = ch;
            if (finalInterval) {
                return;
            }
            boundary += reportNanos;
        }
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) {
            Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
        }
    }

    /** Reads every completed range back, a few batches in flight at a time. */
    private FinalCheck readBack(KvCacheStore s) throws InterruptedException {
        long t0 = System.nanoTime();
        LongAdder checked = new LongAdder();
        LongAdder absent = new LongAdder();
        LongAdder bad = new LongAdder();
        LongAdder failed = new LongAdder();
        // A few batches in flight (about 256 MiB at most) keeps the check fast without buffering everything.
        Semaphore inFlight = new Semaphore((int) Math.max(1, Math.min(16,
                (256L << 20) / ((long) chunks.chunkBytes() * settings.maxChunks()))));
        int permits = inFlight.availablePermits();
        int n = ranges.size();
        for (int i = 0; i < n; i++) {
            long p = ranges.get(i);
            List<ChunkKey> keys = chunks.keys(Ranges.first(p), Ranges.count(p));
            inFlight.acquire();
            // handle(), not whenComplete(): nothing here may keep a batch's chunks reachable after it is checked.
            s.batchedGet(keys).handle((got, e) -> {
                try {
                    if (e != null) {
                        failed.add(keys.size());
                        errors.add("final check: ", e);
                        return null;
                    }
                    checked.add(keys.size());
                    for (int k = 0; k < keys.size(); k++) {
                        if (got.get(k).isEmpty()) {
                            absent.increment();
                        } else if (!chunks.verify(keys.get(k), got.get(k).get())) {
                            bad.increment();
                        }
                    }
                    return null;
                } finally {
                    inFlight.release();
                }
            });
        }
        inFlight.acquire(permits);
        return new FinalCheck(checked.sum(), absent.sum(), bad.sum(), failed.sum(), System.nanoTime() - t0);
    }

    private static double mib(long bytes) {
        return bytes < 0 ? Double.NaN : bytes / 1048576.0;
    }

    /** The run's numbers, for the summary, the JSON document and the chart. */
    private final class Result implements Outcome {
        private final Target target;
        private final long elapsed;
        private final FinalCheck finalCheck;
        private final long liveAtEnd;
        private final Histogram all;

        Result(Target target, long elapsed, FinalCheck finalCheck, long liveAtEnd) {
            this.target = target;
            this.elapsed = elapsed;
            this.finalCheck = finalCheck;
            this.liveAtEnd = liveAtEnd;
            this.all = readAll.copy();
            all.add(writeAll);
        }

        @Override
        public boolean ok() {
            return errors.isEmpty() && missing.sum() == 0 && mismatched.sum() == 0 && finalCheck.clean();
        }

        @Override
        public Map<String, Object> json() {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("target", target.description());
            result.put("chunk_bytes", chunks.chunkBytes());
            result.put("concurrency", settings.concurrency());
            result.put("read_fraction", settings.readFraction());
            result.put("max_chunks", settings.maxChunks());
            double secs = elapsed / 1e9;
            long ops = reads.sum() + writes.sum();
            result.put("seconds", Stats.round(secs));
            result.put("ops", ops);
            result.put("ops_per_s", Stats.round(ops / secs));
            result.put("reads", reads.sum());
            result.put("writes", writes.sum());
            result.put("chunks_read", chunksRead.sum());
            result.put("chunks_written", chunksWritten.sum());
            result.put("payload_gb_per_s", Stats.round(Stats.gbPerSecond(payloadBytes(), elapsed)));
            Map<String, Object> lat = new LinkedHashMap<>();
            lat.put("read", Percentiles.of(readAll).toMap());
            lat.put("write", Percentiles.of(writeAll).toMap());
            lat.put("all", Percentiles.of(all).toMap());
            result.put("latency", lat);
            result.put("errors", errors.snapshot());
            result.put("read_missing", missing.sum());
            result.put("read_mismatches", mismatched.sum());
            Map<String, Object> fc = new LinkedHashMap<>();
            fc.put("chunks", finalCheck.chunks());
            fc.put("missing", finalCheck.missing());
            fc.put("mismatched", finalCheck.mismatched());
            fc.put("errors", finalCheck.errors());
            fc.put("seconds", Stats.round(finalCheck.nanos() / 1e9));
            result.put("final_check", fc);
            Map<String, Object> mem = new LinkedHashMap<>();
            mem.put("warmup_s", Stats.round(warmupMs / 1000.0));
            mem.put("max_after_warmup", maxAfterWarmup.toMap());
            mem.put("at_end", last.toMap());
            mem.put("live_heap_after_full_gc_at_warmup_bytes", liveAtWarmup);
            mem.put("live_heap_after_full_gc_at_end_bytes", liveAtEnd);
            result.put("memory", mem);
            result.put("intervals", intervals.stream().map(Interval::toMap).toList());
            result.put("ok", ok());
            return result;
        }

        private long payloadBytes() {
            return (chunksRead.sum() + chunksWritten.sum()) * chunks.chunkBytes();
        }

        void print(PrintWriter out) {
            double secs = elapsed / 1e9;
            long ops = reads.sum() + writes.sum();
            out.println();
            out.println(String.format(Locale.ROOT, "Summary: %d ops in %.1f s = %.0f ops/s (%d reads, %d writes); %d chunks"
                            + " read, %d written; %.3f GB/s payload", ops, secs, ops / secs, reads.sum(), writes.sum(),
                    chunksRead.sum(), chunksWritten.sum(), Stats.gbPerSecond(payloadBytes(), elapsed)));
            Table lat = new Table("op", "count", "p50 ms", "p95 ms", "p99 ms", "max ms");
            for (Object[] row : new Object[][] {{"read", readAll}, {"write", writeAll}, {"all", all}}) {
                Percentiles p = Percentiles.of((Histogram) row[1]);
                lat.row(row[0], p.count(), Stats.ms(p.medianMs()), Stats.ms(p.p95Ms()), Stats.ms(p.p99Ms()),
                        Stats.ms(p.maxMs()));
            }
            lat.print(out, "  ");
            Table mem = new Table("memory (MB)", "max after " + Math.round(warmupMs / 1000.0) + " s warm-up", "at end");
            mem.row("heap used", Memory.mb(maxAfterWarmup.heapUsed()), Memory.mb(last.heapUsed()));
            mem.row("heap after last GC", Memory.mb(maxAfterWarmup.heapAfterGc()), Memory.mb(last.heapAfterGc()));
            mem.row("direct (NIO)", Memory.mb(maxAfterWarmup.directUsed()), Memory.mb(last.directUsed()));
            mem.row("direct (Netty)", Memory.mb(maxAfterWarmup.nettyDirectUsed()), Memory.mb(last.nettyDirectUsed()));
            mem.print(out, "  ");
            out.println("  Live heap after a full GC: " + Memory.mb(liveAtWarmup) + " MB at the end of warm-up, "
                    + Memory.mb(liveAtEnd) + " MB at the end (heap in use between GCs includes garbage awaiting collection).");
            Map<String, Long> errs = errors.snapshot();
            out.println("  Errors: " + (errs.isEmpty() ? "none" : errs.toString()));
            out.println("  Reads during the run: " + missing.sum() + " missing, " + mismatched.sum() + " mismatched chunks");
            out.println(String.format(Locale.ROOT, "  Final read-back: %d chunks checked in %.1f s, %d missing, %d mismatched,"
                            + " %d failed", finalCheck.chunks(), finalCheck.nanos() / 1e9, finalCheck.missing(),
                    finalCheck.mismatched(), finalCheck.errors()));
            out.println(ok() ? "  OK: no errors, nothing lost, every chunk matched." : "  FAILED: see errors and counts above.");
            out.flush();
        }

        /** Three panels over time: ops/s, latency percentiles and JVM memory. */
        @Override
        public void plot(Path png) {
            int n = intervals.size();
            double[][] ops = new double[n][];
            double[][] rds = new double[n][];
            double[][] wrs = new double[n][];
            double[][] p50 = new double[n][];
            double[][] p99 = new double[n][];
            double[][] heap = new double[n][];
            double[][] live = new double[n][];
            double[][] direct = new double[n][];
            double[][] netty = new double[n][];
            for (int i = 0; i < n; i++) {
                Interval iv = intervals.get(i);
                double t = iv.tSeconds();
                ops[i] = new double[] {t, iv.opsPerS()};
                rds[i] = new double[] {t, iv.readsPerS()};
                wrs[i] = new double[] {t, iv.writesPerS()};
                p50[i] = new double[] {t, iv.p50Ms()};
                p99[i] = new double[] {t, iv.p99Ms()};
                heap[i] = new double[] {t, mib(iv.memory().heapUsed())};
                live[i] = new double[] {t, mib(iv.memory().heapAfterGc())};
                direct[i] = new double[] {t, mib(iv.memory().directUsed())};
                netty[i] = new double[] {t, mib(iv.memory().nettyDirectUsed())};
            }
            Map<String, double[][]> tput = new LinkedHashMap<>();
            tput.put("all ops", ops);
            tput.put("reads", rds);
            tput.put("writes", wrs);
            Map<String, double[][]> latency = new LinkedHashMap<>();
            latency.put("p50 latency", p50);
            latency.put("p99 latency", p99);
            Map<String, double[][]> memory = new LinkedHashMap<>();
            memory.put("heap used", heap);
            memory.put("heap after GC", live);
            memory.put("direct (NIO)", direct);
            memory.put("direct (Netty)", netty);
            Charts.timePanels(png, "Sustained load: " + chunks.describe() + ", concurrency " + settings.concurrency() + ", "
                            + Math.round(settings.readFraction() * 100) + "% reads",
                    List.of(new Charts.Panel("throughput (ops/s)", tput, false),
                            new Charts.Panel("latency per op (ms, log scale)", latency, true),
                            new Charts.Panel("JVM memory (MiB)", memory, false)));
        }
    }
}
