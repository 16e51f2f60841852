package dev.lmcache.redis.cli.bench;

import static dev.lmcache.redis.cli.bench.OptionCheck.require;

import dev.lmcache.redis.ChunkKey;
import dev.lmcache.redis.ChunkMetadata;
import dev.lmcache.redis.KeyLayout;
import dev.lmcache.redis.KvCacheStore;
import dev.lmcache.redis.KvChunk;
import dev.lmcache.redis.cli.bench.Stats.Percentiles;
import dev.lmcache.redis.cli.target.Target;
import dev.lmcache.redis.cli.text.Human;
import dev.lmcache.redis.cli.text.Table;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.HdrHistogram.Recorder;

/**
 * Small-chunk operations per second with many concurrent callers, the figure to hold against
 * {@code redis-benchmark -P 64 -d 2048}. Each caller loops on its own: one call, wait for it, the
 * next call; a call carries {@code chunks} chunks drawn at random from {@code keys} chunks.
 * {@code redis-benchmark} without {@code -r} sends every request to one key (a value always in
 * the CPU cache), so the comparison over the same working set adds {@code -r KEYS}; both commands
 * are printed.
 */
public final class Ops {

    /** The layout when none is given: one Redis key per chunk, like redis-benchmark's GET and SET. */
    public static final KeyLayout DEFAULT_LAYOUT = KeyLayout.SINGLE;

    /**
     * What to run.
     *
     * @param concurrency concurrent callers
     * @param chunks      chunks per call
     * @param chunkBytes  bytes per chunk
     * @param keys        distinct chunks the calls draw from
     * @param duration    time per phase (set, then get)
     */
    public record Settings(int concurrency, int chunks, long chunkBytes, int keys, Duration duration) {
        /**
         * Checks the settings.
         *
         * @throws IllegalArgumentException naming the option and what it accepts
         */
        public Settings {
            require(concurrency >= 1 && chunks >= 1 && chunkBytes >= 1 && chunkBytes <= Integer.MAX_VALUE - 64
                    && keys >= chunks && !duration.isZero(),
                    "--concurrency, --chunks and --chunk-bytes must be >= 1, --keys >= --chunks, --duration > 0");
        }
    }

    private final Settings settings;
    private final List<ChunkKey> chunkKeys;
    private final KvChunk chunk;

    private Ops(Settings settings) {
        this.settings = settings;
        String model = "lmcache-redis-bench-ops/" + Long.toHexString(System.nanoTime());
        this.chunkKeys = new ArrayList<>(settings.keys());
        for (int i = 0; i < settings.keys(); i++) {
            chunkKeys.add(ChunkKey.of(model, 1, 0, i + 1L, "bfloat16"));
        }
        int size = (int) settings.chunkBytes();
        this.chunk = new KvChunk(ChunkMetadata.binary(size), ByteBuffer.allocateDirect(size));
    }

    /**
     * Writes the chunks, runs the set phase and the get phase, deletes the chunks, and prints the
     * table with the {@code redis-benchmark} commands to compare with.
     */
    public static Outcome run(Target target, Settings settings, PrintWriter out) {
        return new Ops(settings).run(target, out);
    }

