package dev.lmcache.redis.cli;

import dev.lmcache.redis.cli.bench.Compare;
import dev.lmcache.redis.cli.bench.Demo;
import java.nio.file.Path;
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
        require(chunkBytes.bytes() <= Integer.MAX_VALUE, "--chunk-bytes must be at most 2 GiB, was " + chunkBytes);
        Demo.Settings settings = parsed(() -> new Demo.Settings(rttMs,
                new Compare.Settings(keys, chunkBytes.intBytes(), reps, naiveReps, warmup), !noCluster));
        return finish(output, Demo.run(settings, out(), err()), plot);
    }
}
