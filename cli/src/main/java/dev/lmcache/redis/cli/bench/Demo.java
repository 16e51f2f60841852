package dev.lmcache.redis.cli.bench;

import static dev.lmcache.redis.cli.bench.OptionCheck.require;

import dev.lmcache.redis.KeyLayout;
import dev.lmcache.redis.KvCacheStore;
import dev.lmcache.redis.cli.bench.Compare.CompareResult;
import dev.lmcache.redis.cli.bench.Compare.Side;
import dev.lmcache.redis.cli.check.Checks;
import dev.lmcache.redis.cli.target.Target;
import dev.lmcache.redis.cli.text.Charts;
import dev.lmcache.redis.cli.text.Human;
import dev.lmcache.redis.cli.text.Table;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.LoggerFactory;

/**
 * The whole story with nothing to set up: an embedded standalone Redis and a 3-master cluster,
 * each behind an emulated network round trip, the seven checks on the standalone one, then the
 * before/after comparison ({@link Compare}) on both, and the summary table.
 */
public final class Demo {

    /**
     * What to run.
     *
     * @param rttMs    the emulated round trip in front of each server, in ms
     * @param compare  the comparison on each target
     * @param cluster  whether to start and compare on the cluster too
     */
    public record Settings(double rttMs, Compare.Settings compare, boolean cluster) {
        /**
         * Checks the settings.
         *
         * @throws IllegalArgumentException naming the option and what it accepts
         */
        public Settings {
            require(rttMs >= 0 && rttMs <= 1000, "--rtt-ms must be 0..1000, was " + rttMs);
        }
    }

    private final Settings settings;
    private final String perRequest;

    private Demo(Settings settings) {
        this.settings = settings;
        this.perRequest = settings.compare().keys() + " chunks x " + Human.size(settings.compare().valueBytes());
    }

    /** Runs the demo: its four steps on {@code out}, progress of long steps on {@code err}. */
    public static Outcome run(Settings settings, PrintWriter out, PrintWriter err) {
        return new Demo(settings).run(out, err);
    }

    private Outcome run(PrintWriter out, PrintWriter err) {
        long t0 = System.nanoTime();
        double rttMs = settings.rttMs();
        String rtt = rttMs > 0 ? "an emulated " + Stats.plain(rttMs) + " ms round trip" : "no added delay";
        out.println("lmcache-redis demo: LMCache KV-cache chunks in Redis, batched.");
        out.println("[1/4] Starting an embedded Redis" + (settings.cluster() ? " and a 3-master Redis Cluster" : "")
                + ", each behind " + rtt + "...");
        out.flush();
        // Initialise logging before a second thread logs, or SLF4J reports replayed start-up calls.
        LoggerFactory.getILoggerFactory();
        CompletableFuture<Target> clusterStart = settings.cluster()
                ? CompletableFuture.supplyAsync(() -> Target.embedded(true, rttMs)) : null;
        Target standalone = null;
        Target cluster = null;
        try {
            standalone = Target.embedded(false, rttMs);
            cluster = clusterStart == null ? null : join(clusterStart);
            out.println("      standalone: " + standalone.description());
            if (cluster != null) {
                out.println("      cluster:    " + cluster.description());
            }
            out.println(String.format(Locale.ROOT, "      ready in %.1f s", (System.nanoTime() - t0) / 1e9));

            out.println("[2/4] The seven checks, through the connector, on the standalone server:");
            out.flush();
            Checks.Report report;
            try (KvCacheStore store = standalone.openStore()) {
                report = Checks.run(store, out);
            }
            out.flush();

            Compare.Settings c = settings.compare();
            out.println("[3/4] Before/after: " + perRequest + " per request, naive (" + c.naiveReps() + " reps) vs batched ("
                    + c.batchedReps() + " reps)...");
            out.flush();
            Map<String, CompareResult> compare = new LinkedHashMap<>();
            compare.put("standalone", compareOn("standalone", standalone, out, err));
            if (cluster != null) {
                compare.put("cluster", compareOn("cluster", cluster, out, err));
                // the tagged layout keeps both keys of a chunk on one node: writes are one round trip too
                Target tagged = cluster.withConfig(cluster.config().toBuilder().keyLayout(KeyLayout.TAGGED).build());
                compare.put("cluster tagged", compareOn("cl. tagged", tagged, out, err));
            }
            Result r = new Result(report, compare, (System.nanoTime() - t0) / 1e9, cluster != null);
            r.print(out);
            return r;
        } finally {
            if (standalone != null) {
                standalone.close();
            }
            if (cluster != null) {
                cluster.close();
            } else if (clusterStart != null) {
                clusterStart.thenAccept(Target::close);
            }
        }
    }

