package dev.lmcache.redis.cli.bench;

import dev.lmcache.redis.ChunkKey;
import dev.lmcache.redis.ChunkMetadata;
import dev.lmcache.redis.KeyLayout;
import dev.lmcache.redis.KvCacheStore;
import dev.lmcache.redis.KvChunk;
import dev.lmcache.redis.PrefixMatch;
import dev.lmcache.redis.PrefixQuery;
import dev.lmcache.redis.TokenHasher;
import dev.lmcache.redis.cli.bench.Stats.Percentiles;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * The engine of {@code bench lookup}: how long "how many leading tokens of this prompt are
 * stored?" takes, hashing included, for a long prompt whose every chunk (every rank's key) is
 * stored, on each target and tensor-parallel size, repetitions interleaved. The figure to look at
 * is the median lookup in round trips (the median divided by the target's PING round trip).
 */
public final class Lookup {

    /** Value bytes of each prefilled key: the lookup asks for existence only, so size does not matter. */
    private static final int VALUE_BYTES = 16;

    private Lookup() {
    }

    /**
     * What to measure.
     *
     * @param tokens     prompt length in tokens
     * @param worldSizes tensor-parallel sizes, each measured (every rank's key is looked up)
     * @param reps       measured lookups per target and world size
     * @param warmup     unmeasured lookups first
     */
    public record Settings(int tokens, List<Integer> worldSizes, int reps, int warmup) {
        /**
         * Validates the settings.
         *
         * @throws IllegalArgumentException naming the option and what it accepts
         */
        public Settings {
            worldSizes = List.copyOf(worldSizes);
            if (tokens < 1 || reps < 1 || warmup < 0 || worldSizes.isEmpty()
                    || worldSizes.stream().anyMatch(ws -> ws < 1 || ws > dev.lmcache.redis.MpKey.MAX_WORLD_SIZE)) {
                throw new IllegalArgumentException("--tokens and --reps must be >= 1, --warmup >= 0 and --world-sizes"
                        + " 1 to " + dev.lmcache.redis.MpKey.MAX_WORLD_SIZE + "; got tokens " + tokens + ", reps " + reps
                        + ", warmup " + warmup + ", world sizes " + worldSizes);
            }
        }
    }

    /**
     * One target and world size.
     *
     * @param target        the target's description
     * @param layout        the store's key layout
     * @param worldSize     ranks per chunk
     * @param chunks        chunks of the prompt
     * @param keys          Redis keys per lookup
     * @param hash          hashing the prompt alone (building the query)
     * @param lookup        hashing plus the lookup
     * @param rttMs         the target's PING round trip (best of several)
     * @param ping          a PING to every master (concurrently; the slowest counts), timed in the
     *                      same interleaved loop as the lookups: the round trip a lookup is compared with
     * @param matchedTokens tokens the last lookup matched (all of them when everything works)
     * @param mismatches    lookups that did not match the whole prompt
     */
    public record Row(String target, KeyLayout layout, int worldSize, int chunks, int keys, Percentiles hash,
               Percentiles lookup, double rttMs, Percentiles ping, int matchedTokens, int mismatches) {

        /** Median lookup over the best PING round trip. */
        double roundTrips() {
            return lookup.medianMs() / rttMs;
        }

        /** Median lookup over the median PING timed beside it. */
        double roundTripsOfMedianPing() {
            return lookup.medianMs() / ping.medianMs();
        }

        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("target", target);
            m.put("layout", layout.configName());
            m.put("world_size", worldSize);
            m.put("chunks", chunks);
            m.put("keys", keys);
            m.put("hash", hash.toMap());
            m.put("lookup", lookup.toMap());
            m.put("rtt_ms", Stats.round(rttMs));
            m.put("round_trips", Stats.round(roundTrips()));
            m.put("ping", ping.toMap());
            m.put("round_trips_of_median_ping", Stats.round(roundTripsOfMedianPing()));
            m.put("matched_tokens", matchedTokens);
            m.put("mismatches", mismatches);
            return m;
        }
    }

    /** One target with its open store. */
    public record Subject(String description, KvCacheStore store) {
    }

    /**
     * Prefills every subject with the prompt's keys, then measures; lookups of all subjects and
     * world sizes alternate so that drift on a shared machine hits them alike.
     */
    /**
     * What a run found, as the command's {@code --json} lists it.
     *
     * @param rows   one per subject and world size
     * @param header the run's settings, first in the JSON document
     */
    public record Result(List<Row> rows, Map<String, Object> header) implements Outcome {
        @Override
        public Map<String, Object> json() {
            Map<String, Object> root = new LinkedHashMap<>(header);
            root.put("results", rows.stream().map(Row::toMap).toList());
            return root;
        }

        @Override
        public boolean ok() {
            return rows.stream().allMatch(r -> r.mismatches() == 0);
        }
    }

    public static List<Row> run(List<Subject> subjects, TokenHasher hasher, String model, Settings s, PrintWriter progress) {
        int[] tokens = tokens(s.tokens());
        List<Cell> cells = new ArrayList<>();
        for (Subject subject : subjects) {
            for (int ws : s.worldSizes()) {
                Cell c = new Cell(subject, ws, query(model, tokens, hasher, ws));
                prefill(c);
                c.rttMs = rttMs(subject.store());
                cells.add(c);
            }
        }
        progress.println("prefilled " + cells.size() + " target/world-size combinations; measuring " + s.reps()
                + " interleaved lookups each (+" + s.warmup() + " warm-up)");
        progress.flush();
        for (int rep = -s.warmup(); rep < s.reps(); rep++) {
            for (Cell c : cells) {
                c.measure(model, tokens, hasher, rep >= 0);
            }
        }
        List<Row> rows = new ArrayList<>(cells.size());
        for (Cell c : cells) {
            rows.add(new Row(c.subject.description(), c.subject.store().config().keyLayout(), c.worldSize,
                    c.query.hashes().size(), c.query.hashes().size() * c.worldSize, Percentiles.of(c.hash),
                    Percentiles.of(c.lookup), c.rttMs, Percentiles.of(c.ping), c.matchedTokens, c.mismatches));
        }
        return rows;
    }

    /** The table: one line per target and world size. */
    public static void print(List<Row> rows, int tokens, PrintWriter out) {
        out.printf("prompt: %d tokens; lookup = hash the prompt + look up every chunk's keys (all ranks)%n", tokens);
        out.printf("%-24s %3s %6s %6s %8s %10s %8s %8s %9s %6s %7s  %s%n", "target", "tp", "chunks", "keys",
                "hash ms", "lookup ms", "p95 ms", "RTT ms", "PING p50", "RTTs", "/ p50", "matched");
        for (Row r : rows) {
            out.printf("%-24s %3d %6d %6d %8s %10s %8s %8s %9s %6.2f %7.2f  %d%s%n", abbreviate(r.target(), 24),
                    r.worldSize(), r.chunks(), r.keys(), Stats.ms(r.hash().medianMs()), Stats.ms(r.lookup().medianMs()),
                    Stats.ms(r.lookup().p95Ms()), Stats.ms(r.rttMs()), Stats.ms(r.ping().medianMs()), r.roundTrips(),
                    r.roundTripsOfMedianPing(), r.matchedTokens(),
                    r.mismatches() == 0 ? "" : " (" + r.mismatches() + " lookups matched less: FAILED)");
        }
        out.println("RTTs = median lookup / best PING round trip (best of 5; a cluster's slowest master); / p50 = median"
                + " lookup / median PING to every master, timed beside each lookup; medians of interleaved repetitions.");
        out.flush();
    }

    /** The prompt used: {@code tokens[i] = (i * 7919 + 13) % 128256}, the golden vectors' generator. */
    static int[] tokens(int n) {
        int[] t = new int[n];
        for (int i = 0; i < n; i++) {
            t[i] = (int) ((i * 7919L + 13) % 128256);
        }
        return t;
    }

    private static PrefixQuery query(String model, int[] tokens, TokenHasher hasher, int worldSize) {
        return PrefixQuery.builder().model(model).tokens(tokens).hasher(hasher).worldSize(worldSize).build();
    }

    private static void prefill(Cell c) {
        List<ChunkKey> keys = new ArrayList<>();
        for (List<ChunkKey> ranks : c.query.forLayout(c.subject.store().config().keyLayout())) {
            keys.addAll(ranks);
        }
        List<KvChunk> chunks = new ArrayList<>(keys.size());
        for (int i = 0; i < keys.size(); i++) {
            chunks.add(new KvChunk(ChunkMetadata.binary(VALUE_BYTES), ByteBuffer.allocate(VALUE_BYTES)));
        }
        c.subject.store().batchedPut(keys, chunks).join();
    }

    private static double rttMs(KvCacheStore store) {
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            best = Math.min(best, store.ping().join());
        }
        return best / 1e6;
    }

    private static String abbreviate(String s, int width) {
        return s.length() <= width ? s : s.substring(0, width - 3) + "...";
    }

    /** Measurements of one subject and world size. */
    private static final class Cell {
        final Subject subject;
        final int worldSize;
        final PrefixQuery query;
        final Histogram hash = Stats.histogram();
        final Histogram lookup = Stats.histogram();
        final Histogram ping = Stats.histogram();
        double rttMs;
        int matchedTokens;
        int mismatches;

        Cell(Subject subject, int worldSize, PrefixQuery query) {
            this.subject = subject;
            this.worldSize = worldSize;
            this.query = query;
        }

        void measure(String model, int[] tokens, TokenHasher hasher, boolean record) {
            long start = System.nanoTime();
            PrefixQuery q = query(model, tokens, hasher, worldSize);
            long hashed = System.nanoTime();
            PrefixMatch m = subject.store().lookup(q).join();
            long end = System.nanoTime();
            long pingNanos = subject.store().ping().join();
            if (record) {
                ping.recordValue(Math.max(0, TimeUnit.NANOSECONDS.toMicros(pingNanos)));
                hash.recordValue(Math.max(0, TimeUnit.NANOSECONDS.toMicros(hashed - start)));
                lookup.recordValue(Math.max(0, TimeUnit.NANOSECONDS.toMicros(end - start)));
                matchedTokens = m.matchedTokens();
                if (m.matchedChunks() != q.hashes().size()) {
                    mismatches++;
                }
            }
        }
    }
}
