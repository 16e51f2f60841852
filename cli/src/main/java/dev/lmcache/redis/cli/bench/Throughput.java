package dev.lmcache.redis.cli.bench;

import static dev.lmcache.redis.cli.bench.OptionCheck.require;

import dev.lmcache.redis.BufferAllocator;
import dev.lmcache.redis.ChunkKey;
import dev.lmcache.redis.KvCacheStore;
import dev.lmcache.redis.KvChunk;
import dev.lmcache.redis.StoreConfig;
import dev.lmcache.redis.cli.bench.Stats.Percentiles;
import dev.lmcache.redis.cli.target.Target;
import dev.lmcache.redis.cli.text.Charts;
import dev.lmcache.redis.cli.text.Human;
import dev.lmcache.redis.cli.text.Table;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.HdrHistogram.Histogram;

/**
 * Payload throughput of large-chunk batched puts and gets over a sweep of chunk sizes. Sources
 * and read destinations are direct buffers allocated once and reused (reads go through a
 * {@link BufferAllocator} handing out those buffers), so the figures measure the store and the
 * network, not allocation.
 */
public final class Throughput {

    /**
     * What to run.
     *
     * @param chunkBytes  the chunk sizes to sweep
     * @param chunks      chunks per batch
     * @param reps        timed repetitions per size
     * @param warmup      untimed repetitions per size first
     * @param maxInflight the store's {@code max_inflight_bytes} (also capping {@code max_bytes_per_command}), or null
     */
    public record Settings(List<Long> chunkBytes, int chunks, int reps, int warmup, Long maxInflight) {
        /**
         * Checks the settings.
         *
         * @throws IllegalArgumentException naming the option and what it accepts
         */
        public Settings {
            chunkBytes = List.copyOf(chunkBytes);
            require(!chunkBytes.isEmpty(), "--chunk-bytes needs at least one size");
            for (long b : chunkBytes) {
                require(b >= 1 && b <= Integer.MAX_VALUE - 64, "--chunk-bytes value " + Human.size(b)
                        + " is out of range; accepted: 1 B to 2 GiB");
            }
            require(chunks >= 1 && chunks <= 4096, "--chunks must be 1..4096, was " + chunks);
            require(reps >= 1 && warmup >= 0, "--reps must be >= 1 and --warmup >= 0");
        }

        int largest() {
            return (int) chunkBytes.stream().mapToLong(Long::longValue).max().orElseThrow();
        }
    }

    /** Hands each key of the current batch its own reused direct buffer. */
    private static final class ReusedBuffers implements BufferAllocator {
        private final ByteBuffer[] buffers;
        private volatile Map<ChunkKey, Integer> index = Map.of();

        ReusedBuffers(ByteBuffer[] buffers) {
            this.buffers = buffers;
        }

        void batch(List<ChunkKey> keys) {
            Map<ChunkKey, Integer> m = new HashMap<>();
            for (int i = 0; i < keys.size(); i++) {
                m.put(keys.get(i), i);
            }
            index = m;
        }

        @Override
        public ByteBuffer allocate(ChunkKey key, int size) {
            Integer i = index.get(key);
            if (i == null || buffers[i].capacity() < size) {
                // Not one of the batch's keys, or larger than expected: never reached in this bench.
                return ByteBuffer.allocateDirect(size);
            }
            return buffers[i].duplicate().clear().limit(size);
        }
    }

    /** One size's figures, for the table and the chart. */
    private record SizeResult(int chunkBytes, double putGbs, double getGbs, double putBest, double getBest,
                              Percentiles put, Percentiles get, long peakInFlight, Memory.Sample peak, long baselineDirect,
                              long mismatches) {
        Map<String, Object> toMap() {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("chunk_bytes", chunkBytes);
            r.put("put_gb_per_s", Stats.round(putGbs));
            r.put("get_gb_per_s", Stats.round(getGbs));
            r.put("put_best_gb_per_s", Stats.round(putBest));
            r.put("get_best_gb_per_s", Stats.round(getBest));
            r.put("put_ms", put.toMap());
            r.put("get_ms", get.toMap());
            r.put("peak_inflight_bytes", peakInFlight);
            r.put("peak_heap_bytes", peak.heapUsed());
            r.put("peak_direct_bytes", peak.directUsed());
            r.put("baseline_direct_bytes", baselineDirect);
            r.put("peak_netty_direct_bytes", peak.nettyDirectUsed());
            r.put("mismatches", mismatches);
            return r;
        }
    }

