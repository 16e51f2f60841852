package dev.lmcache.redis.cli.bench;

import dev.lmcache.redis.ChunkKey;
import dev.lmcache.redis.KvCacheStore;
import dev.lmcache.redis.KvChunk;
import dev.lmcache.redis.cli.bench.Stats.Percentiles;
import dev.lmcache.redis.cli.target.Target;
import dev.lmcache.redis.cli.text.Human;
import dev.lmcache.redis.cli.text.Table;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.HdrHistogram.Histogram;

/**
 * The before/after comparison: storing and loading one request's worth of chunks ({@code keys}
 * chunks of {@code valueBytes}) the naive way ({@link NaiveClient}: two awaited commands per
 * chunk) and the batched way ({@link KvCacheStore#batchedPut} / {@link KvCacheStore#batchedGet}:
 * about one round trip per batch). One sample is the wall time of a whole batch.
 *
 * <p>Naive and batched repetitions alternate so that drift (other load, GC) hits both alike.
 * Every read is verified byte for byte after its timing, and once at the end each side reads
 * what the other wrote (same key names and format). Keys are under a fresh model name and are
 * deleted afterwards.
 */
public final class Compare {
    /** A single combination may hold at most this many payload bytes in memory per side. */
    public static final long MAX_BATCH_BYTES = 1L << 30;

    private Compare() {
    }

    /**
     * What to run.
     *
     * @param keys         chunks per batch
     * @param valueBytes   bytes per chunk
     * @param batchedReps  measured batched repetitions
     * @param naiveReps    measured naive repetitions (naive is slow at high round-trip times)
     * @param warmup       unmeasured repetitions of each side first
     */
    public record Settings(int keys, int valueBytes, int batchedReps, int naiveReps, int warmup) {
        /**
         * Checks the settings.
         *
         * @throws IllegalArgumentException naming the option and what it accepts
         */
        public Settings {
            if (keys < 1 || keys > 100_000) {
                throw new IllegalArgumentException("--chunks must be 1..100000, was " + keys);
            }
            if (valueBytes < 1) {
                throw new IllegalArgumentException("--chunk-bytes must be at least 1, was " + valueBytes);
            }
            if ((long) keys * valueBytes > MAX_BATCH_BYTES) {
                throw new IllegalArgumentException("--chunks x --chunk-bytes = " + Human.size((long) keys * valueBytes)
                        + " per batch; accepted: at most " + Human.size(MAX_BATCH_BYTES));
            }
            if (batchedReps < 1 || naiveReps < 1) {
                throw new IllegalArgumentException("--reps and --naive-reps must be at least 1");
            }
            if (warmup < 0) {
                throw new IllegalArgumentException("--warmup must be >= 0, was " + warmup);
            }
        }
    }

    /**
     * One direction (read or write) of one combination.
     *
     * @param naive   per-batch latency of the naive client
     * @param batched per-batch latency of the store
     */
    record Side(Percentiles naive, Percentiles batched) {
        /** Naive median over batched median. */
        double speedup() {
            return naive.medianMs() / batched.medianMs();
        }
    }

    /**
     * The outcome of one combination.
     *
     * @param target     the target's description (redacted URL)
     * @param cluster    whether the target is a Redis Cluster
     * @param settings   what was run
     * @param read       reading the batch back
     * @param write      storing the batch
     * @param mismatches chunks read back (by either side) that were missing or differed; 0 when all is well
     */
    record CompareResult(String target, boolean cluster, Settings settings, Side read, Side write, long mismatches) {

        /** JSON: {@code keys, value_bytes, naive_reps, batched_reps, warmup, read{naive,batched,speedup}, write{...}, mismatches}. */
        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("target", target);
            m.put("cluster", cluster);
            m.put("keys", settings.keys());
            m.put("value_bytes", settings.valueBytes());
            m.put("naive_reps", settings.naiveReps());
            m.put("batched_reps", settings.batchedReps());
            m.put("warmup", settings.warmup());
            m.put("read", side(read));
            m.put("write", side(write));
            m.put("mismatches", mismatches);
            return m;
        }

