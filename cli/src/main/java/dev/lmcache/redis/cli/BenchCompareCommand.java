package dev.lmcache.redis.cli;

import dev.lmcache.redis.KvCacheStore;
import dev.lmcache.redis.cli.BenchCompare.CompareResult;
import dev.lmcache.redis.cli.BenchCompare.Settings;
import dev.lmcache.redis.cli.BenchCompare.Side;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code lmcache-redis bench compare}: the before/after table, naive one-key-at-a-time versus
 * batched, for one combination or a sweep of chunk counts and sizes.
 */
@Command(name = "compare",
        description = {
            "Before/after: naive one-key-at-a-time vs batched puts and gets.",
            "",
            "Stores and loads a batch of chunks the naive way (LMCache's original connector: per chunk two awaited SETs or"
                + " GETs, kv_bytes and metadata) and batched (batchedPut / batchedGet), on the same server with the same key"
                + " names. Prints median, p95 and p99 per batch in ms and the speedup (naive median / batched median). Comma"
                + " lists (--chunks 32,64,128 --chunk-bytes 512,2048) run every combination.",
        },
        footer = {
            "",
            "--json FILE: {target, cluster, results: [{keys, value_bytes, naive_reps, batched_reps, warmup, read: {naive:"
                + " {count, median_ms, p95_ms, p99_ms, max_ms, mean_ms}, batched: {...}, speedup}, write: {...},"
                + " mismatches}]}",
            "--csv FILE: keys,value_bytes,op,mode,median_ms,p95_ms,p99_ms,speedup; op is read or write, mode naive or"
                + " batched; speedup is repeated on both rows of a pair.",
        },
        sortOptions = false,
        mixinStandardHelpOptions = true)
final class BenchCompareCommand extends BenchSubcommand {

    @Option(names = "--chunks", paramLabel = "N", split = ",", defaultValue = "100",
            description = "Chunks per batch; a comma list sweeps (default: ${DEFAULT-VALUE}).")
    List<Integer> chunks;

    @Option(names = "--chunk-bytes", paramLabel = "SIZE", split = ",", defaultValue = "2048",
            description = "Bytes per chunk (k/m suffixes); a comma list sweeps (default: ${DEFAULT-VALUE}).")
    List<ByteSize> chunkBytes;

    // The older names, still accepted; a hidden option of its own keeps them out of the help.
    @Option(names = "--keys", hidden = true, split = ",")
    List<Integer> keys;

    @Option(names = "--value-bytes", hidden = true, split = ",")
    List<ByteSize> valueBytes;

    @Option(names = "--reps", paramLabel = "R", defaultValue = "20",
            description = "Measured repetitions per combination (default: ${DEFAULT-VALUE}).")
    int reps;

    @Option(names = "--naive-reps", paramLabel = "R",
            description = "Measured naive repetitions, if fewer than --reps (naive is slow at high round-trip times).")
    Integer naiveReps;

    @Option(names = "--warmup", paramLabel = "R", defaultValue = "2",
            description = "Unmeasured repetitions first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--csv", paramLabel = "FILE", description = "Also write one CSV row per combination, op and mode.")
    Path csv;

    @Option(names = "--plot", paramLabel = "FILE.png",
            description = "Also draw a chart: median ms naive vs batched (one combination) or speedup by batch size (sweep).")
    Path plot;

