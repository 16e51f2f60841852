package dev.lmcache.redis.cli;

import dev.lmcache.redis.ChunkKey;
import dev.lmcache.redis.KvCacheStore;
import dev.lmcache.redis.KvChunk;
import dev.lmcache.redis.cli.BenchStats.Percentiles;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Recorder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code lmcache-redis bench workload}: an LMCache-like serving workload. Each request is a
 * prompt of 1..{@code --max-chunks} chunks; it looks its chunk keys up ({@code batchedContains}),
 * fetches the hit prefix ({@code batchedGetNonBlocking}) and stores the rest ({@code batchedPut}),
 * as LMCache's connector does around a prefill. Prompts share prefixes with earlier requests
 * whose chunks were written, so hits are real, and every byte fetched is verified.
 */
@Command(name = "workload",
        description = {
            "An LMCache-like serving workload with shared prompt prefixes.",
            "",
            "Each request looks up its chunk keys (batchedContains), fetches the hit prefix (batchedGetNonBlocking) and"
                + " stores the missing chunks (batchedPut). Chunks per request: uniform 1..--max-chunks (mean 32.5 for 64),"
                + " or --distribution skewed, 1 + (max-1)*u^3 rounded (mostly short prompts, a few long ones; mean about"
                + " 16.75 for 64). A request reuses the first h chunks of an earlier, fully written request, h chosen so"
                + " that the hit rate converges to --hit-rate; its other chunks are new.",
            "Every chunk's bytes are a function of its key and are verified when fetched; a mismatch, a lost chunk or an"
                + " error makes the exit code 1. Keys live under a unique model name and are deleted at the end (unless"
                + " --keep; embedded servers are discarded whole).",
        },
        footer = {
            "",
            "--json FILE: {target, model, chunk_bytes, requests, concurrency, distribution, max_chunks, seconds,"
                + " requests_per_s, payload_gb_per_s, read_gb_per_s, write_gb_per_s, target_hit_rate, hit_rate,"
                + " chunks_looked_up, chunks_fetched, chunks_stored, latency: {lookup|fetch|store|request: {count,"
                + " median_ms, p95_ms, p99_ms, max_ms, mean_ms}}, mismatches, lost_chunks, errors: {exception class:"
                + " count}}. GB/s are 10^9 payload bytes per second; phase latencies sum a request's calls of that phase.",
        },
        sortOptions = false,
        mixinStandardHelpOptions = true)
final class BenchWorkloadCommand extends BenchSubcommand {

    @Option(names = "--model", paramLabel = "PRESET", defaultValue = "small",
            description = "Chunk geometry preset (default: ${DEFAULT-VALUE}):%n  small = 32 KiB,%n  llama-3.1-8b = 32 MiB,%n  llama-3.1-70b-tp8 = 10 MiB.")
    String model;

    @Option(names = "--chunk-bytes", paramLabel = "SIZE", description = "Untyped chunks of this size instead of a preset, such as 256k.")
    ByteSize chunkBytes;

    @Option(names = "--requests", paramLabel = "N", defaultValue = "300",
            description = "Requests to run (default: ${DEFAULT-VALUE}); ignored with --duration.")
    int requests;

    @Option(names = "--duration", paramLabel = "TIME", description = "Run for this long instead (e.g. 30s, 2m).")
    TimeSpan duration;

    @Option(names = "--concurrency", paramLabel = "C", defaultValue = "4",
            description = "Requests in flight at once (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--hit-rate", paramLabel = "F", defaultValue = "0.7",
            description = "Target fraction of looked-up chunks that are hits (default: ${DEFAULT-VALUE}).")
    double hitRate;

    @Option(names = "--max-chunks", paramLabel = "N", defaultValue = "64",
            description = "Largest prompt in chunks (default: ${DEFAULT-VALUE}).")
    int maxChunks;

    @Option(names = "--distribution", paramLabel = "D", defaultValue = "uniform",
            description = "Chunks per request: uniform or skewed (default: ${DEFAULT-VALUE}).")
    String distribution;

    @Option(names = "--max-call-bytes", paramLabel = "SIZE", defaultValue = "256m",
            description = "Largest payload of one fetch or store call; bigger requests are split, bounding memory (default: ${DEFAULT-VALUE}).")
    ByteSize maxCallBytes;

    @Option(names = "--seed", paramLabel = "N", description = "Random seed, for a repeatable request sequence.")
    Long seed;

    @Option(names = "--keep", description = "Leave the written chunks in Redis (default: delete them at the end; embedded servers are discarded whole).")
    boolean keep;

    @Option(names = "--plot", paramLabel = "FILE.png", description = "Also draw the per-phase latency percentiles.")
    Path plot;

