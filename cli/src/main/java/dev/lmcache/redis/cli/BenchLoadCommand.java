package dev.lmcache.redis.cli;

import dev.lmcache.redis.ChunkKey;
import dev.lmcache.redis.KvCacheStore;
import dev.lmcache.redis.KvChunk;
import dev.lmcache.redis.cli.BenchStats.Percentiles;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code lmcache-redis bench load}: sustained mixed load for stability. Workers issue batched
 * reads of chunks written earlier and batched writes of new chunks; a line per interval shows
 * throughput, latency, errors and JVM memory; at the end every chunk ever written is read back
 * and verified ("nothing lost").
 */
@Command(name = "load",
        description = {
            "Sustained mixed load, with memory and nothing-lost checks.",
            "",
            "Workers issue batched reads (batchedGet) of chunk ranges written earlier (--read-fraction of the ops) and"
                + " batched writes (batchedPut) of new chunks, 1..--max-chunks chunks per op (uniform). Once"
                + " --max-stored-bytes are stored, writes rewrite earlier ranges with the same bytes, so the server's"
                + " memory stays bounded. A line per --report-every shows ops/s, MB/s, latency, errors, JVM heap and direct"
                + " memory. Every chunk read is verified; at the end every written chunk is read back and missing or"
                + " mismatched ones are counted. Exit 1 on any error, lost chunk or mismatch.",
            "For a clean \"memory stable\" reading the live heap is measured after a full GC (System.gc()) at the end of"
                + " warm-up and at the end; expect one slower interval at the first of these.",
        },
        footer = {
            "",
            "--json FILE: {target, chunk_bytes, concurrency, read_fraction, max_chunks, seconds, ops, ops_per_s, reads,"
                + " writes, chunks_read, chunks_written, payload_gb_per_s, latency: {read|write|all: {count, median_ms,"
                + " p95_ms, p99_ms, max_ms, mean_ms}}, errors: {exception class: count}, read_missing, read_mismatches,"
                + " final_check: {chunks, missing, mismatched, errors, seconds}, memory: {warmup_s, max_after_warmup:"
                + " {heap_used_bytes, heap_after_gc_bytes, direct_bytes, netty_direct_bytes}, at_end: {...},"
                + " live_heap_after_full_gc_at_warmup_bytes, live_heap_after_full_gc_at_end_bytes}, intervals:"
                + " [{t_s, ops_per_s, reads_per_s, writes_per_s, mb_per_s, p50_ms, p99_ms, errors, heap_used_bytes,"
                + " heap_after_gc_bytes, direct_bytes, netty_direct_bytes}], ok}",
        },
        sortOptions = false,
        mixinStandardHelpOptions = true)
final class BenchLoadCommand extends BenchSubcommand {

    @Option(names = "--duration", paramLabel = "TIME", defaultValue = "60s", description = "How long (default: ${DEFAULT-VALUE}).")
    TimeSpan duration;

    @Option(names = "--concurrency", paramLabel = "C", defaultValue = "32",
            description = "Concurrent workers, each with one op in flight (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--read-fraction", paramLabel = "F", defaultValue = "0.7",
            description = "Fraction of ops that are reads (default: ${DEFAULT-VALUE}).")
    double readFraction;

    @Option(names = "--model", paramLabel = "PRESET",
            description = "Chunk geometry preset instead of --chunk-bytes:%n  small = 32 KiB,%n  llama-3.1-8b = 32 MiB,%n  llama-3.1-70b-tp8 = 10 MiB.")
    String model;

    @Option(names = "--chunk-bytes", paramLabel = "SIZE", description = "Untyped chunks of this size (default: 16k unless --model).")
    ByteSize chunkBytes;

    @Option(names = "--max-chunks", paramLabel = "N", defaultValue = "32",
            description = "Largest op in chunks (default: ${DEFAULT-VALUE}).")
    int maxChunks;

    @Option(names = "--max-stored-bytes", paramLabel = "SIZE", defaultValue = "512m",
            description = "Stop adding new chunks past this much payload; rewrite earlier ones instead (default: ${DEFAULT-VALUE}).")
    ByteSize maxStoredBytes;

    @Option(names = "--report-every", paramLabel = "TIME", defaultValue = "1s",
            description = "Interval of the progress lines (default: ${DEFAULT-VALUE}).")
    TimeSpan reportEvery;

    @Option(names = "--warmup", paramLabel = "TIME",
            description = "Memory maxima are taken after this (default: a quarter of --duration, at most 10s).")
    TimeSpan warmup;

