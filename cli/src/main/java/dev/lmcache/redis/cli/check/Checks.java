package dev.lmcache.redis.cli.check;

import dev.lmcache.redis.ChunkKey;
import dev.lmcache.redis.ChunkMetadata;
import dev.lmcache.redis.KvCacheStore;
import dev.lmcache.redis.KvChunk;
import dev.lmcache.redis.KvDtype;
import dev.lmcache.redis.MemoryFormat;
import dev.lmcache.redis.StoreConfig;
import dev.lmcache.redis.SyncKvCacheStore;
import dev.lmcache.redis.cli.target.RawGeometry;
import dev.lmcache.redis.cli.text.Failures;
import dev.lmcache.redis.cli.text.Human;
import dev.lmcache.redis.cli.text.Marks;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The seven checks users run first ({@code lmcache-redis check}, and the first part of
 * {@code demo}): each exercises the connector's API ({@link KvCacheStore}), not raw Redis
 * commands.
 *
 * <ol>
 *   <li>connection: PING every master, show the round trip and the mode;</li>
 *   <li>put/get of one chunk: bytes and metadata come back identical;</li>
 *   <li>batched get of many chunks: all present and identical;</li>
 *   <li>order preservation: a batched get of the keys in shuffled order returns each chunk at its
 *       key's position;</li>
 *   <li>missing keys and prefix semantics: {@code [hit, miss, hit]} gives present, empty, present
 *       from batchedGet, 1 from batchedContains and exactly the first chunk from
 *       batchedGetNonBlocking;</li>
 *   <li>batched versus per-key: N sequential awaited gets against one batched get of the same N
 *       keys; passes when the batch is faster;</li>
 *   <li>pipelined batched put: N chunks in one batchedPut, all read back identical, timed against
 *       N sequential puts.</li>
 * </ol>
 *
 * Keys live under a model name unique to the run ({@code lmcache-redis-check/<random>}) and are
 * removed at the end, also when checks fail. For the raw layouts ({@code single}, {@code mp})
 * the chunks take the configured geometry ({@code single_chunk_shape}) when there is one, since
 * the store accepts only values of that size, and are untyped ({@code BINARY_BUFFER}) otherwise.
 */
public final class Checks {

    /** Chunks per batch unless told otherwise. */
    public static final int DEFAULT_CHUNKS = 64;

    /** Bytes per chunk unless told otherwise. */
    public static final int DEFAULT_CHUNK_BYTES = 16384;

    /** The model name prefix of the keys the checks write. */
    public static final String MODEL_PREFIX = "lmcache-redis-check/";

    private static final int NAME_WIDTH = 24;

    private Checks() {
    }

    /**
     * One check's outcome.
     *
     * @param name   short name of the check
     * @param passed whether it passed
     * @param detail what was seen when it passed; what was expected and what was seen when it failed
     * @param millis the time of the check's characteristic operation (the round trip for the
     *               connection, the batched operation for checks 3 to 7), in milliseconds
     */
    public record Result(String name, boolean passed, String detail, double millis) {
        public Result {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(detail, "detail");
        }
    }

    /** All results, in the order the checks ran. */
    public record Report(List<Result> results) {
        public Report {
            results = List.copyOf(results);
        }

        /** Whether every check passed. */
        public boolean allPassed() {
            return results.stream().allMatch(Result::passed);
        }

        /** How many checks passed. */
        public long passedCount() {
            return results.stream().filter(Result::passed).count();
        }
    }

    /**
     * Runs the seven checks through the connector with {@value #DEFAULT_CHUNKS} chunks of
     * {@value #DEFAULT_CHUNK_BYTES} bytes, printing a tick or cross line per check to {@code out}
     * as it goes, and returns the report. Uses only keys under a unique model name and removes
     * them afterwards. Never throws for a failing store: failures are results.
     */
    public static Report run(KvCacheStore store, PrintWriter out) {
        return run(store, out, DEFAULT_CHUNKS, DEFAULT_CHUNK_BYTES);
    }

