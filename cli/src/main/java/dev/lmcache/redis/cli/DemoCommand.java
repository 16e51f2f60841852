package dev.lmcache.redis.cli;

import dev.lmcache.redis.KeyLayout;
import dev.lmcache.redis.KvCacheStore;
import dev.lmcache.redis.cli.BenchCompare.CompareResult;
import dev.lmcache.redis.cli.BenchCompare.Settings;
import dev.lmcache.redis.cli.BenchCompare.Side;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code lmcache-redis demo}: the whole story in one command with nothing to set up. Starts an
 * embedded standalone Redis and a 3-master cluster, each behind an emulated network round trip,
 * runs the seven checks on the standalone one, then the before/after comparison on both, and
 * prints the summary table.
 */
@Command(name = "demo",
        description = {
            "The whole story in one command, nothing to set up (about a minute).",
            "",
            "Starts an embedded Redis and a 3-master Redis Cluster, each behind an emulated 10 ms round trip, runs the"
                + " seven checks on the standalone server, then compares the naive one-key-at-a-time pattern with batched"
                + " puts and gets (100 chunks x 2 KiB per request) on both, and prints the summary table. Exit 0 if the"
                + " checks passed and every chunk read back matched.",
        },
        footer = {
            "",
            "--json FILE: {rtt_ms, keys, value_bytes, seconds, checks: {passed, results: [{name, passed,"
                + " detail, ms}]}, compare: {standalone: {...}, cluster: {...}} (each as one result of 'bench compare"
                + " --json'), summary: [{target, op, naive_median_ms, batched_median_ms, speedup}], ok}",
        },
        sortOptions = false,
        mixinStandardHelpOptions = true)
final class DemoCommand extends BaseCommand {

    @Mixin
    OutputOptions output;

    @Option(names = "--plot", paramLabel = "FILE.png", description = "Also draw the summary as a bar chart.")
    Path plot;

    // Hidden knobs, for tests and experiments: the defaults are the demo.
    @Option(names = "--rtt-ms", hidden = true, defaultValue = "10")
    double rttMs;

    @Option(names = {"--chunks", "--keys"}, hidden = true, defaultValue = "100")
    int keys;

    @Option(names = {"--chunk-bytes", "--value-bytes"}, hidden = true, defaultValue = "2048")
    ByteSize chunkBytes;

    private int valueBytes;

    @Option(names = "--naive-reps", hidden = true, defaultValue = "3")
    int naiveReps;

    @Option(names = "--reps", hidden = true, defaultValue = "10")
    int reps;

    @Option(names = "--warmup", hidden = true, defaultValue = "1")
    int warmup;

    @Option(names = "--no-cluster", hidden = true, description = "Skip the cluster (faster experiments).")
    boolean noCluster;

