package dev.lmcache.redis.cli.bench;

import dev.lmcache.redis.cli.bench.Compare.CompareResult;
import dev.lmcache.redis.cli.bench.Compare.Side;
import dev.lmcache.redis.cli.target.Target;
import dev.lmcache.redis.cli.text.Charts;
import dev.lmcache.redis.cli.text.Human;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The results of {@link Compare#sweep}: one per combination of chunk count and size. */
public final class CompareSweep implements Outcome {
    private final String target;
    private final boolean cluster;
    private final double rttMs;
    private final List<CompareResult> results;

    CompareSweep(Target target, List<CompareResult> results) {
        this.target = target.description();
        this.cluster = target.isCluster();
        this.rttMs = target.rttMs();
        this.results = List.copyOf(results);
    }

    /** {@code {target, cluster, results: [...]}}, each result as {@code bench compare --help} lists it. */
    @Override
    public Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("target", target);
        m.put("cluster", cluster);
        m.put("results", results.stream().map(CompareResult::toMap).toList());
        return m;
    }

    /** Whether every chunk read back, by either side, matched what was written. */
    @Override
    public boolean ok() {
        return results.stream().mapToLong(CompareResult::mismatches).sum() == 0;
    }

    /**
     * Writes one CSV row per combination, op and mode under {@link Compare#CSV_HEADER}.
     *
     * @throws IllegalStateException naming the file when it cannot be written
     */
    public void writeCsv(Path csv) {
        List<String> lines = new ArrayList<>();
        lines.add(Compare.CSV_HEADER);
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
    }

    /** Median ms naive against batched for one combination; the speedup against the chunk count for a sweep. */
    @Override
    public void plot(Path png) {
        String where = (cluster ? "cluster" : "standalone") + (rttMs > 0 ? ", " + Stats.plain(rttMs) + " ms RTT" : "");
        if (results.size() == 1) {
            CompareResult r = results.get(0);
            Map<String, double[]> series = new LinkedHashMap<>();
            series.put("naive (one key at a time)", new double[] {r.read().naive().medianMs(), r.write().naive().medianMs()});
            series.put("batched", new double[] {r.read().batched().medianMs(), r.write().batched().medianMs()});
            Charts.bars(png, "Naive vs batched: " + r.settings().keys() + " chunks x "
                            + Human.size(r.settings().valueBytes()) + " (" + where + ")",
                    "operation on the whole batch", "median latency per batch (ms, log scale)", true,
                    List.of("read (batched " + Stats.times(r.read().speedup()) + " faster)",
                            "write (batched " + Stats.times(r.write().speedup()) + " faster)"), series);
            return;
        }
        Map<String, double[][]> series = new LinkedHashMap<>();
        for (String op : List.of("read", "write")) {
            for (CompareResult r : results) {
                String name = op + ", " + Human.size(r.settings().valueBytes()) + " chunks";
                Side s = op.equals("read") ? r.read() : r.write();
                double[][] old = series.getOrDefault(name, new double[0][]);
                double[][] grown = Arrays.copyOf(old, old.length + 1);
                grown[old.length] = new double[] {r.settings().keys(), s.speedup()};
                series.put(name, grown);
            }
        }
        Charts.lines(png, "Speedup of batched over naive (" + where + ")", "chunks per batch (log scale)",
                "speedup (naive median / batched median)", true, series);
    }
}
