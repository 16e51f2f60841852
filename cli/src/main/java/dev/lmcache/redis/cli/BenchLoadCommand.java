package dev.lmcache.redis.cli;

import dev.lmcache.redis.cli.bench.Load;
import dev.lmcache.redis.cli.target.Target;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code lmcache-redis bench load}: sustained mixed load for stability. Workers issue batched
 * reads of chunks written earlier and batched writes of new chunks; a line per interval shows
 * throughput, latency, errors and JVM memory; at the end every chunk ever written is read back
 * and verified ("nothing lost").
 */
@Command(name = "load",
        description = {
            "Sustained mixed load, with memory and nothing-lost checks.",
            "",
            "Workers issue batched reads (batchedGet) of chunk ranges written earlier (--read-fraction of the ops) and"
                + " batched writes (batchedPut) of new chunks, 1..--max-chunks chunks per op (uniform). Once"
                + " --max-stored-bytes are stored, writes rewrite earlier ranges with the same bytes, so the server's"
                + " memory stays bounded. A line per --report-every shows ops/s, MB/s, latency, errors, JVM heap and direct"
                + " memory. Every chunk read is verified; at the end every written chunk is read back and missing or"
                + " mismatched ones are counted. Exit 1 on any error, lost chunk or mismatch.",
            "For a clean \"memory stable\" reading the live heap is measured after a full GC (System.gc()) at the end of"
                + " warm-up and at the end; expect one slower interval at the first of these.",
        },
        footer = {
            "",
            "--json FILE: {target, chunk_bytes, concurrency, read_fraction, max_chunks, seconds, ops, ops_per_s, reads,"
                + " writes, chunks_read, chunks_written, payload_gb_per_s, latency: {read|write|all: {count, median_ms,"
                + " p95_ms, p99_ms, max_ms, mean_ms}}, errors: {exception class: count}, read_missing, read_mismatches,"
                + " final_check: {chunks, missing, mismatched, errors, seconds}, memory: {warmup_s, max_after_warmup:"
                + " {heap_used_bytes, heap_after_gc_bytes, direct_bytes, netty_direct_bytes}, at_end: {...},"
                + " live_heap_after_full_gc_at_warmup_bytes, live_heap_after_full_gc_at_end_bytes}, intervals:"
                + " [{t_s, ops_per_s, reads_per_s, writes_per_s, mb_per_s, p50_ms, p99_ms, errors, heap_used_bytes,"
                + " heap_after_gc_bytes, direct_bytes, netty_direct_bytes}], ok}",
        },
        sortOptions = false,
        mixinStandardHelpOptions = true)
final class BenchLoadCommand extends BenchSubcommand {

    @Option(names = "--duration", paramLabel = "TIME", defaultValue = "60s", description = "How long (default: ${DEFAULT-VALUE}).")
    TimeSpan duration;

    @Option(names = "--concurrency", paramLabel = "C", defaultValue = "32",
            description = "Concurrent workers, each with one op in flight (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--read-fraction", paramLabel = "F", defaultValue = "0.7",
            description = "Fraction of ops that are reads (default: ${DEFAULT-VALUE}).")
    double readFraction;

    @Option(names = "--model", paramLabel = "PRESET",
            description = "Chunk geometry preset instead of --chunk-bytes:%n  small = 32 KiB,%n  llama-3.1-8b = 32 MiB,%n  llama-3.1-70b-tp8 = 10 MiB.")
    String model;

    @Option(names = "--chunk-bytes", paramLabel = "SIZE", description = "Untyped chunks of this size (default: 16k unless --model).")
    ByteSize chunkBytes;

    @Option(names = "--max-chunks", paramLabel = "N", defaultValue = "32",
            description = "Largest op in chunks (default: ${DEFAULT-VALUE}).")
    int maxChunks;

    @Option(names = "--max-stored-bytes", paramLabel = "SIZE", defaultValue = "512m",
            description = "Stop adding new chunks past this much payload; rewrite earlier ones instead (default: ${DEFAULT-VALUE}).")
    ByteSize maxStoredBytes;

    @Option(names = "--report-every", paramLabel = "TIME", defaultValue = "1s",
            description = "Interval of the progress lines (default: ${DEFAULT-VALUE}).")
    TimeSpan reportEvery;

    @Option(names = "--warmup", paramLabel = "TIME",
            description = "Memory maxima are taken after this (default: a quarter of --duration, at most 10s).")
    TimeSpan warmup;

    @Option(names = "--keep", description = "Leave the written chunks in Redis (default: delete them at the end; embedded servers are discarded whole).")
    boolean keep;

    @Option(names = "--plot", paramLabel = "FILE.png", description = "Also draw ops/s, latency and memory over time.")
    Path plot;

    @Override
    protected int run() throws Exception {
        Load.Settings settings = parsed(() -> new Load.Settings(duration.duration(), reportEvery.duration(),
                warmup == null ? null : warmup.duration(), concurrency, readFraction, model,
                chunkBytes == null ? null : chunkBytes.bytes(), maxChunks, maxStoredBytes.bytes(), keep));
        try (Target t = openAnnounced()) {
            return finish(Load.run(t, settings, out(), err()), plot);
        }
    }
}
