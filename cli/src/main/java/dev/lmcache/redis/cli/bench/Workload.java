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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Recorder;

/**
 * An LMCache-like serving workload. Each request is a prompt of chunks ({@link PromptPlanner});
 * it looks its chunk keys up ({@code batchedContains}), fetches the hit prefix
 * ({@code batchedGetNonBlocking}) and stores the rest ({@code batchedPut}), as LMCache's
 * connector does around a prefill. Prompts share prefixes with earlier requests whose chunks were
 * written, so hits are real, and every byte fetched is verified.
 */
public final class Workload {

    /**
     * What to run.
     *
     * @param preset        the chunk geometry preset, used unless {@code chunkBytes} is given
     * @param chunkBytes    untyped chunks of this size instead of a preset, or null
     * @param requests      requests to run (without {@code duration})
     * @param duration      run for this long instead of a number of requests, or null
     * @param concurrency   requests in flight at once
     * @param hitRate       target fraction of looked-up chunks that are hits
     * @param maxChunks     largest prompt in chunks
     * @param distribution  chunks per request: {@code uniform} or {@code skewed}
     * @param maxCallBytes  largest payload of one fetch or store call
     * @param seed          random seed for a repeatable request sequence, or null
     * @param keep          leave the chunks in Redis at the end
     */
    public record Settings(String preset, Long chunkBytes, int requests, Duration duration, int concurrency, double hitRate,
                           int maxChunks, String distribution, long maxCallBytes, Long seed, boolean keep) {
        /**
         * Checks the settings.
         *
         * @throws IllegalArgumentException naming the option and what it accepts
         */
        public Settings {
            require(hitRate >= 0 && hitRate <= 1, "--hit-rate must be between 0 and 1, was " + hitRate);
            require(concurrency >= 1 && concurrency <= 1024, "--concurrency must be 1..1024, was " + concurrency);
            require(maxChunks >= 1 && maxChunks <= 4096, "--max-chunks must be 1..4096, was " + maxChunks);
            require(requests >= 1, "--requests must be at least 1, was " + requests);
            distribution = distribution.trim().toLowerCase(Locale.ROOT);
            require(distribution.equals("uniform") || distribution.equals("skewed"),
                    "--distribution '" + distribution + "' is not supported; accepted: uniform, skewed");
            if (duration != null) {
                require(duration.toMillis() >= 1, "--duration must be positive, was " + duration.toMillis() + "ms");
            }
            ChunkSet.of(preset, chunkBytes);
        }
    }

    private final Settings settings;
    private final ChunkSet chunks;
    private final int perCall;
    private final PromptPlanner planner;
    private final Recorder lookup = Stats.recorder();
    private final Recorder fetch = Stats.recorder();
    private final Recorder store = Stats.recorder();
    private final Recorder request = Stats.recorder();
    private final LongAdder done = new LongAdder();
    private final LongAdder lookedUp = new LongAdder();
    private final LongAdder fetched = new LongAdder();
    private final LongAdder stored = new LongAdder();
    private final LongAdder mismatches = new LongAdder();
    private final LongAdder lost = new LongAdder();
    private final ErrorCounts errors = new ErrorCounts();

    private Workload(Settings settings) {
        this.settings = settings;
        this.chunks = ChunkSet.of(settings.preset(), settings.chunkBytes());
        this.perCall = (int) Math.max(1, Math.min(settings.maxChunks(), settings.maxCallBytes() / chunks.chunkBytes()));
        this.planner = new PromptPlanner(settings.seed() != null ? settings.seed() : System.nanoTime(), settings.hitRate(),
                settings.maxChunks(), settings.distribution().equals("skewed"));
    }

    /**
     * Runs the workload on {@code target}, progress on {@code err}, the summary table on {@code out}.
     *
     * @throws InterruptedException if interrupted while the workers run
     */
    public static Outcome run(Target target, Settings settings, PrintWriter out, PrintWriter err) throws InterruptedException {
        return new Workload(settings).run(target, out, err);
    }