    @Override
    protected int run() {
        PrintWriter out = out();
        PrintWriter err = err();
        require(rttMs >= 0 && rttMs <= 1000, "--rtt-ms must be 0..1000, was " + rttMs);
        require(chunkBytes.bytes() <= Integer.MAX_VALUE, "--chunk-bytes must be at most 2 GiB, was " + chunkBytes);
        valueBytes = chunkBytes.intBytes();
        Settings settings = parsed(() -> new Settings(keys, valueBytes, reps, naiveReps, warmup));
        long t0 = System.nanoTime();
        String rtt = rttMs > 0 ? "an emulated " + BenchCompareCommand.fmt(rttMs) + " ms round trip" : "no added delay";
        out.println("lmcache-redis demo: LMCache KV-cache chunks in Redis, batched.");
        out.println("[1/4] Starting an embedded Redis" + (noCluster ? "" : " and a 3-master Redis Cluster") + ", each behind " + rtt
                + "...");
        out.flush();
        // Initialise logging before a second thread logs, or SLF4J reports replayed start-up calls.
        org.slf4j.LoggerFactory.getILoggerFactory();
        CompletableFuture<Target> clusterStart = noCluster ? null : CompletableFuture.supplyAsync(() -> Target.embedded(true, rttMs));
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

            out.println("[3/4] Before/after: " + keys + " chunks x " + Human.size(valueBytes) + " per request, naive ("
                    + naiveReps + " reps) vs batched (" + reps + " reps)...");
            out.flush();
            Map<String, CompareResult> compare = new LinkedHashMap<>();
            compare.put("standalone", compareOn("standalone", standalone, settings, out, err));
            if (cluster != null) {
                compare.put("cluster", compareOn("cluster", cluster, settings, out, err));
                // the tagged layout keeps both keys of a chunk on one node: writes are one round trip too
                Target tagged = cluster.withConfig(cluster.config().toBuilder().keyLayout(KeyLayout.TAGGED).build());
                compare.put("cluster tagged", compareOn("cl. tagged", tagged, settings, out, err));
            }

            out.println("[4/4] Summary: median ms per request of " + keys + " chunks x " + Human.size(valueBytes) + ", "
                    + (rttMs > 0 ? BenchCompareCommand.fmt(rttMs) + " ms RTT" : "no added RTT"));
            BenchTable table = new BenchTable("target", "op", "naive ms", "batched ms", "speedup").leftColumns(2);
            List<Map<String, Object>> summary = new ArrayList<>();
            for (Map.Entry<String, CompareResult> e : compare.entrySet()) {
                for (String op : List.of("read", "write")) {
                    Side side = op.equals("read") ? e.getValue().read() : e.getValue().write();
                    table.row(e.getKey(), op, BenchStats.ms(side.naive().medianMs()), BenchStats.ms(side.batched().medianMs()),
                            BenchStats.times(side.speedup()));
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("target", e.getKey());
                    row.put("op", op);
                    row.put("naive_median_ms", BenchStats.round(side.naive().medianMs()));
                    row.put("batched_median_ms", BenchStats.round(side.batched().medianMs()));
                    row.put("speedup", BenchStats.round(side.speedup()));
                    summary.add(row);
                }
            }
            table.print(out, "      ");
            out.println("      naive = LMCache's original connector pattern: per chunk 2 awaited commands (metadata, kv_bytes);");
            out.println("      batched = batchedPut / batchedGet: about one round trip per request"
                    + (cluster != null ? " (lmcache-layout cluster writes: two, data before metadata on another node;"
                    + " the tagged layout keeps a chunk's keys on one node)." : "."));
            long mismatches = compare.values().stream().mapToLong(CompareResult::mismatches).sum();
            boolean checksOk = report.allPassed();
            String checks = report.passedCount() + "/" + report.results().size() + " passed";
            out.println("      checks: " + checks + "; data verified: "
                    + (mismatches == 0 ? "every chunk read back matched" : mismatches + " chunks missing or different"));
            double seconds = (System.nanoTime() - t0) / 1e9;
            out.println(String.format(Locale.ROOT, "Done in %.0f s.", seconds));
            boolean ok = checksOk && mismatches == 0;

            if (output.json != null) {
                output.writeJson(json(settings, seconds, report, compare, summary, ok));
                out.println("Wrote " + output.json);
            }
            if (plot != null) {
                plot(compare);
                out.println("Wrote " + plot);
            }
            out.flush();
            return ok ? EXIT_OK : EXIT_FAILURE;
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

    private CompareResult compareOn(String name, Target t, Settings settings, PrintWriter out, PrintWriter err) {
        CompareResult r = BenchCompare.run(t, settings, err);
        out.println(String.format(Locale.ROOT, "      %-10s read %s ms -> %s ms (%s), write %s ms -> %s ms (%s)", name,
                BenchStats.ms(r.read().naive().medianMs()), BenchStats.ms(r.read().batched().medianMs()),
                BenchStats.times(r.read().speedup()), BenchStats.ms(r.write().naive().medianMs()),
                BenchStats.ms(r.write().batched().medianMs()), BenchStats.times(r.write().speedup())));
        out.flush();
        return r;
    }

    private Map<String, Object> json(Settings settings, double seconds, Checks.Report report, Map<String, CompareResult> compare,
                                     List<Map<String, Object>> summary, boolean ok) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rtt_ms", rttMs);
        m.put("keys", settings.keys());
        m.put("value_bytes", settings.valueBytes());
        m.put("seconds", BenchStats.round(seconds));
        Map<String, Object> checks = new LinkedHashMap<>();
        checks.put("passed", report.allPassed());
        List<Map<String, Object>> results = new ArrayList<>();
        for (Checks.Result r : report.results()) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("name", r.name());
            c.put("passed", r.passed());
            c.put("detail", r.detail());
            c.put("ms", BenchStats.round(r.millis()));
            results.add(c);
        }
        checks.put("results", results);
        m.put("checks", checks);
        Map<String, Object> cmp = new LinkedHashMap<>();
        compare.forEach((k, v) -> cmp.put(k, v.toMap()));
        m.put("compare", cmp);
        m.put("summary", summary);
        m.put("ok", ok);
        return m;
    }

    private void plot(Map<String, CompareResult> compare) {
        List<String> cats = new ArrayList<>();
        List<Double> naive = new ArrayList<>();
        List<Double> batched = new ArrayList<>();
        for (Map.Entry<String, CompareResult> e : compare.entrySet()) {
            for (String op : List.of("read", "write")) {
                Side side = op.equals("read") ? e.getValue().read() : e.getValue().write();
                cats.add(e.getKey() + " " + op + " (" + BenchStats.times(side.speedup()) + ")");
                naive.add(side.naive().medianMs());
                batched.add(side.batched().medianMs());
            }
        }
        Map<String, double[]> series = new LinkedHashMap<>();
        series.put("naive (one key at a time)", naive.stream().mapToDouble(Double::doubleValue).toArray());
        series.put("batched", batched.stream().mapToDouble(Double::doubleValue).toArray());
        BenchPlot.bars(plot, "Before/after: " + keys + " chunks x " + Human.size(valueBytes) + " per request, "
                        + (rttMs > 0 ? BenchCompareCommand.fmt(rttMs) + " ms RTT" : "no added RTT"),
                "target and operation (speedup)", "median latency per request (ms, log scale)", true, cats, series);
    }
}