    private final Settings settings;
    private final ByteBuffer[] sources;
    private final ReusedBuffers allocator;

    private Throughput(Settings settings, ByteBuffer[] sources, ByteBuffer[] targets) {
        this.settings = settings;
        this.sources = sources;
        this.allocator = new ReusedBuffers(targets);
    }

    /**
     * Allocates the reused source and destination buffers, before any server is involved.
     *
     * @throws IllegalArgumentException when they need more direct memory than this JVM allows,
     *                                  saying how much and how to get it
     */
    public static Throughput allocate(Settings settings) {
        int chunks = settings.chunks();
        long largest = settings.largest();
        ByteBuffer[] sources = new ByteBuffer[chunks];
        ByteBuffer[] targets = new ByteBuffer[chunks];
        try {
            for (int i = 0; i < chunks; i++) {
                sources[i] = ByteBuffer.allocateDirect((int) largest);
                targets[i] = ByteBuffer.allocateDirect((int) largest);
            }
        } catch (OutOfMemoryError e) {
            throw new IllegalArgumentException("--chunks " + chunks + " x " + Human.size(largest) + " needs "
                    + Human.size(2 * chunks * largest) + " of direct memory, more than this JVM allows; use fewer or"
                    + " smaller chunks, or raise -XX:MaxDirectMemorySize (LMCACHE_REDIS_JAVA_OPTS)");
        }
        return new Throughput(settings, sources, targets);
    }

    /** Runs the sweep on {@code target}: progress on {@code err}, the table on {@code out}. */
    public Outcome run(Target t, PrintWriter out, PrintWriter err) {
        StoreConfig config = t.config();
        Long inflight = settings.maxInflight();
        if (inflight != null) {
            // One command's bytes are in flight at once, so a smaller budget caps the command size too.
            config = config.toBuilder().maxInflightBytes(inflight)
                    .maxBytesPerCommand(Math.min(config.maxBytesPerCommand(), inflight)).build();
        }
        out.println("Throughput on " + t.description() + ": " + settings.chunks() + " chunks per batch, " + settings.reps()
                + " reps (+" + settings.warmup() + " warm-up), max in flight " + Human.size(config.maxInflightBytes()));
        List<SizeResult> results = new ArrayList<>();
        String[] status = {"starting"};
        Progress progress = new Progress(err, 5000, () -> status[0]);
        try (progress) {
            for (long size : settings.chunkBytes()) {
                results.add(measure(config, (int) size, status));
            }
        }
        Result r = new Result(t, config.maxInflightBytes(), results);
        r.print(out);
        return r;
    }

    /** Warm-up and timed repetitions of one chunk size; every read verified after its timing. */
    private SizeResult measure(StoreConfig config, int size, String[] status) {
        int chunks = settings.chunks();
        ChunkSet m = ChunkSet.bytes(size);
        List<ChunkKey> keys = m.keys(0, chunks);
        List<KvChunk> batch = new ArrayList<>(chunks);
        for (int i = 0; i < chunks; i++) {
            ByteBuffer src = sources[i].duplicate().clear().limit(size);
            Payload.fill(src, Payload.seed(keys.get(i)), size);
            batch.add(new KvChunk(m.metadata(), src));
        }
        allocator.batch(keys);
        Histogram put = Stats.histogram();
        Histogram get = Stats.histogram();
        double putBest = 0;
        double getBest = 0;
        long bytes = (long) chunks * size;
        long bad = 0;
        Memory.Sample peak;
        long peakInFlight;
        // The bench's own source and destination buffers are direct too: report the store's share separately.
        long baselineDirect = Memory.sample().directUsed();
        int total = settings.warmup() + settings.reps();
        try (KvCacheStore s = KvCacheStore.open(config, allocator); Memory.PeakSampler sampler = new Memory.PeakSampler(20)) {
            try {
                for (int rep = 0; rep < total; rep++) {
                    status[0] = Human.size(size) + " chunks: repetition " + (rep + 1) + "/" + total;
                    long t0 = System.nanoTime();
                    s.sync().batchedPut(keys, batch);
                    long t1 = System.nanoTime();
                    List<Optional<KvChunk>> got = s.sync().batchedGet(keys);
                    long t2 = System.nanoTime();
                    if (rep >= settings.warmup()) {
                        put.recordValue(Stats.micros(t1 - t0));
                        get.recordValue(Stats.micros(t2 - t1));
                        putBest = Math.max(putBest, Stats.gbPerSecond(bytes, t1 - t0));
                        getBest = Math.max(getBest, Stats.gbPerSecond(bytes, t2 - t1));
                    }
                    for (int i = 0; i < chunks; i++) {
                        if (got.get(i).isEmpty() || !m.verify(keys.get(i), got.get(i).get())) {
                            bad++;
                        }
                    }
                }
            } finally {
                m.deleteFirst(s, chunks);
            }
            peak = sampler.peak();
            peakInFlight = s.stats().peakInFlightBytes();
        }
        Percentiles pp = Percentiles.of(put);
        Percentiles gp = Percentiles.of(get);
        return new SizeResult(size, bytes / (pp.medianMs() * 1e6), bytes / (gp.medianMs() * 1e6), putBest, getBest, pp, gp,
                peakInFlight, peak, baselineDirect, bad);
    }