    /**
     * As {@link #run(KvCacheStore, PrintWriter)} with {@code chunks} chunks per batch of
     * {@code chunkBytes} bytes each (ignored for raw layouts with a configured geometry, whose
     * size is fixed).
     *
     * @throws IllegalArgumentException if {@code chunks < 2} or {@code chunkBytes < 1}
     */
    public static Report run(KvCacheStore store, PrintWriter out, int chunks, int chunkBytes) {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(out, "out");
        if (chunks < 2) {
            throw new IllegalArgumentException("chunks must be at least 2 (check 5 needs two hits), was " + chunks);
        }
        if (chunkBytes < 1) {
            throw new IllegalArgumentException("chunk bytes must be at least 1, was " + chunkBytes);
        }
        return new Run(store, out, chunks, chunkBytes).all();
    }

    /** One line of output for a result, for example {@code ✓ put/get one chunk   0.41 ms  ...}. */
    static String line(int number, Result r) {
        String time = r.passed() || r.millis() > 0 ? Human.millis(r.millis()) : "-";
        return String.format(Locale.ROOT, "  %s %d %-" + NAME_WIDTH + "s %10s  %s", Marks.of(r.passed()), number,
                r.name(), time, r.detail());
    }

    /** The header of a chunk for details, e.g. {@code bfloat16 [2, 1, 16, 256] fmt 1}. */
    public static String describe(ChunkMetadata m) {
        StringBuilder sb = new StringBuilder();
        for (ChunkMetadata.TensorGroup g : m.groups()) {
            sb.append(sb.length() == 0 ? "" : " + ").append(g);
        }
        return sb.append(" fmt ").append(m.fmt()).toString();
    }

    /**
     * The header of the chunks: the configured geometry for raw layouts that have one (the
     * store accepts only that size), untyped bytes for raw layouts without one (which read
     * back as untyped), else a bfloat16 KV_2LTD tensor of about {@code chunkBytes}.
     */
    public static ChunkMetadata metadataFor(StoreConfig c, int chunkBytes) {
        if (!c.keyLayout().hasMetadataKey()) {
            return RawGeometry.of(c).orElseGet(() -> ChunkMetadata.binary(chunkBytes));
        }
        // [2, layers=1, tokens=16, hidden] in bfloat16 is 64 * hidden bytes.
        if (chunkBytes % 64 == 0) {
            return ChunkMetadata.of(KvDtype.BFLOAT16, MemoryFormat.KV_2LTD, 2, 1, 16, chunkBytes / 64);
        }
        return ChunkMetadata.binary(chunkBytes);
    }

    /** A failed check's detail: what was expected, and what was seen. */
    private static String expectedSaw(String expected, Object saw) {
        return "expected " + expected + ", saw " + saw;
    }

    /** The state of one run: its keys, chunks and results. */
    private static final class Run {
        private static final long CLEANUP_TIMEOUT_SECONDS = 30;

        private final KvCacheStore store;
        private final SyncKvCacheStore sync;
        private final PrintWriter out;
        private final int n;
        private final String model;
        private final ChunkMetadata metadata;
        private final List<Result> results = new ArrayList<>();
        /** Every key a check may have written, removed at the end. */
        private final List<ChunkKey> written = new ArrayList<>();
        private long nextHash;
        private List<ChunkKey> keys = List.of();
        private List<KvChunk> chunks = List.of();
        private boolean stored;
        /** Set while storing the shared chunks, and left set if that failed: later checks then do not retry. */
        private String storeFailed;