    @Override
    protected int run() {
        chunks = keys != null ? keys : chunks;
        chunkBytes = valueBytes != null ? valueBytes : chunkBytes;
        PrintWriter out = out();
        PrintWriter err = err();
        for (int k : chunks) {
            require(k >= 1 && k <= 100_000, given("--chunks", "--keys") + " value " + k + " is out of range; accepted: 1..100000");
        }
        for (ByteSize b : chunkBytes) {
            require(b.bytes() >= 1 && b.bytes() <= BenchCompare.MAX_BATCH_BYTES, given("--chunk-bytes", "--value-bytes") + " value " + b
                    + " is out of range; accepted: 1 B to " + Human.size(BenchCompare.MAX_BATCH_BYTES));
        }
        List<Settings> combos = new ArrayList<>();
        for (int k : chunks) {
            for (ByteSize v : chunkBytes) {
                // validates each combination before anything starts
                combos.add(parsed(() -> new Settings(k, v.intBytes(), reps, naiveReps == null ? reps : naiveReps, warmup)));
            }
        }
        List<CompareResult> results = new ArrayList<>();
        try (Target t = openAnnounced()) {
            try (KvCacheStore store = t.openStore(); BenchNaiveClient naive = BenchNaiveClient.connect(t.config())) {
                for (Settings s : combos) {
                    CompareResult r = BenchCompare.run(t, store, naive, s, err);
                    results.add(r);
                    if (combos.size() == 1) {
                        BenchCompare.print(r, out);
                    } else {
                        err.println("  done: " + s.keys() + " x " + Human.size(s.valueBytes()) + "  read "
                                + BenchStats.times(r.read().speedup()) + ", write " + BenchStats.times(r.write().speedup()));
                        err.flush();
                    }
                }
            }
            if (combos.size() > 1) {
                BenchCompare.printSweep(results, out);
            }
            write(t, results);
        }
        long bad = results.stream().mapToLong(CompareResult::mismatches).sum();
        return bad == 0 ? EXIT_OK : EXIT_FAILURE;
    }

    private void write(Target t, List<CompareResult> results) {
        PrintWriter out = out();
        if (output.json != null) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("target", t.description());
            m.put("cluster", t.isCluster());
            m.put("results", results.stream().map(CompareResult::toMap).toList());
            output.writeJson(m);
            out.println("Wrote " + output.json);
        }
        if (csv != null) {
            List<String> lines = new ArrayList<>();
            lines.add(BenchCompare.CSV_HEADER);
            results.forEach(r -> lines.addAll(r.csvRows()));
            try {
                Path parent = csv.toAbsolutePath().getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
                Files.write(csv, lines, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalStateException("cannot write CSV to " + csv + ": " + e.getMessage(), e);
            }
            out.println("Wrote " + csv);
        }
        if (plot != null) {
            plot(t, results);
            out.println("Wrote " + plot);
        }
        out.flush();
    }

    private void plot(Target t, List<CompareResult> results) {
        String where = (t.isCluster() ? "cluster" : "standalone") + (target.rttMs > 0 ? ", " + fmt(target.rttMs) + " ms RTT" : "");
        if (results.size() == 1) {
            CompareResult r = results.get(0);
            BenchPlot.bars(plot, "Naive vs batched: " + r.settings().keys() + " chunks x "
                            + Human.size(r.settings().valueBytes()) + " (" + where + ")",
                    "operation on the whole batch", "median latency per batch (ms, log scale)", true,
                    List.of("read (batched " + BenchStats.times(r.read().speedup()) + " faster)",
                            "write (batched " + BenchStats.times(r.write().speedup()) + " faster)"),
                    linked("naive (one key at a time)", new double[] {r.read().naive().medianMs(), r.write().naive().medianMs()},
                            "batched", new double[] {r.read().batched().medianMs(), r.write().batched().medianMs()}));
            return;
        }
        Map<String, double[][]> series = new LinkedHashMap<>();
        for (String op : List.of("read", "write")) {
            for (CompareResult r : results) {
                String name = op + ", " + Human.size(r.settings().valueBytes()) + " chunks";
                Side s = op.equals("read") ? r.read() : r.write();
                double[][] old = series.getOrDefault(name, new double[0][]);
                double[][] grown = java.util.Arrays.copyOf(old, old.length + 1);
                grown[old.length] = new double[] {r.settings().keys(), s.speedup()};
                series.put(name, grown);
            }
        }
        BenchPlot.lines(plot, "Speedup of batched over naive (" + where + ")", "chunks per batch (log scale)",
                "speedup (naive median / batched median)", true, series);
    }

    private static Map<String, double[]> linked(String k1, double[] v1, String k2, double[] v2) {
        Map<String, double[]> m = new LinkedHashMap<>();
        m.put(k1, v1);
        m.put(k2, v2);
        return m;
    }

    static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