        private static Map<String, Object> side(Side s) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("naive", s.naive().toMap());
            m.put("batched", s.batched().toMap());
            m.put("speedup", Stats.round(s.speedup()));
            return m;
        }

        /** CSV rows: {@code keys,value_bytes,op,mode,median_ms,p95_ms,p99_ms,speedup}, 4 per combination. */
        List<String> csvRows() {
            List<String> rows = new ArrayList<>();
            for (String op : List.of("read", "write")) {
                Side s = op.equals("read") ? read : write;
                rows.add(csv(op, "naive", s.naive(), s.speedup()));
                rows.add(csv(op, "batched", s.batched(), s.speedup()));
            }
            return rows;
        }

        private String csv(String op, String mode, Percentiles p, double speedup) {
            return String.format(Locale.ROOT, "%d,%d,%s,%s,%.3f,%.3f,%.3f,%.2f", settings.keys(), settings.valueBytes(), op, mode,
                    p.medianMs(), p.p95Ms(), p.p99Ms(), speedup);
        }
    }

    static final String CSV_HEADER = "keys,value_bytes,op,mode,median_ms,p95_ms,p99_ms,speedup";

    /**
     * Runs every combination on the target, reusing one store and one naive client. One
     * combination prints its table; a sweep prints a line per combination on {@code progress}
     * and one table at the end.
     */
    public static CompareSweep sweep(Target target, List<Settings> combinations, PrintWriter out, PrintWriter progress) {
        List<CompareResult> results = new ArrayList<>();
        try (KvCacheStore store = target.openStore(); NaiveClient naive = NaiveClient.connect(target.config())) {
            for (Settings s : combinations) {
                CompareResult r = run(target, store, naive, s, progress);
                results.add(r);
                if (combinations.size() == 1) {
                    print(r, out);
                } else {
                    progress.println("  done: " + s.keys() + " x " + Human.size(s.valueBytes()) + "  read "
                            + Stats.times(r.read().speedup()) + ", write " + Stats.times(r.write().speedup()));
                    progress.flush();
                }
            }
        }
        if (combinations.size() > 1) {
            printSweep(results, out);
        }
        return new CompareSweep(target, results);
    }

    /** Runs one combination against the target, opening and closing its own connections. */
    static CompareResult run(Target target, Settings settings, PrintWriter progress) {
        try (KvCacheStore store = target.openStore(); NaiveClient naive = NaiveClient.connect(target.config())) {
            return run(target, store, naive, settings, progress);
        }
    }

    /** Runs one combination on open connections (a sweep reuses them). */
    static CompareResult run(Target target, KvCacheStore store, NaiveClient naive, Settings s, PrintWriter progress) {
        ChunkSet model = ChunkSet.bytes(s.valueBytes());
        List<ChunkKey> naiveKeys = new ArrayList<>(s.keys());
        List<ChunkKey> batchedKeys = new ArrayList<>(s.keys());
        List<byte[]> naiveData = new ArrayList<>(s.keys());
        List<KvChunk> batchedChunks = new ArrayList<>(s.keys());
        for (int i = 0; i < s.keys(); i++) {
            ChunkKey nk = model.key(i);
            ChunkKey bk = model.key(s.keys() + i);
            naiveKeys.add(nk);
            batchedKeys.add(bk);
            naiveData.add(Payload.bytes(nk, s.valueBytes()));
            batchedChunks.add(model.chunk(bk));
        }
        Histogram naiveWrite = Stats.histogram();
        Histogram naiveRead = Stats.histogram();
        Histogram batchedWrite = Stats.histogram();
        Histogram batchedRead = Stats.histogram();
        long[] mismatches = {0};
        int total = s.warmup() + Math.max(s.naiveReps(), s.batchedReps());
        int[] at = {0};
        String what = (target.isCluster() ? "cluster, " : "standalone, ") + s.keys() + " x " + Human.size(s.valueBytes());
        Progress status = new Progress(progress, 5000, () -> "compare (" + what + "): repetition " + at[0] + "/" + total);
        try (status) {
            for (int rep = 0; rep < total; rep++) {
                at[0] = rep + 1;
                boolean measured = rep >= s.warmup();
                int m = rep - s.warmup();
                if (!measured || m < s.naiveReps()) {
                    long t0 = System.nanoTime();
                    for (int i = 0; i < s.keys(); i++) {
                        naive.put(naiveKeys.get(i), model.metadata(), naiveData.get(i));
                    }
                    long t1 = System.nanoTime();
                    byte[][] got = new byte[s.keys()][];
                    for (int i = 0; i < s.keys(); i++) {
                        got[i] = naive.get(naiveKeys.get(i));
                    }
                    long t2 = System.nanoTime();
                    if (measured) {
                        naiveWrite.recordValue(Stats.micros(t1 - t0));
                        naiveRead.recordValue(Stats.micros(t2 - t1));
                    }
                    for (int i = 0; i < s.keys(); i++) {
                        if (got[i] == null || !Payload.matches(ByteBuffer.wrap(got[i]), naiveKeys.get(i), s.valueBytes())) {
                            mismatches[0]++;
                        }
                    }
                }
                if (!measured || m < s.batchedReps()) {
                    long t0 = System.nanoTime();
                    store.sync().batchedPut(batchedKeys, batchedChunks);
                    long t1 = System.nanoTime();
                    List<Optional<KvChunk>> got = store.sync().batchedGet(batchedKeys);
                    long t2 = System.nanoTime();
                    if (measured) {
                        batchedWrite.recordValue(Stats.micros(t1 - t0));
                        batchedRead.recordValue(Stats.micros(t2 - t1));
                    }
                    mismatches[0] += countBad(model, batchedKeys, got);
                }
            }
            // Each side reads what the other wrote: same key names, same bytes.
            mismatches[0] += countBad(model, naiveKeys, store.sync().batchedGet(naiveKeys));
            for (ChunkKey k : batchedKeys) {
                byte[] got = naive.get(k);
                if (got == null || !Payload.matches(ByteBuffer.wrap(got), k, s.valueBytes())) {
                    mismatches[0]++;
                }
            }
        } finally {
            cleanup(store, naiveKeys, batchedKeys);
        }
        return new CompareResult(target.description(), target.isCluster(), s,
                new Side(Percentiles.of(naiveRead), Percentiles.of(batchedRead)),
                new Side(Percentiles.of(naiveWrite), Percentiles.of(batchedWrite)), mismatches[0]);
    }

    private static long countBad(ChunkSet model, List<ChunkKey> keys, List<Optional<KvChunk>> got) {
        long bad = 0;
        for (int i = 0; i < keys.size(); i++) {
            Optional<KvChunk> c = got.get(i);
            if (c.isEmpty() || !model.verify(keys.get(i), c.get())) {
                bad++;
            }
        }
        return bad;
    }

    private static void cleanup(KvCacheStore store, List<ChunkKey> a, List<ChunkKey> b) {
        List<CompletableFuture<Boolean>> all = new ArrayList<>(a.size() + b.size());
        for (ChunkKey k : a) {
            all.add(store.remove(k));
        }
        for (ChunkKey k : b) {
            all.add(store.remove(k));
        }
        try {
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
        } catch (RuntimeException e) {
            // Leftover keys live under a unique bench model name: harmless, and the result stands.
        }
    }

    /** Prints one combination as a table. */
    static void print(CompareResult r, PrintWriter out) {
        Settings s = r.settings();
        out.println("Compare: " + s.keys() + " chunks x " + Human.size(s.valueBytes()) + " per batch on " + r.target());
        out.println("  naive = one key at a time, 2 awaited commands per chunk (LMCache's original connector);"
                + " batched = batchedPut/batchedGet");
        out.println("  " + s.naiveReps() + " naive and " + s.batchedReps() + " batched repetitions after " + s.warmup()
                + " warm-up; latency of a whole batch");
        Table t = new Table("op", "mode", "median ms", "p95 ms", "p99 ms", "speedup").leftColumns(2);
        for (String op : List.of("read", "write")) {
            Side side = op.equals("read") ? r.read() : r.write();
            t.row(op, "naive", Stats.ms(side.naive().medianMs()), Stats.ms(side.naive().p95Ms()),
                    Stats.ms(side.naive().p99Ms()), "");
            t.row(op, "batched", Stats.ms(side.batched().medianMs()), Stats.ms(side.batched().p95Ms()),
                    Stats.ms(side.batched().p99Ms()), Stats.times(side.speedup()));
        }
        t.print(out, "  ");
        out.println(r.mismatches() == 0
                ? "  Verified: every chunk read back (naive, batched and each other's) matched what was written."
                : "  ERROR: " + r.mismatches() + " chunks read back were missing or differed from what was written.");
        out.flush();
    }

    /** Prints a sweep as one table, a row per combination and direction. */
    static void printSweep(List<CompareResult> results, PrintWriter out) {
        CompareResult first = results.get(0);
        out.println("Compare sweep on " + first.target() + ": median ms per batch, " + first.settings().naiveReps()
                + " naive / " + first.settings().batchedReps() + " batched repetitions each");
        Table t = new Table("keys", "value", "op", "naive ms", "batched ms", "batched p99 ms", "speedup")
                .leftColumns(3);
        long bad = 0;
        for (CompareResult r : results) {
            for (String op : List.of("read", "write")) {
                Side side = op.equals("read") ? r.read() : r.write();
                t.row(r.settings().keys(), Human.size(r.settings().valueBytes()), op, Stats.ms(side.naive().medianMs()),
                        Stats.ms(side.batched().medianMs()), Stats.ms(side.batched().p99Ms()),
                        Stats.times(side.speedup()));
            }
            bad += r.mismatches();
        }
        t.print(out, "  ");
        out.println(bad == 0 ? "  Verified: every chunk read back matched what was written."
                : "  ERROR: " + bad + " chunks read back were missing or differed from what was written.");
        out.flush();
    }
}