        Run(KvCacheStore store, PrintWriter out, int n, int chunkBytes) {
            this.store = store;
            this.sync = store.sync();
            this.out = out;
            this.n = n;
            byte[] id = new byte[6];
            new SecureRandom().nextBytes(id);
            this.model = MODEL_PREFIX + HexFormat.of().formatHex(id);
            this.nextHash = new Random().nextLong() & 0x0fff_ffff_ffff_ffffL;
            this.metadata = metadataFor(store.config(), chunkBytes);
        }

        Report all() {
            try {
                boolean connected = check("connection", this::connection);
                if (!connected) {
                    for (String name : List.of("put/get one chunk", "batched get", "order preservation",
                            "missing keys and prefix", "batched vs per-key get", "pipelined batched put")) {
                        record(new Result(name, false, "not run: no connection", 0));
                    }
                    return new Report(results);
                }
                check("put/get one chunk", this::putGet);
                check("batched get", this::batchedGet);
                check("order preservation", this::order);
                check("missing keys and prefix", this::missingAndPrefix);
                check("batched vs per-key get", this::speedup);
                check("pipelined batched put", this::batchedPut);
            } finally {
                cleanup();
            }
            return new Report(results);
        }

        /** Thrown by a check that cannot run because what it needs failed earlier. */
        private static final class NotRun extends RuntimeException {
            private static final long serialVersionUID = 1L;

            NotRun(String message) {
                super(message, null, false, false);
            }
        }

        /** A check body: returns its result, or throws to fail with the exception's message. */
        private interface Body {
            Result run(String name);
        }

        private boolean check(String name, Body body) {
            Result r;
            try {
                r = body.run(name);
            } catch (NotRun e) {
                r = new Result(name, false, e.getMessage(), 0);
            } catch (RuntimeException e) {
                r = new Result(name, false, expectedSaw("no error", Failures.message(e)), 0);
            }
            record(r);
            return r.passed();
        }

        private void record(Result r) {
            results.add(r);
            out.println(line(results.size(), r));
            out.flush();
        }

        // ------------------------------------------------------------------ the checks

        private Result connection(String name) {
            // The best of a few round trips: the first also pays for class loading and JIT.
            long nanos = Long.MAX_VALUE;
            for (int i = 0; i < 5; i++) {
                nanos = Math.min(nanos, sync.ping());
            }
            StoreConfig c = store.config();
            return new Result(name, true, "PING round trip " + Human.nanos(nanos) + " (best of 5, slowest master); mode "
                    + c.mode().configName() + ", layout " + c.keyLayout().configName()
                    + c.keyPrefix().map(p -> ", key prefix " + p).orElse(""), nanos / 1e6);
        }

        private Result putGet(String name) {
            ChunkKey key = newKey();
            KvChunk chunk = chunk(-1);
            // Untimed first round on another key, so the timing is not the JIT's.
            ChunkKey warmUp = newKey();
            sync.put(warmUp, chunk(-2));
            sync.get(warmUp);
            long t0 = System.nanoTime();
            sync.put(key, chunk);
            long t1 = System.nanoTime();
            Optional<KvChunk> back = sync.get(key);
            long t2 = System.nanoTime();
            double millis = (t2 - t0) / 1e6;
            if (back.isEmpty()) {
                return new Result(name, false, expectedSaw("the chunk just put", "a miss"), millis);
            }
            String problem = difference(chunk, back.get());
            if (problem != null) {
                return new Result(name, false, problem, millis);
            }
            return new Result(name, true, chunk.length() + " bytes, " + describe(chunk.metadata())
                    + ": identical (put " + Human.nanos(t1 - t0) + ", get " + Human.nanos(t2 - t1) + ")", millis);
        }

        private Result batchedGet(String name) {
            store();
            sync.batchedGet(keys.subList(0, 2));
            long t0 = System.nanoTime();
            List<Optional<KvChunk>> back = sync.batchedGet(keys);
            double millis = (System.nanoTime() - t0) / 1e6;
            String problem = compare(keys, back);
            if (problem != null) {
                return new Result(name, false, expectedSaw(n + " present and identical chunks", problem), millis);
            }
            return new Result(name, true, n + " chunks (" + Human.bytes((long) n * metadata.length())
                    + ") in one batchedGet: all present and identical", millis);
        }

