package dev.lmcache.redis.cli;

import dev.lmcache.redis.cli.bench.EdgeBenchmark;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code lmcache-redis bench edge}: a thin shell over {@link EdgeBenchmark}. */
@Command(name = "edge",
        description = {
            "LMCache's RESP client (N connections, one key per round trip) straight to Redis vs through the edge",
            "(write through, write behind, memory tier) at an emulated RTT, and the edge's overhead on loopback."
        },
        sortOptions = false,
        mixinStandardHelpOptions = true)
final class BenchEdgeCommand extends BaseCommand {

    @Option(names = "--rtt-ms", paramLabel = "MS", defaultValue = "10", description = "Emulated round trip to Redis (default: ${DEFAULT-VALUE}).")
    double rttMs;

    @Option(names = "--workers", paramLabel = "N", defaultValue = "8", description = "Client connections (LMCache's default: ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--profiles", paramLabel = "NxSIZE[,NxSIZE]", defaultValue = "100x2k,16x32m",
            description = "Chunk profiles: chunk count x chunk size, e.g. 100x2k (default: ${DEFAULT-VALUE}).")
    String profiles;

    @Option(names = "--paths", paramLabel = "P[,P]", defaultValue = "direct,through,behind,memory",
            description = "Paths at the emulated RTT (default: ${DEFAULT-VALUE}).")
    String paths;

    @Option(names = "--reps", paramLabel = "N", defaultValue = "3", description = "Interleaved repetitions (default: ${DEFAULT-VALUE}).")
    int reps;

    @Option(names = "--no-loopback", description = "Skip the loopback measurement of the edge's own overhead.")
    boolean noLoopback;

    @Override
    protected int run() throws Exception {
        List<EdgeBenchmark.Profile> list = new ArrayList<>();
        for (String part : profiles.split(",")) {
            String[] nx = part.trim().toLowerCase(java.util.Locale.ROOT).split("x", 2);
            require(nx.length == 2, "--profiles takes COUNTxSIZE entries such as 100x2k; got '" + part + "'");
            long size = parsed(() -> ByteSize.parse(nx[1])).bytes();
            require(size <= Integer.MAX_VALUE - 8, "--profiles size " + nx[1] + " is over 2 GiB");
            list.add(new EdgeBenchmark.Profile(parsed(() -> parseCount(nx[0])), (int) size));
        }
        List<EdgeBenchmark.Path> ps = new ArrayList<>();
        for (String p : paths.split(",")) {
            ps.add(parsed(() -> EdgeBenchmark.Path.parse(p)));
        }
        EdgeBenchmark.run(parsed(() -> new EdgeBenchmark.Options(rttMs, workers, list, ps, reps, !noLoopback)), out());
        return EXIT_OK;
    }

    private static int parseCount(String s) {
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--profiles count '" + s + "' is not a whole number (e.g. 100x2k)");
        }
    }
}