    private Outcome run(Target t, PrintWriter out, PrintWriter err) throws InterruptedException {
        err.println("Workload: " + chunks.describe() + ", " + (settings.duration() != null
                ? "for " + Stats.plain(settings.duration().toMillis() / 1000.0) + " s" : settings.requests() + " requests")
                + ", concurrency " + settings.concurrency() + ", target hit rate " + settings.hitRate());
        err.flush();
        try (KvCacheStore s = t.openStore()) {
            long start = System.nanoTime();
            runWorkers(s, start, err);
            long elapsed = System.nanoTime() - start;
            if (!settings.keep() && !t.isEmbedded()) {
                // Embedded servers are thrown away with everything in them; a real one is cleaned up.
                chunks.deleteFirst(s, planner.idsUsed());
            }
            Map<String, Percentiles> phases = new LinkedHashMap<>();
            phases.put("lookup", Percentiles.of(lookup.getIntervalHistogram()));
            phases.put("fetch", Percentiles.of(fetch.getIntervalHistogram()));
            phases.put("store", Percentiles.of(store.getIntervalHistogram()));
            phases.put("request", Percentiles.of(request.getIntervalHistogram()));
            Result r = new Result(result(t, elapsed, phases), phases);
            r.print(out, t);
            return r;
        }
    }

    /** {@code concurrency} threads, each serving one request after the other until the count or time is reached. */
    private void runWorkers(KvCacheStore s, long start, PrintWriter err) throws InterruptedException {
        Duration duration = settings.duration();
        long deadline = duration != null ? start + duration.toNanos() : Long.MAX_VALUE;
        AtomicLong started = new AtomicLong();
        Runnable worker = () -> {
            while (duration != null ? System.nanoTime() < deadline : started.incrementAndGet() <= settings.requests()) {
                PromptPlanner.Plan plan = planner.next();
                try {
                    long r0 = System.nanoTime();
                    serve(s, plan);
                    Stats.recordSince(request, r0);
                    planner.written(plan.ids());
                } catch (RuntimeException e) {
                    errors.add(e);
                }
                done.increment();
            }
        };
        List<Thread> threads = new ArrayList<>();
        Progress progress = new Progress(err, 5000, () -> {
            double secs = (System.nanoTime() - start) / 1e9;
            long looked = lookedUp.sum();
            return String.format(Locale.ROOT, "%d requests, %.0f req/s, hit rate %.2f, %d errors", done.sum(),
                    done.sum() / secs, looked == 0 ? 0.0 : fetched.sum() / (double) looked, errors.total());
        });
        try (progress) {
            for (int i = 0; i < settings.concurrency(); i++) {
                Thread th = new Thread(worker, "workload-" + i);
                th.start();
                threads.add(th);
            }
            for (Thread th : threads) {
                th.join();
            }
        }
    }

    /** One request: lookup, fetch the hit prefix, store the rest; each phase timed (sum of its calls). */
    private void serve(KvCacheStore s, PromptPlanner.Plan plan) {
        long[] ids = plan.ids();
        List<ChunkKey> keys = new ArrayList<>(ids.length);
        for (long id : ids) {
            keys.add(chunks.key(id));
        }
        long t0 = System.nanoTime();
        int hits = s.sync().batchedContains(keys);
        Stats.recordSince(lookup, t0);
        lookedUp.add(ids.length);
        if (hits < plan.hits()) {
            // Chunks an earlier request wrote (and nobody deleted) must still be there.
            lost.add(plan.hits() - hits);
        }
        if (hits > 0) {
            fetchPrefix(s, keys, hits);
        }
        if (hits < ids.length) {
            storeRest(s, keys, hits);
        }
    }

    /** Fetches the first {@code hits} chunks in calls of at most {@code perCall}, verifying each. */
    private void fetchPrefix(KvCacheStore s, List<ChunkKey> keys, int hits) {
        long spent = 0;
        int got = 0;
        for (int from = 0; from < hits; from += perCall) {
            List<ChunkKey> part = keys.subList(from, Math.min(hits, from + perCall));
            long c0 = System.nanoTime();
            List<KvChunk> read = s.sync().batchedGetNonBlocking(part);
            spent += System.nanoTime() - c0;
            for (int i = 0; i < read.size(); i++) {
                if (!chunks.verify(part.get(i), read.get(i))) {
                    mismatches.increment();
                }
            }
            got += read.size();
            if (read.size() < part.size()) {
                break;
            }
        }
        fetch.recordValue(Stats.micros(spent));
        fetched.add(got);
        if (got < hits) {
            lost.add(hits - got);
        }
    }

    /** Stores the chunks after the first {@code hits} in calls of at most {@code perCall}. */
    private void storeRest(KvCacheStore s, List<ChunkKey> keys, int hits) {
        long spent = 0;
        for (int from = hits; from < keys.size(); from += perCall) {
            List<ChunkKey> part = keys.subList(from, Math.min(keys.size(), from + perCall));
            List<KvChunk> values = new ArrayList<>(part.size());
            for (ChunkKey k : part) {
                values.add(chunks.chunk(k));
            }
            long c0 = System.nanoTime();
            s.sync().batchedPut(part, values);
            spent += System.nanoTime() - c0;
            stored.add(part.size());
        }
        store.recordValue(Stats.micros(spent));
    }