    private Outcome run(Target t, PrintWriter out) {
        KeyLayout layout = t.config().keyLayout();
        int keysPerChunk = layout.hasMetadataKey() ? 2 : 1;
        int keys = settings.keys();
        List<KvChunk> batch = Collections.nCopies(settings.chunks(), chunk);
        out.printf(Locale.ROOT, "Ops: %d callers, %d chunk(s) of %s per call, layout %s (%d Redis key(s) per chunk),"
                        + " %.0f s per phase on %s%n", settings.concurrency(), settings.chunks(), Human.size(settings.chunkBytes()),
                layout.configName(), keysPerChunk, settings.duration().toNanos() / 1e9, t.description());
        out.flush();
        List<Map<String, Object>> phases = new ArrayList<>();
        Table table = new Table("op", "calls", "chunks/s", "redis keys/s", "GB/s", "p50 ms", "p99 ms", "errors").leftColumns(1);
        try (KvCacheStore store = t.openStore()) {
            for (int from = 0; from < keys; from += 256) {
                int to = Math.min(keys, from + 256);
                store.sync().batchedPut(chunkKeys.subList(from, to), Collections.nCopies(to - from, chunk));
            }
            phases.add(phase("set", () -> store.batchedPut(randomBatch(), batch), keysPerChunk, table));
            phases.add(phase("get", () -> store.batchedGet(randomBatch()), keysPerChunk, table));
            for (ChunkKey k : chunkKeys) {
                store.remove(k);
            }
        }
        table.print(out, "  ");
        String redisBenchmark = "redis-benchmark -p PORT -P 64 -d " + settings.chunkBytes() + " -t set,get -n 1000000 -q";
        out.println("  Compare with: " + redisBenchmark + " -r " + keys + "   (the same " + keys + " keys)");
        out.println("           and: " + redisBenchmark + "   (without -r every request hits one key)");
        out.flush();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("layout", layout.configName());
        json.put("value_bytes", settings.chunkBytes());
        json.put("batch", settings.chunks());
        json.put("concurrency", settings.concurrency());
        json.put("phases", phases);
        long errors = phases.stream().mapToLong(p -> (Long) p.get("errors")).sum();
        return new Outcome() {
            @Override
            public Map<String, Object> json() {
                return json;
            }

            @Override
            public boolean ok() {
                return errors == 0;
            }
        };
    }

    private List<ChunkKey> randomBatch() {
        int start = ThreadLocalRandom.current().nextInt(chunkKeys.size() - settings.chunks() + 1);
        return chunkKeys.subList(start, start + settings.chunks());
    }

    /** Runs callers that each issue their next call as soon as the previous one completes. */
    private Map<String, Object> phase(String op, Supplier<CompletableFuture<?>> call, int keysPerChunk, Table table) {
        Recorder latency = Stats.recorder();
        AtomicLong calls = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        long end = System.nanoTime() + settings.duration().toNanos();
        CompletableFuture<?>[] done = new CompletableFuture<?>[settings.concurrency()];
        long start = System.nanoTime();
        for (int c = 0; c < done.length; c++) {
            CompletableFuture<Void> finished = new CompletableFuture<>();
            done[c] = finished;
            loop(call, latency, calls, errors, end, finished);
        }
        CompletableFuture.allOf(done).join();
        long elapsed = System.nanoTime() - start;
        Percentiles p = Percentiles.of(latency.getIntervalHistogram());
        double chunksPerS = calls.get() / (elapsed / 1e9) * settings.chunks();
        double gbPerS = chunksPerS * settings.chunkBytes() / 1e9;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("op", op);
        m.put("calls", calls.get());
        m.put("chunks_per_s", Math.round(chunksPerS));
        m.put("redis_keys_per_s", Math.round(chunksPerS * keysPerChunk));
        m.put("gb_per_s", Stats.round(gbPerS));
        m.put("p50_ms", Stats.round(p.medianMs()));
        m.put("p99_ms", Stats.round(p.p99Ms()));
        m.put("errors", errors.get());
        table.row(op, calls.get(), Math.round(chunksPerS), Math.round(chunksPerS * keysPerChunk),
                String.format(Locale.ROOT, "%.3f", gbPerS), Stats.ms(p.medianMs()), Stats.ms(p.p99Ms()), errors.get());
        return m;
    }

    private static void loop(Supplier<CompletableFuture<?>> call, Recorder latency, AtomicLong calls, AtomicLong errors,
                             long end, CompletableFuture<Void> finished) {
        if (System.nanoTime() >= end) {
            finished.complete(null);
            return;
        }
        long t0 = System.nanoTime();
        CompletableFuture<?> f = call.get();
        BiConsumer<Object, Throwable> next = (v, e) -> {
            Stats.recordSince(latency, t0);
            calls.incrementAndGet();
            if (e != null) {
                errors.incrementAndGet();
            }
            loop(call, latency, calls, errors, end, finished);
        };
        // a call that completed at once (say, rejected) must not recurse: continue on another thread
        if (f.isDone()) {
            f.whenCompleteAsync(next);
        } else {
            f.whenComplete(next);
        }
    }
}