    private static String gbs(double gbs) {
        return Double.isFinite(gbs) ? String.format(Locale.ROOT, "%.2f", gbs) : "-";
    }

    /** The sweep's figures. */
    private final class Result implements Outcome {
        private final String target;
        private final boolean cluster;
        private final long maxInflightBytes;
        private final List<SizeResult> sizes;

        Result(Target t, long maxInflightBytes, List<SizeResult> sizes) {
            this.target = t.description();
            this.cluster = t.isCluster();
            this.maxInflightBytes = maxInflightBytes;
            this.sizes = sizes;
        }

        private long mismatches() {
            return sizes.stream().mapToLong(SizeResult::mismatches).sum();
        }

        @Override
        public boolean ok() {
            return mismatches() == 0;
        }

        @Override
        public Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("target", target);
            m.put("chunks", settings.chunks());
            m.put("reps", settings.reps());
            m.put("max_inflight_bytes", maxInflightBytes);
            m.put("results", sizes.stream().map(SizeResult::toMap).toList());
            return m;
        }

        void print(PrintWriter out) {
            Table table = new Table("chunk", "batch", "put GB/s", "get GB/s", "put best", "get best", "peak in flight",
                    "heap peak MB", "direct peak MB", "other direct MB");
            for (SizeResult r : sizes) {
                table.row(Human.size(r.chunkBytes()), Human.size((long) settings.chunks() * r.chunkBytes()), gbs(r.putGbs()),
                        gbs(r.getGbs()), gbs(r.putBest()), gbs(r.getBest()), Human.size(r.peakInFlight()),
                        Memory.mb(r.peak().heapUsed()), Memory.mb(r.peak().directUsed()),
                        Memory.mb(Math.max(0, r.peak().directUsed() - r.baselineDirect())));
            }
            table.print(out, "  ");
            out.println("  GB/s = 10^9 payload bytes per second, median of " + settings.reps() + " (best: fastest repetition);"
                    + " peak in flight is the store's byte budget in use;");
            out.println("  direct memory includes the bench's own reused buffers ("
                    + Human.size(2L * settings.chunks() * settings.largest()) + "); 'other direct' is the rest (Netty, Lettuce).");
            out.println(ok() ? "  Verified: every chunk read back matched what was written."
                    : "  ERROR: " + mismatches() + " chunks read back were missing or differed from what was written.");
            out.flush();
        }

        /** Median GB/s of puts and gets against the chunk size. */
        @Override
        public void plot(Path png) {
            double[][] putPts = new double[sizes.size()][];
            double[][] getPts = new double[sizes.size()][];
            for (int i = 0; i < sizes.size(); i++) {
                double mib = sizes.get(i).chunkBytes() / 1048576.0;
                putPts[i] = new double[] {mib, Stats.round(sizes.get(i).putGbs())};
                getPts[i] = new double[] {mib, Stats.round(sizes.get(i).getGbs())};
            }
            Map<String, double[][]> series = new LinkedHashMap<>();
            series.put("batchedPut", putPts);
            series.put("batchedGet", getPts);
            Charts.lines(png, "Batched throughput, " + settings.chunks() + " chunks per batch ("
                            + (cluster ? "cluster" : "standalone") + ")",
                    "chunk size (MiB, log scale)", "payload throughput (GB/s, median)", true, series);
        }
    }
}