    @Option(names = "--keep", description = "Leave the written chunks in Redis (default: delete them at the end; embedded servers are discarded whole).")
    boolean keep;

    @Option(names = "--plot", paramLabel = "FILE.png", description = "Also draw ops/s, latency and memory over time.")
    Path plot;

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
                            double p99Ms, long errors, BenchMemory.Sample memory) {
        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("t_s", BenchStats.round(tSeconds));
            m.put("ops_per_s", BenchStats.round(opsPerS));
            m.put("reads_per_s", BenchStats.round(readsPerS));
            m.put("writes_per_s", BenchStats.round(writesPerS));
            m.put("mb_per_s", BenchStats.round(mbPerS));
            m.put("p50_ms", BenchStats.round(p50Ms));
            m.put("p99_ms", BenchStats.round(p99Ms));
            m.put("errors", errors);
            m.putAll(memory.toMap());
            return m;
        }
    }

    @Override
    protected int run() throws Exception {
        PrintWriter out = out();
        PrintWriter err = err();
        long durationMs = duration.millis();
        long reportMs = reportEvery.millis();
        long warmupMs = warmup != null ? warmup.millis() : Math.min(10_000, durationMs / 4);
        long cap = maxStoredBytes.bytes();
        require(durationMs >= 1, "--duration must be positive, was " + duration);
        require(reportMs >= 100, "--report-every must be at least 100ms, was " + reportEvery);
        require(concurrency >= 1 && concurrency <= 4096, "--concurrency must be 1..4096, was " + concurrency);
        require(readFraction >= 0 && readFraction <= 1, "--read-fraction must be between 0 and 1, was " + readFraction);
        require(maxChunks >= 1 && maxChunks <= 4096, "--max-chunks must be 1..4096, was " + maxChunks);
        BenchModel m = parsed(() -> model == null && chunkBytes == null ? BenchModel.of(null, ByteSize.parse("16k"))
                : BenchModel.of(model, chunkBytes));

        Recorder readLat = BenchStats.recorder();
        Recorder writeLat = BenchStats.recorder();
        LongAdder reads = new LongAdder();
        LongAdder writes = new LongAdder();
        LongAdder chunksRead = new LongAdder();
        LongAdder chunksWritten = new LongAdder();
        LongAdder missing = new LongAdder();
        LongAdder mismatched = new LongAdder();
        Map<String, Long> errors = new TreeMap<>();
        Ranges ranges = new Ranges();
        AtomicLong nextId = new AtomicLong();
        long maxIds = Math.max(1, cap / m.chunkBytes());

        try (Target t = openAnnounced()) {
            out.println("Load on " + t.description() + ": " + duration + ", concurrency " + concurrency + ", "
                    + Math.round(readFraction * 100) + "% reads, " + m.describe() + ", 1-" + maxChunks + " chunks per op");
            out.flush();
            try (KvCacheStore s = t.openStore()) {
                long start = System.nanoTime();
                long deadline = start + durationMs * 1_000_000;
                Runnable worker = () -> {
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    while (System.nanoTime() < deadline) {
                        boolean read = ranges.size() > 0 && random.nextDouble() < readFraction;
                        long op0 = System.nanoTime();
                        try {
                            if (read) {
                                long p = ranges.get(random.nextInt(ranges.size()));
                                List<ChunkKey> keys = keys(m, Ranges.first(p), Ranges.count(p));
                                List<Optional<KvChunk>> got = s.sync().batchedGet(keys);
                                BenchStats.recordSince(readLat, op0);
                                for (int i = 0; i < keys.size(); i++) {
                                    if (got.get(i).isEmpty()) {
                                        missing.increment();
                                    } else if (!m.verify(keys.get(i), got.get(i).get())) {
                                        mismatched.increment();
                                    }
                                }
                                reads.increment();
                                chunksRead.add(keys.size());
                            } else {
                                int n = 1 + random.nextInt(maxChunks);
                                boolean fresh = nextId.get() < maxIds || ranges.size() == 0;
                                long first;
                                if (fresh) {
                                    first = nextId.getAndAdd(n);
                                } else {
                                    long p = ranges.get(random.nextInt(ranges.size()));
                                    first = Ranges.first(p);
                                    n = Ranges.count(p);
                                }
                                List<ChunkKey> keys = keys(m, first, n);
                                List<KvChunk> chunks = new ArrayList<>(n);
                                for (ChunkKey k : keys) {
                                    chunks.add(m.chunk(k));
                                }
                                long w0 = System.nanoTime();
                                s.sync().batchedPut(keys, chunks);
                                BenchStats.recordSince(writeLat, w0);
                                if (fresh) {
                                    ranges.add(first, n);
                                }
                                writes.increment();
                                chunksWritten.add(n);
                            }
                        } catch (RuntimeException e) {
                            synchronized (errors) {
                                errors.merge(Failures.kind(e), 1L, Long::sum);
                            }
                        }
                    }
                };
                List<Thread> threads = new ArrayList<>();
                for (int i = 0; i < concurrency; i++) {
                    Thread th = new Thread(worker, "load-" + i);
                    th.setDaemon(true);
                    th.start();
                    threads.add(th);
                }

                out.println("  (heap = heap in use, post-GC = heap right after the last GC, direct = NIO direct buffers, netty = Netty's own"
                        + " direct memory; latency per op over the interval)");
                out.println(String.format(Locale.ROOT, "  %6s %8s %8s %8s %8s %7s %7s %6s %8s %8s %8s %8s", "t s", "ops/s",
                        "reads/s", "writes/s", "MB/s", "p50 ms", "p99 ms", "errors", "heap MB", "post-GC MB", "direct MB", "netty MB"));
                List<Interval> intervals = new ArrayList<>();
                Histogram readAll = BenchStats.histogram();
                Histogram writeAll = BenchStats.histogram();
                BenchMemory.Sample maxAfterWarmup = null;
                long liveAtWarmup = -1;
                BenchMemory.Sample last = BenchMemory.sample();
                long prevT = start;
                long prevReads = 0;
                long prevWrites = 0;
                long prevChunks = 0;
                long reportNanos = reportMs * 1_000_000;
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
                    last = BenchMemory.sample();
                    double tSec = (t1 - start) / 1e9;
                    if (tSec * 1000 >= warmupMs) {
                        if (liveAtWarmup < 0) {
                            // The baseline of "memory stable": what is live once warm, without garbage in the way.
                            liveAtWarmup = BenchMemory.liveHeapAfterFullGc();
                        }
                        maxAfterWarmup = maxAfterWarmup == null ? last : maxAfterWarmup.max(last);
                    }
                    Percentiles pc = Percentiles.of(both);
                    Interval iv = new Interval(tSec, (rd - prevReads + wr - prevWrites) / dt, (rd - prevReads) / dt,
                            (wr - prevWrites) / dt, (ch - prevChunks) * (double) m.chunkBytes() / dt / 1e6, pc.medianMs(), pc.p99Ms(),
                            BenchWorkloadCommand.errorCount(errors), last);
                    intervals.add(iv);
                    out.println(String.format(Locale.ROOT, "  %6.1f %8.0f %8.0f %8.0f %8.1f %7s %7s %6d %8s %11s %9s %8s", iv.tSeconds(),
                            iv.opsPerS(), iv.readsPerS(), iv.writesPerS(), iv.mbPerS(), BenchStats.ms(iv.p50Ms()),
                            BenchStats.ms(iv.p99Ms()), iv.errors(), BenchMemory.mb(last.heapUsed()), BenchMemory.mb(last.heapAfterGc()),
                            BenchMemory.mb(last.directUsed()), BenchMemory.mb(last.nettyDirectUsed())));
                    out.flush();
                    prevT = t1;
                    prevReads = rd;
                    prevWrites = wr;
                    prevChunks = ch;
                    if (finalInterval) {
                        break;
                    }
                    boundary += reportNanos;
                }
                long elapsed = System.nanoTime() - start;
                if (maxAfterWarmup == null) {
                    maxAfterWarmup = last;
                }
                long liveAtEnd = BenchMemory.liveHeapAfterFullGc();

                err.println("Reading back every written chunk...");
                err.flush();
                long[] finalCheck = readBack(s, m, maxChunks, ranges, errors);
                if (!keep && !t.isEmbedded()) {
                    // Embedded servers are thrown away with everything in them; a real one is cleaned up.
                    deleteIds(s, m, nextId.get());
                }

                Map<String, Object> result = new LinkedHashMap<>();
                result.put("target", t.description());
                result.put("chunk_bytes", m.chunkBytes());
                result.put("concurrency", concurrency);
                result.put("read_fraction", readFraction);
                result.put("max_chunks", maxChunks);
                double secs = elapsed / 1e9;
                long ops = reads.sum() + writes.sum();
                result.put("seconds", BenchStats.round(secs));
                result.put("ops", ops);
                result.put("ops_per_s", BenchStats.round(ops / secs));
                result.put("reads", reads.sum());
                result.put("writes", writes.sum());
                result.put("chunks_read", chunksRead.sum());
                result.put("chunks_written", chunksWritten.sum());
                result.put("payload_gb_per_s", BenchStats.round(
                        BenchStats.gbPerSecond((chunksRead.sum() + chunksWritten.sum()) * m.chunkBytes(), elapsed)));
                Histogram all = readAll.copy();
                all.add(writeAll);
                Map<String, Object> lat = new LinkedHashMap<>();
                lat.put("read", Percentiles.of(readAll).toMap());
                lat.put("write", Percentiles.of(writeAll).toMap());
                lat.put("all", Percentiles.of(all).toMap());
                result.put("latency", lat);
                Map<String, Long> errs;
                synchronized (errors) {
                    errs = new LinkedHashMap<>(errors);
                }
                result.put("errors", errs);
                result.put("read_missing", missing.sum());
                result.put("read_mismatches", mismatched.sum());
                Map<String, Object> fc = new LinkedHashMap<>();
                fc.put("chunks", finalCheck[0]);
                fc.put("missing", finalCheck[1]);
                fc.put("mismatched", finalCheck[2]);
                fc.put("errors", finalCheck[3]);
                fc.put("seconds", BenchStats.round(finalCheck[4] / 1e9));
                result.put("final_check", fc);
                Map<String, Object> mem = new LinkedHashMap<>();
                mem.put("warmup_s", BenchStats.round(warmupMs / 1000.0));
                mem.put("max_after_warmup", maxAfterWarmup.toMap());
                mem.put("at_end", last.toMap());
                mem.put("live_heap_after_full_gc_at_warmup_bytes", liveAtWarmup);
                mem.put("live_heap_after_full_gc_at_end_bytes", liveAtEnd);
                result.put("memory", mem);
                result.put("intervals", intervals.stream().map(Interval::toMap).toList());
                boolean ok = errs.isEmpty() && missing.sum() == 0 && mismatched.sum() == 0 && finalCheck[1] == 0
                        && finalCheck[2] == 0 && finalCheck[3] == 0;
                result.put("ok", ok);

                printSummary(out, secs, ops, reads.sum(), writes.sum(), chunksRead.sum(), chunksWritten.sum(), m, readAll,
                        writeAll, all, errs, missing.sum(), mismatched.sum(), finalCheck, warmupMs, maxAfterWarmup, last, liveAtWarmup, liveAtEnd, ok);
                if (output.json != null) {
                    output.writeJson(result);
                    out.println("Wrote " + output.json);
                }
                if (plot != null) {
                    plot(m, intervals, warmupMs);
                    out.println("Wrote " + plot);
                }
                out.flush();
                return ok ? EXIT_OK : EXIT_FAILURE;
            }
        }
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) {
            Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
        }
    }

    static List<ChunkKey> keys(BenchModel m, long first, int n) {
        List<ChunkKey> keys = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            keys.add(m.key(first + i));
        }
        return keys;
    }

    /**
     * Reads every completed range back, a few batches in flight at a time. Returns {chunks,
     * missing, mismatched, errors, nanos}.
     */
    private static long[] readBack(KvCacheStore s, BenchModel m, int maxChunks, Ranges ranges, Map<String, Long> errors)
            throws InterruptedException {
        long t0 = System.nanoTime();
        LongAdder chunks = new LongAdder();
        LongAdder missing = new LongAdder();
        LongAdder bad = new LongAdder();
        LongAdder failed = new LongAdder();
        // A few batches in flight (about 256 MiB at most) keeps the check fast without buffering everything.
        Semaphore inFlight = new Semaphore((int) Math.max(1, Math.min(16, (256L << 20) / ((long) m.chunkBytes() * maxChunks))));
        int permits = inFlight.availablePermits();
        int n = ranges.size();
        for (int i = 0; i < n; i++) {
            long p = ranges.get(i);
            List<ChunkKey> keys = keys(m, Ranges.first(p), Ranges.count(p));
            inFlight.acquire();
            // handle(), not whenComplete(): nothing here may keep a batch's chunks reachable after it is checked.
            s.batchedGet(keys).handle((got, e) -> {
                try {
                    if (e != null) {
                        failed.add(keys.size());
                        synchronized (errors) {
                            errors.merge("final check: " + Failures.kind(e), 1L, Long::sum);
                        }
                        return null;
                    }
                    chunks.add(keys.size());
                    for (int k = 0; k < keys.size(); k++) {
                        if (got.get(k).isEmpty()) {
                            missing.increment();
                        } else if (!m.verify(keys.get(k), got.get(k).get())) {
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
        return new long[] {chunks.sum(), missing.sum(), bad.sum(), failed.sum(), System.nanoTime() - t0};
    }

    /** Deletes chunks 0..count-1 of the run's model, a bounded number of removals in flight. */
    static void deleteIds(KvCacheStore s, BenchModel m, long count) {
        List<CompletableFuture<Boolean>> window = new ArrayList<>();
        for (long id = 0; id < count; id++) {
            window.add(s.remove(m.key(id)));
            if (window.size() == 512 || id == count - 1) {
                try {
                    CompletableFuture.allOf(window.toArray(CompletableFuture[]::new)).join();
                } catch (RuntimeException e) {
                    // Leftovers live under the run's unique model name; the measurement stands.
                }
                window.clear();
            }
        }
    }

    private void printSummary(PrintWriter out, double secs, long ops, long rd, long wr, long chRead, long chWritten, BenchModel m,
                              Histogram readAll, Histogram writeAll, Histogram all, Map<String, Long> errs, long missing,
                              long mismatched, long[] fc, long warmupMs, BenchMemory.Sample maxAfterWarmup,
                              BenchMemory.Sample last, long liveAtWarmup, long liveAtEnd, boolean ok) {
        out.println();
        out.println(String.format(Locale.ROOT, "Summary: %d ops in %.1f s = %.0f ops/s (%d reads, %d writes); %d chunks read, %d written;"
                        + " %.3f GB/s payload", ops, secs, ops / secs, rd, wr, chRead, chWritten,
                BenchStats.gbPerSecond((chRead + chWritten) * m.chunkBytes(), (long) (secs * 1e9))));
        BenchTable lat = new BenchTable("op", "count", "p50 ms", "p95 ms", "p99 ms", "max ms");
        for (Object[] row : new Object[][] {{"read", readAll}, {"write", writeAll}, {"all", all}}) {
            Percentiles p = Percentiles.of((Histogram) row[1]);
            lat.row(row[0], p.count(), BenchStats.ms(p.medianMs()), BenchStats.ms(p.p95Ms()), BenchStats.ms(p.p99Ms()),
                    BenchStats.ms(p.maxMs()));
        }
        lat.print(out, "  ");
        BenchTable mem = new BenchTable("memory (MB)", "max after " + Math.round(warmupMs / 1000.0) + " s warm-up", "at end");
        mem.row("heap used", BenchMemory.mb(maxAfterWarmup.heapUsed()), BenchMemory.mb(last.heapUsed()));
        mem.row("heap after last GC", BenchMemory.mb(maxAfterWarmup.heapAfterGc()), BenchMemory.mb(last.heapAfterGc()));
        mem.row("direct (NIO)", BenchMemory.mb(maxAfterWarmup.directUsed()), BenchMemory.mb(last.directUsed()));
        mem.row("direct (Netty)", BenchMemory.mb(maxAfterWarmup.nettyDirectUsed()), BenchMemory.mb(last.nettyDirectUsed()));
        mem.print(out, "  ");
        out.println("  Live heap after a full GC: " + BenchMemory.mb(liveAtWarmup) + " MB at the end of warm-up, "
                + BenchMemory.mb(liveAtEnd) + " MB at the end (heap in use between GCs includes garbage awaiting collection).");
        out.println("  Errors: " + (errs.isEmpty() ? "none" : errs.toString()));
        out.println("  Reads during the run: " + missing + " missing, " + mismatched + " mismatched chunks");
        out.println(String.format(Locale.ROOT, "  Final read-back: %d chunks checked in %.1f s, %d missing, %d mismatched, %d failed",
                fc[0], fc[4] / 1e9, fc[1], fc[2], fc[3]));
        out.println(ok ? "  OK: no errors, nothing lost, every chunk matched." : "  FAILED: see errors and counts above.");
        out.flush();
    }

    private void plot(BenchModel m, List<Interval> intervals, long warmupMs) {
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
        BenchPlot.timePanels(plot, "Sustained load: " + m.describe() + ", concurrency " + concurrency + ", "
                        + Math.round(readFraction * 100) + "% reads",
                List.of(new BenchPlot.Panel("throughput (ops/s)", tput, false),
                        new BenchPlot.Panel("latency per op (ms, log scale)", latency, true),
                        new BenchPlot.Panel("JVM memory (MiB)", memory, false)));
    }

    private static double mib(long bytes) {
        return bytes < 0 ? Double.NaN : bytes / 1048576.0;
    }
}