    /** Hands out request plans: which earlier prompt to extend and by how much, steering the hit rate. */
    private static final class Planner {
        private static final int POOL = 4096;
        private final long[][] pool = new long[POOL][];
        private int poolSize;
        private int poolNext;
        private double deficit;
        private final SplittableRandom random;
        private final double hitRate;
        private final int maxChunks;
        private final boolean skewed;
        private final AtomicLong nextId = new AtomicLong();

        Planner(long seed, double hitRate, int maxChunks, boolean skewed) {
            this.random = new SplittableRandom(seed);
            this.hitRate = hitRate;
            this.maxChunks = maxChunks;
            this.skewed = skewed;
        }

        /** A prompt: chunk ids, the first {@code hits} of which were written by an earlier request. */
        record Plan(long[] ids, int hits) {
        }

        synchronized Plan next() {
            int n = skewed ? 1 + (int) Math.floor((maxChunks - 1) * Math.pow(random.nextDouble(), 3) + 0.5)
                    : 1 + random.nextInt(maxChunks);
            // Aim for the target on average, carrying over what earlier requests could not reach.
            int want = (int) Math.max(0, Math.min(n, Math.floor(n * hitRate + deficit + random.nextDouble())));
            long[] prefix = null;
            if (want > 0 && poolSize > 0) {
                for (int tries = 0; tries < 16; tries++) {
                    long[] candidate = pool[random.nextInt(poolSize)];
                    if (prefix == null || candidate.length > prefix.length) {
                        prefix = candidate;
                    }
                    if (prefix.length >= want) {
                        break;
                    }
                }
            }
            int hits = prefix == null ? 0 : Math.min(want, prefix.length);
            deficit += n * hitRate - hits;
            long[] ids = new long[n];
            if (hits > 0) {
                System.arraycopy(prefix, 0, ids, 0, hits);
            }
            long first = nextId.getAndAdd(n - hits);
            for (int i = hits; i < n; i++) {
                ids[i] = first + (i - hits);
            }
            return new Plan(ids, hits);
        }

        /** A request's chunks are all written: later requests may reuse its prefix. */
        synchronized void written(long[] ids) {
            pool[poolNext] = ids;
            poolNext = (poolNext + 1) % POOL;
            poolSize = Math.min(POOL, poolSize + 1);
        }

        long idsUsed() {
            return nextId.get();
        }
    }

    @Override
    protected int run() throws Exception {
        PrintWriter out = out();
        PrintWriter err = err();
        require(hitRate >= 0 && hitRate <= 1, "--hit-rate must be between 0 and 1, was " + hitRate);
        require(concurrency >= 1 && concurrency <= 1024, "--concurrency must be 1..1024, was " + concurrency);
        require(maxChunks >= 1 && maxChunks <= 4096, "--max-chunks must be 1..4096, was " + maxChunks);
        require(requests >= 1, "--requests must be at least 1, was " + requests);
        boolean skewed = switch (distribution.trim().toLowerCase(Locale.ROOT)) {
            case "uniform" -> false;
            case "skewed" -> true;
            default -> throw usageError("--distribution '" + distribution + "' is not supported; accepted: uniform, skewed");
        };
        long durationMillis = duration == null ? 0 : duration.millis();
        require(duration == null || durationMillis >= 1, "--duration must be positive, was " + duration);
        long callBytes = maxCallBytes.bytes();
        BenchModel m = parsed(() -> BenchModel.of(model, chunkBytes));
        int perCall = (int) Math.max(1, Math.min(maxChunks, callBytes / m.chunkBytes()));
        Planner planner = new Planner(seed != null ? seed : System.nanoTime(), hitRate, maxChunks, skewed);

        Recorder lookup = BenchStats.recorder();
        Recorder fetch = BenchStats.recorder();
        Recorder store = BenchStats.recorder();
        Recorder request = BenchStats.recorder();
        LongAdder done = new LongAdder();
        LongAdder lookedUp = new LongAdder();
        LongAdder fetched = new LongAdder();
        LongAdder stored = new LongAdder();
        LongAdder mismatches = new LongAdder();
        LongAdder lost = new LongAdder();
        Map<String, Long> errors = new TreeMap<>();
        AtomicLong started = new AtomicLong();

        try (Target t = openAnnounced()) {
            err.println("Workload: " + m.describe() + ", " + (duration != null ? "for " + duration : requests + " requests")
                    + ", concurrency " + concurrency + ", target hit rate " + hitRate);
            err.flush();
            try (KvCacheStore s = t.openStore()) {
                long start = System.nanoTime();
                long deadline = durationMillis > 0 ? start + durationMillis * 1_000_000 : Long.MAX_VALUE;
                Runnable worker = () -> {
                    while (true) {
                        if (durationMillis > 0 ? System.nanoTime() >= deadline : started.incrementAndGet() > requests) {
                            return;
                        }
                        Planner.Plan plan = planner.next();
                        try {
                            long r0 = System.nanoTime();
                            serve(s, m, plan, perCall, lookup, fetch, store, lookedUp, fetched, stored, mismatches, lost);
                            BenchStats.recordSince(request, r0);
                            planner.written(plan.ids());
                        } catch (RuntimeException e) {
                            synchronized (errors) {
                                errors.merge(Failures.kind(e), 1L, Long::sum);
                            }
                        }
                        done.increment();
                    }
                };
                List<Thread> threads = new ArrayList<>();
                try (BenchProgress p = new BenchProgress(err, 5000, () -> {
                    double secs = (System.nanoTime() - start) / 1e9;
                    long looked = lookedUp.sum();
                    return String.format(Locale.ROOT, "%d requests, %.0f req/s, hit rate %.2f, %d errors", done.sum(),
                            done.sum() / secs, looked == 0 ? 0.0 : fetched.sum() / (double) looked, errorCount(errors));
                })) {
                    for (int i = 0; i < concurrency; i++) {
                        Thread th = new Thread(worker, "workload-" + i);
                        th.start();
                        threads.add(th);
                    }
                    for (Thread th : threads) {
                        th.join();
                    }
                }
                long elapsed = System.nanoTime() - start;
                if (!keep && !t.isEmbedded()) {
                    // Embedded servers are thrown away with everything in them; a real one is cleaned up.
                    BenchLoadCommand.deleteIds(s, m, planner.idsUsed());
                }
                Map<String, Percentiles> phases = new LinkedHashMap<>();
                phases.put("lookup", Percentiles.of(lookup.getIntervalHistogram()));
                phases.put("fetch", Percentiles.of(fetch.getIntervalHistogram()));
                phases.put("store", Percentiles.of(store.getIntervalHistogram()));
                phases.put("request", Percentiles.of(request.getIntervalHistogram()));
                Map<String, Object> result = result(t, m, done.sum(), elapsed, lookedUp.sum(), fetched.sum(), stored.sum(),
                        phases, mismatches.sum(), lost.sum(), errors);
                print(out, t, m, result, phases);
                if (output.json != null) {
                    output.writeJson(result);
                    out.println("Wrote " + output.json);
                }
                if (plot != null) {
                    plot(m, phases);
                    out.println("Wrote " + plot);
                }
                out.flush();
                boolean ok = mismatches.sum() == 0 && lost.sum() == 0 && errors.isEmpty();
                return ok ? EXIT_OK : EXIT_FAILURE;
            }
        }
    }