        private Result order(String name) {
            store();
            List<Integer> positions = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                positions.add(i);
            }
            Collections.shuffle(positions, new Random(nextHash));
            if (isIdentity(positions)) {
                // A shuffle that changes nothing would prove nothing: rotate instead.
                Collections.rotate(positions, 1);
            }
            List<ChunkKey> shuffled = new ArrayList<>(n);
            for (int p : positions) {
                shuffled.add(keys.get(p));
            }
            long t0 = System.nanoTime();
            List<Optional<KvChunk>> back = sync.batchedGet(shuffled);
            double millis = (System.nanoTime() - t0) / 1e6;
            if (back.size() != n) {
                return new Result(name, false, expectedSaw(n + " results", back.size()), millis);
            }
            for (int i = 0; i < n; i++) {
                KvChunk expected = chunks.get(positions.get(i));
                Optional<KvChunk> seen = back.get(i);
                if (seen.isEmpty() || difference(expected, seen.get()) != null) {
                    return new Result(name, false, expectedSaw("the chunk of key #" + positions.get(i) + " at position "
                            + i, seen.isEmpty() ? "a miss" : whichChunk(seen.get())), millis);
                }
            }
            return new Result(name, true, n + " keys in shuffled order: each chunk at its key's position", millis);
        }

        private Result missingAndPrefix(String name) {
            store();
            ChunkKey miss = newKey();
            List<ChunkKey> hmh = List.of(keys.get(0), miss, keys.get(1));
            List<String> problems = new ArrayList<>();
            long t0 = System.nanoTime();
            List<Optional<KvChunk>> got = sync.batchedGet(hmh);
            double millis = (System.nanoTime() - t0) / 1e6;
            String pattern = got.stream().map(o -> o.isPresent() ? "present" : "empty").toList().toString();
            if (got.size() != 3 || got.get(0).isEmpty() || got.get(1).isPresent() || got.get(2).isEmpty()) {
                problems.add(expectedSaw("batchedGet [hit, miss, hit] to give [present, empty, present]", pattern));
            } else if (difference(chunks.get(0), got.get(0).get()) != null
                    || difference(chunks.get(1), got.get(2).get()) != null) {
                problems.add(expectedSaw("batchedGet [hit, miss, hit] to return the two stored chunks",
                        "different bytes or metadata"));
            }
            int contains = sync.batchedContains(hmh);
            if (contains != 1) {
                problems.add(expectedSaw("batchedContains [hit, miss, hit] = 1", contains));
            }
            List<KvChunk> prefix = sync.batchedGetNonBlocking(hmh);
            if (prefix.size() != 1 || difference(chunks.get(0), prefix.get(0)) != null) {
                problems.add(expectedSaw("batchedGetNonBlocking [hit, miss, hit] to give exactly the first chunk",
                        prefix.size() + " chunk(s)" + (prefix.size() == 1 ? " that differ" : "")));
            }
            boolean hitExists = sync.exists(keys.get(0));
            boolean missExists = sync.exists(miss);
            if (!hitExists || missExists) {
                problems.add(expectedSaw("exists true for the hit and false for the miss", hitExists + " and " + missExists));
            }
            if (!problems.isEmpty()) {
                return new Result(name, false, String.join("; ", problems), millis);
            }
            return new Result(name, true, "[hit, miss, hit]: batchedGet " + pattern
                    + ", batchedContains 1, batchedGetNonBlocking 1 chunk, exists true/false", millis);
        }

