package dev.lmcache.redis.cli;

import dev.lmcache.redis.cli.bench.Ops;
import dev.lmcache.redis.cli.target.Target;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code lmcache-redis bench ops}: small-chunk operations per second with many concurrent callers,
 * the figure to hold against {@code redis-benchmark -P 64 -d 2048}. Each caller loops on its own:
 * one call, wait for it, the next call; a call carries {@code --chunks} chunks drawn at random from
 * {@code --keys} chunks. {@code redis-benchmark} without {@code -r} sends every request to one key
 * (a value always in the CPU cache), so the comparison over the same working set adds
 * {@code -r KEYS}; both commands are printed.
 */
@Command(name = "ops",
        description = {
            "Small-chunk GET and SET throughput with many concurrent callers (compare with redis-benchmark -P 64 -d 2048).",
            "",
            "Each of --concurrency callers loops: one batchedGet (or batchedPut) of --chunks chunks, wait, repeat, for"
                + " --duration per phase. Default layout 'single' (one Redis key per chunk, like redis-benchmark's GET/SET);"
                + " with 'lmcache' each chunk is two keys.",
            "--json FILE: {layout, value_bytes, batch, concurrency, phases: [{op, calls, chunks_per_s, redis_keys_per_s,"
                + " gb_per_s, p50_ms, p99_ms, errors}]}",
        },
        mixinStandardHelpOptions = true, sortOptions = false)
final class BenchOpsCommand extends BenchSubcommand {

    @Option(names = "--concurrency", paramLabel = "C", defaultValue = "64", description = "Concurrent callers (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--chunks", paramLabel = "N", defaultValue = "1", description = "Chunks per call (default: ${DEFAULT-VALUE}).")
    int chunks;

    @Option(names = "--chunk-bytes", paramLabel = "SIZE", defaultValue = "2048",
            description = "Bytes per chunk (default: ${DEFAULT-VALUE}).")
    ByteSize chunkBytes;

    // The older names, still accepted; a hidden option of its own keeps them out of the help.
    @Option(names = "--batch", hidden = true)
    Integer olderBatch;

    @Option(names = "--value-bytes", hidden = true)
    ByteSize olderValueBytes;

    @Option(names = "--keys", paramLabel = "K", defaultValue = "10000", description = "Distinct chunks (default: ${DEFAULT-VALUE}).")
    int keys;

    @Option(names = "--duration", paramLabel = "TIME", defaultValue = "10s",
            description = "Time per phase, e.g. 500ms, 10s, 2m; a plain number is seconds (default: ${DEFAULT-VALUE}).")
    TimeSpan duration;

    @Override
    protected int run() {
        int perCall = olderBatch != null ? olderBatch : chunks;
        ByteSize size = olderValueBytes != null ? olderValueBytes : chunkBytes;
        Ops.Settings settings = parsed(() -> new Ops.Settings(concurrency, perCall, size.bytes(), keys, duration.duration()));
        if (target.layout == null) {
            target.layout = Ops.DEFAULT_LAYOUT;
        }
        try (Target t = openTarget()) {
            return finish(Ops.run(t, settings, out()), null);
        }
    }
}