    /** One request: lookup, fetch the hit prefix, store the rest; each phase timed (sum of its calls). */
    private static void serve(KvCacheStore s, BenchModel m, Planner.Plan plan, int perCall, Recorder lookup, Recorder fetch,
                              Recorder store, LongAdder lookedUp, LongAdder fetched, LongAdder stored, LongAdder mismatches,
                              LongAdder lost) {
        long[] ids = plan.ids();
        List<ChunkKey> keys = new ArrayList<>(ids.length);
        for (long id : ids) {
            keys.add(m.key(id));
        }
        long t0 = System.nanoTime();
        int hits = s.sync().batchedContains(keys);
        BenchStats.recordSince(lookup, t0);
        lookedUp.add(ids.length);
        if (hits < plan.hits()) {
            // Chunks an earlier request wrote (and nobody deleted) must still be there.
            lost.add(plan.hits() - hits);
        }
        if (hits > 0) {
            long spent = 0;
            int got = 0;
            for (int from = 0; from < hits; from += perCall) {
                List<ChunkKey> part = keys.subList(from, Math.min(hits, from + perCall));
                long c0 = System.nanoTime();
                List<KvChunk> chunks = s.sync().batchedGetNonBlocking(part);
                spent += System.nanoTime() - c0;
                for (int i = 0; i < chunks.size(); i++) {
                    if (!m.verify(part.get(i), chunks.get(i))) {
                        mismatches.increment();
                    }
                }
                got += chunks.size();
                if (chunks.size() < part.size()) {
                    break;
                }
            }
            fetch.recordValue(BenchStats.micros(spent));
            fetched.add(got);
            if (got < hits) {
                lost.add(hits - got);
            }
        }
        if (hits < ids.length) {
            long spent = 0;
            for (int from = hits; from < ids.length; from += perCall) {
                List<ChunkKey> part = keys.subList(from, Math.min(ids.length, from + perCall));
                List<KvChunk> chunks = new ArrayList<>(part.size());
                for (ChunkKey k : part) {
                    chunks.add(m.chunk(k));
                }
                long c0 = System.nanoTime();
                s.sync().batchedPut(part, chunks);
                spent += System.nanoTime() - c0;
                stored.add(part.size());
            }
            store.recordValue(BenchStats.micros(spent));
        }
    }