        private Result speedup(String name) {
            store();
            // Warm up both paths so neither pays for class loading or JIT alone.
            sync.get(keys.get(0));
            sync.batchedGet(keys);
            long sequential = Long.MAX_VALUE;
            long batched = Long.MAX_VALUE;
            int hits = 0;
            int batchedHits = 0;
            // Each way's best time; a loaded machine can stall any one round, so a batch that does not
            // win at first is measured again (both ways) before the check fails.
            for (int attempt = 0; attempt < 3 && (attempt == 0 || batched >= sequential); attempt++) {
                long t0 = System.nanoTime();
                hits = 0;
                for (ChunkKey k : keys) {
                    if (sync.get(k).isPresent()) {
                        hits++;
                    }
                }
                sequential = Math.min(sequential, System.nanoTime() - t0);
                for (int round = 0; round < 3; round++) {
                    long s = System.nanoTime();
                    List<Optional<KvChunk>> back = sync.batchedGet(keys);
                    batched = Math.min(batched, System.nanoTime() - s);
                    batchedHits = (int) back.stream().filter(Optional::isPresent).count();
                }
            }
            if (hits != n || batchedHits != n) {
                return new Result(name, false, expectedSaw(n + " hits both ways", hits + " sequential and " + batchedHits
                        + " batched"), batched / 1e6);
            }
            String timing = n + " sequential gets " + Human.nanos(sequential) + " vs one batchedGet "
                    + Human.nanos(batched);
            if (batched >= sequential) {
                return new Result(name, false, expectedSaw("the batched get to be faster", timing), batched / 1e6);
            }
            return new Result(name, true, timing + ": " + speedup(sequential, batched) + " faster", batched / 1e6);
        }

