package dev.lmcache.redis.cli;

import dev.lmcache.redis.ChunkKey;
import dev.lmcache.redis.ChunkMetadata;
import dev.lmcache.redis.KeyLayout;
import dev.lmcache.redis.KvCacheStore;
import dev.lmcache.redis.KvChunk;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import org.HdrHistogram.Recorder;
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
    int batch;

    @Option(names = "--chunk-bytes", paramLabel = "SIZE", defaultValue = "2048",
            description = "Bytes per chunk (default: ${DEFAULT-VALUE}).")
    ByteSize chunkBytes;

    // The older names, still accepted; a hidden option of its own keeps them out of the help.
    @Option(names = "--batch", hidden = true)
    Integer olderBatch;

    @Option(names = "--value-bytes", hidden = true)
    ByteSize olderValueBytes;

    private int valueBytes;

    @Option(names = "--keys", paramLabel = "K", defaultValue = "10000", description = "Distinct chunks (default: ${DEFAULT-VALUE}).")
    int keys;

    @Option(names = "--duration", paramLabel = "TIME", defaultValue = "10s",
            description = "Time per phase, e.g. 500ms, 10s, 2m; a plain number is seconds (default: ${DEFAULT-VALUE}).")
    TimeSpan duration;

    private double seconds;

    @Override
    protected int run() throws Exception {
        batch = olderBatch != null ? olderBatch : batch;
        chunkBytes = olderValueBytes != null ? olderValueBytes : chunkBytes;
        require(concurrency >= 1 && batch >= 1 && chunkBytes.bytes() >= 1 && chunkBytes.bytes() <= Integer.MAX_VALUE - 64
                && keys >= batch && !duration.duration().isZero(), "--concurrency, " + given("--chunks", "--batch") + " and "
                + given("--chunk-bytes", "--value-bytes") + " must be >= 1, --keys >= " + given("--chunks", "--batch") + ", --duration > 0");
        valueBytes = chunkBytes.intBytes();
        seconds = duration.duration().toNanos() / 1e9;
        PrintWriter out = out();
        if (target.layout == null) {
            target.layout = KeyLayout.SINGLE;
        }
        try (Target t = openTarget()) {
            KeyLayout layout = t.config().keyLayout();
            int keysPerChunk = layout.hasMetadataKey() ? 2 : 1;
            String model = "lmcache-redis-bench-ops/" + Long.toHexString(System.nanoTime());
            List<ChunkKey> chunkKeys = new ArrayList<>(keys);
            for (int i = 0; i < keys; i++) {
                chunkKeys.add(ChunkKey.of(model, 1, 0, i + 1L, "bfloat16"));
            }
            ByteBuffer payload = ByteBuffer.allocateDirect(valueBytes);
            KvChunk chunk = new KvChunk(ChunkMetadata.binary(valueBytes), payload);
            List<KvChunk> chunks = java.util.Collections.nCopies(batch, chunk);
            out.printf(Locale.ROOT, "Ops: %d callers, %d chunk(s) of %s per call, layout %s (%d Redis key(s) per chunk), %.0f s per phase on %s%n",
                    concurrency, batch, Human.size(valueBytes), layout.configName(), keysPerChunk, seconds, t.description());
            out.flush();
            List<Map<String, Object>> phases = new ArrayList<>();
            BenchTable table = new BenchTable("op", "calls", "chunks/s", "redis keys/s", "GB/s", "p50 ms", "p99 ms", "errors").leftColumns(1);
            try (KvCacheStore store = t.openStore()) {
                for (int from = 0; from < keys; from += 256) {
                    int to = Math.min(keys, from + 256);
                    store.sync().batchedPut(chunkKeys.subList(from, to), java.util.Collections.nCopies(to - from, chunk));
                }
                phases.add(phase("set", i -> store.batchedPut(randomBatch(chunkKeys), chunks), keysPerChunk, table));
                phases.add(phase("get", i -> store.batchedGet(randomBatch(chunkKeys)), keysPerChunk, table));
                for (int from = 0; from < keys; from += 256) {
                    for (ChunkKey k : chunkKeys.subList(from, Math.min(keys, from + 256))) {
                        store.remove(k);
                    }
                }
            }
            table.print(out, "  ");
            String redisBenchmark = "redis-benchmark -p PORT -P 64 -d " + valueBytes + " -t set,get -n 1000000 -q";
            out.println("  Compare with: " + redisBenchmark + " -r " + keys + "   (the same " + keys + " keys)");
            out.println("           and: " + redisBenchmark + "   (without -r every request hits one key)");
            out.flush();
            if (output.json != null) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("layout", layout.configName());
                m.put("value_bytes", valueBytes);
                m.put("batch", batch);
                m.put("concurrency", concurrency);
                m.put("phases", phases);
                output.writeJson(m);
            }
            long errors = phases.stream().mapToLong(p -> (Long) p.get("errors")).sum();
            return errors == 0 ? 0 : 1;
        }
    }

    private List<ChunkKey> randomBatch(List<ChunkKey> all) {
        int start = ThreadLocalRandom.current().nextInt(all.size() - batch + 1);
        return all.subList(start, start + batch);
    }

    /** Runs callers that each issue their next call as soon as the previous one completes. */
    private Map<String, Object> phase(String op, IntFunction<CompletableFuture<?>> call, int keysPerChunk, BenchTable table)
            throws InterruptedException {
        Recorder latency = BenchStats.recorder();
        AtomicLong calls = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        long end = System.nanoTime() + Duration.ofMillis((long) (seconds * 1000)).toNanos();
        CompletableFuture<?>[] done = new CompletableFuture<?>[concurrency];
        long start = System.nanoTime();
        for (int c = 0; c < concurrency; c++) {
            CompletableFuture<Void> finished = new CompletableFuture<>();
            done[c] = finished;
            loop(call, latency, calls, errors, end, finished);
        }
        CompletableFuture.allOf(done).join();
        long elapsed = System.nanoTime() - start;
        BenchStats.Percentiles p = BenchStats.Percentiles.of(latency.getIntervalHistogram());
        double callsPerS = calls.get() / (elapsed / 1e9);
        double chunksPerS = callsPerS * batch;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("op", op);
        m.put("calls", calls.get());
        m.put("chunks_per_s", Math.round(chunksPerS));
        m.put("redis_keys_per_s", Math.round(chunksPerS * keysPerChunk));
        m.put("gb_per_s", BenchStats.round(chunksPerS * valueBytes / 1e9));
        m.put("p50_ms", BenchStats.round(p.medianMs()));
        m.put("p99_ms", BenchStats.round(p.p99Ms()));
        m.put("errors", errors.get());
        table.row(op, calls.get(), Math.round(chunksPerS), Math.round(chunksPerS * keysPerChunk),
                String.format(Locale.ROOT, "%.3f", chunksPerS * valueBytes / 1e9), BenchStats.ms(p.medianMs()),
                BenchStats.ms(p.p99Ms()), errors.get());
        return m;
    }

    private static void loop(IntFunction<CompletableFuture<?>> call, Recorder latency, AtomicLong calls, AtomicLong errors,
                             long end, CompletableFuture<Void> finished) {
        if (System.nanoTime() >= end) {
            finished.complete(null);
            return;
        }
        long t0 = System.nanoTime();
        CompletableFuture<?> f = call.apply(0);
        // a call that completed at once (say, rejected) must not recurse: continue on another thread
        BiConsumerAdapter next = (v, e) -> {
            BenchStats.recordSince(latency, t0);
            calls.incrementAndGet();
            if (e != null) {
                errors.incrementAndGet();
            }
            loop(call, latency, calls, errors, end, finished);
        };
        if (f.isDone()) {
            f.whenCompleteAsync(next);
        } else {
            f.whenComplete(next);
        }
    }

    private interface BiConsumerAdapter extends java.util.function.BiConsumer<Object, Throwable> {
    }
}