    static long errorCount(Map<String, Long> errors) {
        synchronized (errors) {
            return errors.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private Map<String, Object> result(Target t, BenchModel m, long requestsDone, long elapsedNanos, long looked, long hit,
                                       long storedChunks, Map<String, Percentiles> phases, long bad, long lostChunks,
                                       Map<String, Long> errors) {
        double secs = elapsedNanos / 1e9;
        long readBytes = hit * m.chunkBytes();
        long writeBytes = storedChunks * m.chunkBytes();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("target", t.description());
        r.put("model", m.name());
        r.put("chunk_bytes", m.chunkBytes());
        r.put("requests", requestsDone);
        r.put("concurrency", concurrency);
        r.put("distribution", distribution.trim().toLowerCase(Locale.ROOT));
        r.put("max_chunks", maxChunks);
        r.put("seconds", BenchStats.round(secs));
        r.put("requests_per_s", BenchStats.round(requestsDone / secs));
        r.put("payload_gb_per_s", BenchStats.round(BenchStats.gbPerSecond(readBytes + writeBytes, elapsedNanos)));
        r.put("read_gb_per_s", BenchStats.round(BenchStats.gbPerSecond(readBytes, elapsedNanos)));
        r.put("write_gb_per_s", BenchStats.round(BenchStats.gbPerSecond(writeBytes, elapsedNanos)));
        r.put("target_hit_rate", hitRate);
        r.put("hit_rate", BenchStats.round(looked == 0 ? 0 : hit / (double) looked));
        r.put("chunks_looked_up", looked);
        r.put("chunks_fetched", hit);
        r.put("chunks_stored", storedChunks);
        Map<String, Object> lat = new LinkedHashMap<>();
        phases.forEach((k, v) -> lat.put(k, v.toMap()));
        r.put("latency", lat);
        r.put("mismatches", bad);
        r.put("lost_chunks", lostChunks);
        synchronized (errors) {
            r.put("errors", new LinkedHashMap<>(errors));
        }
        return r;
    }

    private void print(PrintWriter out, Target t, BenchModel m, Map<String, Object> r, Map<String, Percentiles> phases) {
        out.println("Workload on " + t.description());
        out.println("  " + m.describe() + ", " + r.get("requests") + " requests, concurrency " + concurrency + ", "
                + maxChunks + " chunks max (" + r.get("distribution") + ")");
        out.println(String.format(Locale.ROOT, "  %.1f requests/s, %.3f GB/s payload (read %.3f, write %.3f) over %.1f s",
                (double) r.get("requests_per_s"), (double) r.get("payload_gb_per_s"), (double) r.get("read_gb_per_s"),
                (double) r.get("write_gb_per_s"), (double) r.get("seconds")));
        out.println(String.format(Locale.ROOT, "  hit rate %.3f (target %.2f): %d chunks looked up, %d fetched, %d stored",
                (double) r.get("hit_rate"), hitRate, (long) r.get("chunks_looked_up"), (long) r.get("chunks_fetched"),
                (long) r.get("chunks_stored")));
        BenchTable table = new BenchTable("phase", "calls", "p50 ms", "p95 ms", "p99 ms", "max ms");
        phases.forEach((name, p) -> table.row(name, p.count(), BenchStats.ms(p.medianMs()), BenchStats.ms(p.p95Ms()),
                BenchStats.ms(p.p99Ms()), BenchStats.ms(p.maxMs())));
        table.print(out, "  ");
        long bad = (long) r.get("mismatches");
        long lostChunks = (long) r.get("lost_chunks");
        @SuppressWarnings("unchecked")
        Map<String, Long> errs = (Map<String, Long>) r.get("errors");
        if (bad == 0 && lostChunks == 0 && errs.isEmpty()) {
            out.println("  Verified: all " + r.get("chunks_fetched") + " fetched chunks matched what was written; no errors.");
        } else {
            out.println("  ERROR: " + bad + " mismatched chunks, " + lostChunks + " lost chunks, errors " + errs);
        }
        out.flush();
    }

    private void plot(BenchModel m, Map<String, Percentiles> phases) {
        List<String> cats = new ArrayList<>(phases.keySet());
        double[] p50 = new double[cats.size()];
        double[] p95 = new double[cats.size()];
        double[] p99 = new double[cats.size()];
        for (int i = 0; i < cats.size(); i++) {
            Percentiles p = phases.get(cats.get(i));
            p50[i] = p.medianMs();
            p95[i] = p.p95Ms();
            p99[i] = p.p99Ms();
        }
        Map<String, double[]> series = new LinkedHashMap<>();
        series.put("p50", p50);
        series.put("p95", p95);
        series.put("p99", p99);
        BenchPlot.bars(plot, "Serving workload latency per phase: " + m.describe() + ", concurrency " + concurrency,
                "phase of a request", "latency (ms, log scale)", true, cats, series);
    }
}
