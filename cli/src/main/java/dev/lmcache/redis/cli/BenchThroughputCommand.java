package dev.lmcache.redis.cli;

import dev.lmcache.redis.cli.bench.Throughput;
import dev.lmcache.redis.cli.target.Target;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code lmcache-redis bench throughput}: payload throughput of large-chunk batched puts and gets
 * over a sweep of chunk sizes. Sources and read destinations are direct buffers allocated once
 * and reused (reads go through a {@code BufferAllocator} handing out those buffers), so the
 * figures measure the store and the network, not allocation.
 */
@Command(name = "throughput",
        description = {
            "Large-chunk batched put/get throughput over a sweep of chunk sizes.",
            "",
            "For each size, --chunks chunks per batch and --reps timed repetitions (median and best reported, in GB/s of"
                + " payload, 10^9 bytes per second). Sources and read destinations are direct buffers allocated once and"
                + " reused, so allocation is not measured; every read is verified after its timing. Reports the store's"
                + " peak in-flight bytes and the JVM's peak heap and direct memory. Needs about 2 x chunks x the largest"
                + " size of direct memory (raise it with -XX:MaxDirectMemorySize in LMCACHE_REDIS_JAVA_OPTS).",
        },
        footer = {
            "",
            "--json FILE: {target, chunks, reps, max_inflight_bytes, results: [{chunk_bytes, put_gb_per_s, get_gb_per_s,"
                + " put_best_gb_per_s, get_best_gb_per_s, put_ms: {count, median_ms, ...}, get_ms: {...},"
                + " peak_inflight_bytes, peak_heap_bytes, peak_direct_bytes, baseline_direct_bytes (the bench's own buffers),"
                + " peak_netty_direct_bytes, mismatches}]}",
        },
        sortOptions = false,
        mixinStandardHelpOptions = true)
final class BenchThroughputCommand extends BenchSubcommand {

    @Option(names = "--chunk-bytes", paramLabel = "SIZE", split = ",", defaultValue = "1m,8m,32m",
            description = "Chunk sizes to sweep (default: ${DEFAULT-VALUE}).")
    List<ByteSize> chunkBytes;

    @Option(names = "--chunks", paramLabel = "N", defaultValue = "16",
            description = "Chunks per batch (default: ${DEFAULT-VALUE}).")
    int chunks;

    @Option(names = "--reps", paramLabel = "R", defaultValue = "3",
            description = "Timed repetitions per size (default: ${DEFAULT-VALUE}).")
    int reps;

    @Option(names = "--warmup", paramLabel = "R", defaultValue = "1",
            description = "Untimed repetitions per size first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--max-inflight", paramLabel = "BYTES",
            description = "The store's max_inflight_bytes (k/m/g suffixes; default: the store's, 1 GiB); also caps max_bytes_per_command.")
    ByteSize maxInflight;

    @Option(names = "--plot", paramLabel = "FILE.png", description = "Also draw GB/s against chunk size.")
    Path plot;

    @Override
    protected int run() {
        List<Long> sizes = chunkBytes.stream().map(ByteSize::bytes).toList();
        Throughput.Settings settings = parsed(() -> new Throughput.Settings(sizes, chunks, reps, warmup,
                maxInflight == null ? null : maxInflight.bytes()));
        // allocated before any server starts: more direct memory than the JVM allows is a usage error
        Throughput bench = parsed(() -> Throughput.allocate(settings));
        try (Target t = openAnnounced()) {
            return finish(bench.run(t, out(), err()), plot);
        }
    }
}