    private Map<String, Object> result(Target t, long elapsedNanos, Map<String, Percentiles> phases) {
        double secs = elapsedNanos / 1e9;
        long requestsDone = done.sum();
        long looked = lookedUp.sum();
        long hit = fetched.sum();
        long readBytes = hit * chunks.chunkBytes();
        long writeBytes = stored.sum() * chunks.chunkBytes();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("target", t.description());
        r.put("model", chunks.name());
        r.put("chunk_bytes", chunks.chunkBytes());
        r.put("requests", requestsDone);
        r.put("concurrency", settings.concurrency());
        r.put("distribution", settings.distribution());
        r.put("max_chunks", settings.maxChunks());
        r.put("seconds", Stats.round(secs));
        r.put("requests_per_s", Stats.round(requestsDone / secs));
        r.put("payload_gb_per_s", Stats.round(Stats.gbPerSecond(readBytes + writeBytes, elapsedNanos)));
        r.put("read_gb_per_s", Stats.round(Stats.gbPerSecond(readBytes, elapsedNanos)));
        r.put("write_gb_per_s", Stats.round(Stats.gbPerSecond(writeBytes, elapsedNanos)));
        r.put("target_hit_rate", settings.hitRate());
        r.put("hit_rate", Stats.round(looked == 0 ? 0 : hit / (double) looked));
        r.put("chunks_looked_up", looked);
        r.put("chunks_fetched", hit);
        r.put("chunks_stored", stored.sum());
        Map<String, Object> lat = new LinkedHashMap<>();
        phases.forEach((k, v) -> lat.put(k, v.toMap()));
        r.put("latency", lat);
        r.put("mismatches", mismatches.sum());
        r.put("lost_chunks", lost.sum());
        r.put("errors", errors.snapshot());
        return r;
    }

    /** The run's numbers: the JSON document and the phase percentiles behind the table and the chart. */
    private final class Result implements Outcome {
        private final Map<String, Object> json;
        private final Map<String, Percentiles> phases;

        Result(Map<String, Object> json, Map<String, Percentiles> phases) {
            this.json = json;
            this.phases = phases;
        }

        @Override
        public Map<String, Object> json() {
            return json;
        }

        @Override
        public boolean ok() {
            return mismatches.sum() == 0 && lost.sum() == 0 && errors.isEmpty();
        }

        void print(PrintWriter out, Target t) {
            out.println("Workload on " + t.description());
            out.println("  " + chunks.describe() + ", " + json.get("requests") + " requests, concurrency "
                    + settings.concurrency() + ", " + settings.maxChunks() + " chunks max (" + settings.distribution() + ")");
            out.println(String.format(Locale.ROOT, "  %.1f requests/s, %.3f GB/s payload (read %.3f, write %.3f) over %.1f s",
                    (double) json.get("requests_per_s"), (double) json.get("payload_gb_per_s"),
                    (double) json.get("read_gb_per_s"), (double) json.get("write_gb_per_s"), (double) json.get("seconds")));
            out.println(String.format(Locale.ROOT, "  hit rate %.3f (target %.2f): %d chunks looked up, %d fetched, %d stored",
                    (double) json.get("hit_rate"), settings.hitRate(), lookedUp.sum(), fetched.sum(), stored.sum()));
            Table table = new Table("phase", "calls", "p50 ms", "p95 ms", "p99 ms", "max ms");
            phases.forEach((name, p) -> table.row(name, p.count(), Stats.ms(p.medianMs()), Stats.ms(p.p95Ms()),
                    Stats.ms(p.p99Ms()), Stats.ms(p.maxMs())));
            table.print(out, "  ");
            if (ok()) {
                out.println("  Verified: all " + fetched.sum() + " fetched chunks matched what was written; no errors.");
            } else {
                out.println("  ERROR: " + mismatches.sum() + " mismatched chunks, " + lost.sum() + " lost chunks, errors "
                        + errors.snapshot());
            }
            out.flush();
        }

        /** p50, p95 and p99 per phase, as bars. */
        @Override
        public void plot(Path png) {
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
            Charts.bars(png, "Serving workload latency per phase: " + chunks.describe() + ", concurrency "
                    + settings.concurrency(), "phase of a request", "latency (ms, log scale)", true, cats, series);
        }
    }
}