        private Result batchedPut(String name) {
            List<ChunkKey> sequentialKeys = newKeys(n);
            List<ChunkKey> batchKeys = newKeys(n);
            List<KvChunk> data = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                data.add(chunk(1_000_000 + i));
            }
            // Untimed first round of both ways on other keys, so the timing is not the JIT's.
            List<ChunkKey> warmUp = newKeys(2);
            sync.batchedPut(warmUp, data.subList(0, 2));
            sync.put(warmUp.get(0), data.get(0));
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                sync.put(sequentialKeys.get(i), data.get(i));
            }
            long sequential = System.nanoTime() - t0;
            long t1 = System.nanoTime();
            sync.batchedPut(batchKeys, data);
            long batched = System.nanoTime() - t1;
            List<Optional<KvChunk>> back = sync.batchedGet(batchKeys);
            String problem = compare(batchKeys, back, data);
            if (problem != null) {
                return new Result(name, false, expectedSaw("all " + n + " chunks of the batchedPut to read back identical",
                        problem), batched / 1e6);
            }
            return new Result(name, true, n + " chunks in one batchedPut " + Human.nanos(batched) + " vs " + n
                    + " sequential puts " + Human.nanos(sequential) + " (" + speedup(sequential, batched)
                    + "); all read back identical", batched / 1e6);
        }

        // ------------------------------------------------------------------ helpers

        /** Stores the chunks checks 3 to 6 read, once, with concurrent single puts (not batchedPut, check 7's subject). */
        private void store() {
            if (stored) {
                return;
            }
            if (storeFailed != null) {
                throw new NotRun("not run: the test chunks could not be stored (" + storeFailed + ")");
            }
            storeFailed = "see check " + (results.size() + 1);
            List<ChunkKey> ks = newKeys(n);
            List<KvChunk> cs = new ArrayList<>(n);
            List<CompletableFuture<Void>> puts = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                cs.add(chunk(i));
                puts.add(store.put(ks.get(i), cs.get(i)));
            }
            CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)).join();
            keys = ks;
            chunks = cs;
            stored = true;
            storeFailed = null;
        }

        private ChunkKey newKey() {
            ChunkKey k = ChunkKey.of(model, 1, 0, nextHash++, "bfloat16");
            written.add(k);
            return k;
        }

        private List<ChunkKey> newKeys(int count) {
            List<ChunkKey> out = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                out.add(newKey());
            }
            return out;
        }

        /** A chunk whose bytes depend on {@code seed}, so chunks of different keys differ. */
        private KvChunk chunk(long seed) {
            byte[] b = new byte[metadata.length()];
            new Random(seed * 1_000_003L + model.hashCode()).nextBytes(b);
            return new KvChunk(metadata, ByteBuffer.wrap(b));
        }

        private String compare(List<ChunkKey> ks, List<Optional<KvChunk>> back) {
            return compare(ks, back, chunks);
        }

        /** Null when {@code back} holds exactly {@code expected}; else what was seen. */
        private String compare(List<ChunkKey> ks, List<Optional<KvChunk>> back, List<KvChunk> expected) {
            if (back.size() != ks.size()) {
                return back.size() + " results for " + ks.size() + " keys";
            }
            int missing = 0;
            int different = 0;
            int firstMissing = -1;
            int firstDifferent = -1;
            String firstProblem = null;
            for (int i = 0; i < ks.size(); i++) {
                if (back.get(i).isEmpty()) {
                    missing++;
                    firstMissing = firstMissing < 0 ? i : firstMissing;
                } else {
                    String d = difference(expected.get(i), back.get(i).get());
                    if (d != null) {
                        different++;
                        if (firstDifferent < 0) {
                            firstDifferent = i;
                            firstProblem = d;
                        }
                    }
                }
            }
            if (missing == 0 && different == 0) {
                return null;
            }
            List<String> parts = new ArrayList<>();
            if (missing > 0) {
                parts.add(missing + " missing (first #" + firstMissing + " " + ks.get(firstMissing) + ")");
            }
            if (different > 0) {
                parts.add(different + " different (first #" + firstDifferent + ": " + firstProblem + ")");
            }
            return String.join(", ", parts);
        }

        /** Null when the chunks are identical; else what differs. */
        private static String difference(KvChunk expected, KvChunk seen) {
            if (!expected.metadata().equals(seen.metadata())) {
                return expectedSaw("metadata " + describe(expected.metadata()) + " length " + expected.length(),
                        describe(seen.metadata()) + " length " + seen.length());
            }
            ByteBuffer a = expected.data().duplicate();
            ByteBuffer b = seen.data().duplicate();
            if (a.remaining() != b.remaining()) {
                return expectedSaw(a.remaining() + " bytes", b.remaining() + " bytes");
            }
            int at = a.mismatch(b);
            if (at >= 0) {
                return expectedSaw("identical bytes", "a difference at offset " + at);
            }
            return null;
        }

        /** Which stored chunk {@code c} is, for order failures. */
        private String whichChunk(KvChunk c) {
            for (int i = 0; i < chunks.size(); i++) {
                if (difference(chunks.get(i), c) == null) {
                    return "the chunk of key #" + i;
                }
            }
            return "a chunk of none of the keys";
        }

        private static boolean isIdentity(List<Integer> positions) {
            for (int i = 0; i < positions.size(); i++) {
                if (positions.get(i) != i) {
                    return false;
                }
            }
            return true;
        }

        private static String speedup(long slow, long fast) {
            return String.format(Locale.ROOT, "%.1fx", slow / (double) Math.max(1, fast));
        }

        /** Removes every key the checks wrote; a failure here is reported but does not fail a check. */
        private void cleanup() {
            if (written.isEmpty()) {
                return;
            }
            try {
                List<CompletableFuture<Boolean>> removals = new ArrayList<>(written.size());
                for (ChunkKey k : written) {
                    removals.add(store.remove(k));
                }
                CompletableFuture.allOf(removals.toArray(CompletableFuture[]::new))
                        .get(CLEANUP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                out.println("  warning: interrupted while removing the keys of model " + model);
            } catch (Exception e) {
                out.println("  warning: could not remove all keys of model " + model + ": " + Failures.message(e));
            }
            out.flush();
        }
    }
}
