package dev.lmcache.redis.cli;

import dev.lmcache.redis.cli.bench.Compare;
import dev.lmcache.redis.cli.bench.CompareSweep;
import dev.lmcache.redis.cli.target.Target;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
        for (int k : chunks) {
            require(k >= 1 && k <= 100_000, given("--chunks", "--keys") + " value " + k + " is out of range; accepted: 1..100000");
        }
        for (ByteSize b : chunkBytes) {
            require(b.bytes() >= 1 && b.bytes() <= Compare.MAX_BATCH_BYTES, given("--chunk-bytes", "--value-bytes") + " value "
                    + b + " is out of range; accepted: 1 B to " + new ByteSize(Compare.MAX_BATCH_BYTES));
        }
        List<Compare.Settings> combinations = new ArrayList<>();
        for (int k : chunks) {
            for (ByteSize b : chunkBytes) {
                // every combination is checked before anything starts
                combinations.add(parsed(() -> new Compare.Settings(k, b.intBytes(), reps, naiveReps == null ? reps : naiveReps,
                        warmup)));
            }
        }
        try (Target t = openAnnounced()) {
            CompareSweep sweep = Compare.sweep(t, combinations, out(), err());
            if (csv != null) {
                sweep.writeCsv(csv);
                out().println("Wrote " + csv);
            }
            return finish(sweep, plot);
        }
    }
}
