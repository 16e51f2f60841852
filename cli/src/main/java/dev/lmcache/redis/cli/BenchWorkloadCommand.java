package dev.lmcache.redis.cli;

import dev.lmcache.redis.cli.bench.Workload;
import dev.lmcache.redis.cli.target.Target;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code lmcache-redis bench workload}: an LMCache-like serving workload. Each request is a
 * prompt of 1..{@code --max-chunks} chunks; it looks its chunk keys up ({@code batchedContains}),
 * fetches the hit prefix ({@code batchedGetNonBlocking}) and stores the rest ({@code batchedPut}),
 * as LMCache's connector does around a prefill. Prompts share prefixes with earlier requests
 * whose chunks were written, so hits are real, and every byte fetched is verified.
 */
@Command(name = "workload",
        description = {
            "An LMCache-like serving workload with shared prompt prefixes.",
            "",
            "Each request looks up its chunk keys (batchedContains), fetches the hit prefix (batchedGetNonBlocking) and"
                + " stores the missing chunks (batchedPut). Chunks per request: uniform 1..--max-chunks (mean 32.5 for 64),"
                + " or --distribution skewed, 1 + (max-1)*u^3 rounded (mostly short prompts, a few long ones; mean about"
                + " 16.75 for 64). A request reuses the first h chunks of an earlier, fully written request, h chosen so"
                + " that the hit rate converges to --hit-rate; its other chunks are new.",
            "Every chunk's bytes are a function of its key and are verified when fetched; a mismatch, a lost chunk or an"
                + " error makes the exit code 1. Keys live under a unique model name and are deleted at the end (unless"
                + " --keep; embedded servers are discarded whole).",
        },
        footer = {
            "",
            "--json FILE: {target, model, chunk_bytes, requests, concurrency, distribution, max_chunks, seconds,"
                + " requests_per_s, payload_gb_per_s, read_gb_per_s, write_gb_per_s, target_hit_rate, hit_rate,"
                + " chunks_looked_up, chunks_fetched, chunks_stored, latency: {lookup|fetch|store|request: {count,"
                + " median_ms, p95_ms, p99_ms, max_ms, mean_ms}}, mismatches, lost_chunks, errors: {exception class:"
                + " count}}. GB/s are 10^9 payload bytes per second; phase latencies sum a request's calls of that phase.",
        },
        sortOptions = false,
        mixinStandardHelpOptions = true)
final class BenchWorkloadCommand extends BenchSubcommand {

    @Option(names = "--model", paramLabel = "PRESET", defaultValue = "small",
            description = "Chunk geometry preset (default: ${DEFAULT-VALUE}):%n  small = 32 KiB,%n  llama-3.1-8b = 32 MiB,%n  llama-3.1-70b-tp8 = 10 MiB.")
    String model;

    @Option(names = "--chunk-bytes", paramLabel = "SIZE", description = "Untyped chunks of this size instead of a preset, such as 256k.")
    ByteSize chunkBytes;

    @Option(names = "--requests", paramLabel = "N", defaultValue = "300",
            description = "Requests to run (default: ${DEFAULT-VALUE}); ignored with --duration.")
    int requests;

    @Option(names = "--duration", paramLabel = "TIME", description = "Run for this long instead (e.g. 30s, 2m).")
    TimeSpan duration;

    @Option(names = "--concurrency", paramLabel = "C", defaultValue = "4",
            description = "Requests in flight at once (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--hit-rate", paramLabel = "F", defaultValue = "0.7",
            description = "Target fraction of looked-up chunks that are hits (default: ${DEFAULT-VALUE}).")
    double hitRate;

    @Option(names = "--max-chunks", paramLabel = "N", defaultValue = "64",
            description = "Largest prompt in chunks (default: ${DEFAULT-VALUE}).")
    int maxChunks;

    @Option(names = "--distribution", paramLabel = "D", defaultValue = "uniform",
            description = "Chunks per request: uniform or skewed (default: ${DEFAULT-VALUE}).")
    String distribution;

    @Option(names = "--max-call-bytes", paramLabel = "SIZE", defaultValue = "256m",
            description = "Largest payload of one fetch or store call; bigger requests are split, bounding memory (default: ${DEFAULT-VALUE}).")
    ByteSize maxCallBytes;

    @Option(names = "--seed", paramLabel = "N", description = "Random seed, for a repeatable request sequence.")
    Long seed;

    @Option(names = "--keep", description = "Leave the written chunks in Redis (default: delete them at the end; embedded servers are discarded whole).")
    boolean keep;

    @Option(names = "--plot", paramLabel = "FILE.png", description = "Also draw the per-phase latency percentiles.")
    Path plot;

    @Override
    protected int run() throws Exception {
        Workload.Settings settings = parsed(() -> new Workload.Settings(model, chunkBytes == null ? null : chunkBytes.bytes(),
                requests, duration == null ? null : duration.duration(), concurrency, hitRate, maxChunks, distribution,
                maxCallBytes.bytes(), seed, keep));
        try (Target t = openAnnounced()) {
            return finish(Workload.run(t, settings, out(), err()), plot);
        }
    }
}
