package dev.lmcache.redis.cli;

import dev.lmcache.redis.edge.bench.EdgeBenchmark;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lmcache-redis bench edge}: a thin shell over {@link EdgeBenchmark}. */
@Command(name = "edge",
        description = {
            "LMCache's RESP client (N connections, one key per round trip) straight to Redis vs through the edge",
            "(write through, write behind, memory tier) at an emulated RTT, and the edge's overhead on loopback."
        },
        sortOptions = false,
        mixinStandardHelpOptions = true)
final class BenchEdgeCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--rtt-ms", paramLabel = "MS", defaultValue = "10", description = "Emulated round trip to Redis (default: ${DEFAULT-VALUE}).")
    double rttMs;

    @Option(names = "--workers", paramLabel = "N", defaultValue = "8", description = "Client connections (LMCache's default: ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--chunks", paramLabel = "NxSIZE[,NxSIZE]", defaultValue = "100x2k,16x32m",
            description = "Chunk profiles: count x size (default: ${DEFAULT-VALUE}).")
    String chunks;

    @Option(names = "--paths", paramLabel = "P[,P]", defaultValue = "direct,through,behind,memory",
            description = "Paths at the emulated RTT (default: ${DEFAULT-VALUE}).")
    String paths;

    @Option(names = "--reps", paramLabel = "N", defaultValue = "3", description = "Interleaved repetitions (default: ${DEFAULT-VALUE}).")
    int reps;

    @Option(names = "--no-loopback", description = "Skip the loopback measurement of the edge's own overhead.")
    boolean noLoopback;

    @Override
    public Integer call() throws Exception {
        return BenchCommand.usageErrors(spec, () -> {
            List<EdgeBenchmark.Profile> profiles = new ArrayList<>();
            for (String part : chunks.split(",")) {
                String[] nx = part.trim().toLowerCase(java.util.Locale.ROOT).split("x", 2);
                if (nx.length != 2) {
                    throw new IllegalArgumentException("--chunks takes COUNTxSIZE entries such as 100x2k; got '" + part + "'");
                }
                long size = BenchSizes.parseBytes("--chunks", nx[1]);
                if (size > Integer.MAX_VALUE - 8) {
                    throw new IllegalArgumentException("--chunks size " + nx[1] + " is over 2 GiB");
                }
                profiles.add(new EdgeBenchmark.Profile(parseCount(nx[0]), (int) size));
            }
            List<EdgeBenchmark.Path> ps = new ArrayList<>();
            for (String p : paths.split(",")) {
                ps.add(EdgeBenchmark.Path.parse(p));
            }
            EdgeBenchmark.run(new EdgeBenchmark.Options(rttMs, workers, profiles, ps, reps, !noLoopback), spec.commandLine().getOut());
            return CommandLine.ExitCode.OK;
        });
    }

    private static int parseCount(String s) {
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--chunks count '" + s + "' is not a whole number (e.g. 100x2k)");
        }
    }
}