    private static Target join(CompletableFuture<Target> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    private CompareResult compareOn(String name, Target t, PrintWriter out, PrintWriter err) {
        CompareResult r = Compare.run(t, settings.compare(), err);
        out.println(String.format(Locale.ROOT, "      %-10s read %s ms -> %s ms (%s), write %s ms -> %s ms (%s)", name,
                Stats.ms(r.read().naive().medianMs()), Stats.ms(r.read().batched().medianMs()),
                Stats.times(r.read().speedup()), Stats.ms(r.write().naive().medianMs()),
                Stats.ms(r.write().batched().medianMs()), Stats.times(r.write().speedup())));
        out.flush();
        return r;
    }

    private static Side side(CompareResult r, String op) {
        return op.equals("read") ? r.read() : r.write();
    }

    /** The checks and comparisons, for the summary, the JSON document and the chart. */
    private final class Result implements Outcome {
        private final Checks.Report report;
        private final Map<String, CompareResult> compare;
        private final double seconds;
        private final boolean withCluster;

        Result(Checks.Report report, Map<String, CompareResult> compare, double seconds, boolean withCluster) {
            this.report = report;
            this.compare = compare;
            this.seconds = seconds;
            this.withCluster = withCluster;
        }

        private long mismatches() {
            return compare.values().stream().mapToLong(CompareResult::mismatches).sum();
        }

        /** Whether the checks passed and every chunk read back matched. */
        @Override
        public boolean ok() {
            return report.allPassed() && mismatches() == 0;
        }

        void print(PrintWriter out) {
            double rttMs = settings.rttMs();
            out.println("[4/4] Summary: median ms per request of " + perRequest + ", "
                    + (rttMs > 0 ? Stats.plain(rttMs) + " ms RTT" : "no added RTT"));
            Table table = new Table("target", "op", "naive ms", "batched ms", "speedup").leftColumns(2);
            for (Map.Entry<String, CompareResult> e : compare.entrySet()) {
                for (String op : List.of("read", "write")) {
                    Side side = side(e.getValue(), op);
                    table.row(e.getKey(), op, Stats.ms(side.naive().medianMs()), Stats.ms(side.batched().medianMs()),
                            Stats.times(side.speedup()));
                }
            }
            table.print(out, "      ");
            out.println("      naive = LMCache's original connector pattern: per chunk 2 awaited commands (metadata, kv_bytes);");
            out.println("      batched = batchedPut / batchedGet: about one round trip per request"
                    + (withCluster ? " (lmcache-layout cluster writes: two, data before metadata on another node;"
                    + " the tagged layout keeps a chunk's keys on one node)." : "."));
            long mismatches = mismatches();
            out.println("      checks: " + report.passedCount() + "/" + report.results().size() + " passed; data verified: "
                    + (mismatches == 0 ? "every chunk read back matched" : mismatches + " chunks missing or different"));
            out.println(String.format(Locale.ROOT, "Done in %.0f s.", seconds));
            out.flush();
        }

        @Override
        public Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("rtt_ms", settings.rttMs());
            m.put("keys", settings.compare().keys());
            m.put("value_bytes", settings.compare().valueBytes());
            m.put("seconds", Stats.round(seconds));
            Map<String, Object> checks = new LinkedHashMap<>();
            checks.put("passed", report.allPassed());
            List<Map<String, Object>> results = new ArrayList<>();
            for (Checks.Result r : report.results()) {
                Map<String, Object> c = new LinkedHashMap<>();
                c.put("name", r.name());
                c.put("passed", r.passed());
                c.put("detail", r.detail());
                c.put("ms", Stats.round(r.millis()));
                results.add(c);
            }
            checks.put("results", results);
            m.put("checks", checks);
            Map<String, Object> cmp = new LinkedHashMap<>();
            compare.forEach((k, v) -> cmp.put(k, v.toMap()));
            m.put("compare", cmp);
            List<Map<String, Object>> summary = new ArrayList<>();
            for (Map.Entry<String, CompareResult> e : compare.entrySet()) {
                for (String op : List.of("read", "write")) {
                    Side side = side(e.getValue(), op);
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("target", e.getKey());
                    row.put("op", op);
                    row.put("naive_median_ms", Stats.round(side.naive().medianMs()));
                    row.put("batched_median_ms", Stats.round(side.batched().medianMs()));
                    row.put("speedup", Stats.round(side.speedup()));
                    summary.add(row);
                }
            }
            m.put("summary", summary);
            m.put("ok", ok());
            return m;
        }

        /** Median ms naive against batched per target and operation, with the speedup in the labels. */
        @Override
        public void plot(Path png) {
            List<String> cats = new ArrayList<>();
            List<Double> naive = new ArrayList<>();
            List<Double> batched = new ArrayList<>();
            for (Map.Entry<String, CompareResult> e : compare.entrySet()) {
                for (String op : List.of("read", "write")) {
                    Side side = side(e.getValue(), op);
                    cats.add(e.getKey() + " " + op + " (" + Stats.times(side.speedup()) + ")");
                    naive.add(side.naive().medianMs());
                    batched.add(side.batched().medianMs());
                }
            }
            Map<String, double[]> series = new LinkedHashMap<>();
            series.put("naive (one key at a time)", naive.stream().mapToDouble(Double::doubleValue).toArray());
            series.put("batched", batched.stream().mapToDouble(Double::doubleValue).toArray());
            double rttMs = settings.rttMs();
            Charts.bars(png, "Before/after: " + perRequest + " per request, "
                            + (rttMs > 0 ? Stats.plain(rttMs) + " ms RTT" : "no added RTT"),
                    "target and operation (speedup)", "median latency per request (ms, log scale)", true, cats, series);
        }
    }
}
