package dev.lmcache.redis.cli;

import dev.lmcache.redis.BufferAllocator;
import dev.lmcache.redis.ChunkKey;
import dev.lmcache.redis.KvCacheStore;
import dev.lmcache.redis.KvChunk;
import dev.lmcache.redis.StoreConfig;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code lmcache-redis bench throughput}: payload throughput of large-chunk batched puts and gets
 * over a sweep of chunk sizes. Sources and read destinations are direct buffers allocated once
 * and reused (reads go through a {@link BufferAllocator} handing out those buffers), so the
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

    @Override
    protected int run() {
        PrintWriter out = out();
        PrintWriter err = err();
        List<Long> sizes = new ArrayList<>();
        for (ByteSize b : chunkBytes) {
            require(b.bytes() >= 1 && b.bytes() <= Integer.MAX_VALUE - 64, "--chunk-bytes value " + b
                    + " is out of range; accepted: 1 B to 2 GiB");
            sizes.add(b.bytes());
        }
        require(chunks >= 1 && chunks <= 4096, "--chunks must be 1..4096, was " + chunks);
        require(reps >= 1 && warmup >= 0, "--reps must be >= 1 and --warmup >= 0");
        Long inflight = maxInflight == null ? null : maxInflight.bytes();
        long largest = sizes.stream().mapToLong(Long::longValue).max().orElseThrow();
        ByteBuffer[] sources = new ByteBuffer[chunks];
        ByteBuffer[] targets = new ByteBuffer[chunks];
        try {
            for (int i = 0; i < chunks; i++) {
                sources[i] = ByteBuffer.allocateDirect((int) largest);
                targets[i] = ByteBuffer.allocateDirect((int) largest);
            }
        } catch (OutOfMemoryError e) {
            throw usageError("--chunks " + chunks + " x " + Human.size(largest) + " needs "
                    + Human.size(2 * chunks * largest) + " of direct memory, more than this JVM allows; use fewer or"
                    + " smaller chunks, or raise -XX:MaxDirectMemorySize (LMCACHE_REDIS_JAVA_OPTS)");
        }
        ReusedBuffers allocator = new ReusedBuffers(targets);
        List<Map<String, Object>> results = new ArrayList<>();
        long totalBad = 0;
        try (Target t = openAnnounced()) {
            StoreConfig config = t.config();
            if (inflight != null) {
                // One command's bytes are in flight at once, so a smaller budget caps the command size too.
                config = config.toBuilder().maxInflightBytes(inflight)
                        .maxBytesPerCommand(Math.min(config.maxBytesPerCommand(), inflight)).build();
            }
            out.println("Throughput on " + t.description() + ": " + chunks + " chunks per batch, " + reps + " reps (+" + warmup
                    + " warm-up), max in flight " + Human.size(config.maxInflightBytes()));
            BenchTable table = new BenchTable("chunk", "batch", "put GB/s", "get GB/s", "put best", "get best", "peak in flight",
                    "heap peak MB", "direct peak MB", "other direct MB");
            String[] status = {"starting"};
            try (BenchProgress p = new BenchProgress(err, 5000, () -> status[0])) {
                for (long size : sizes) {
                    int sz = (int) size;
                    BenchModel m = BenchModel.bytes(sz);
                    List<ChunkKey> keys = BenchLoadCommand.keys(m, 0, chunks);
                    List<KvChunk> batch = new ArrayList<>(chunks);
                    for (int i = 0; i < chunks; i++) {
                        ByteBuffer src = sources[i].duplicate().clear().limit(sz);
                        BenchPayload.fill(src, BenchPayload.seed(keys.get(i)), sz);
                        batch.add(new KvChunk(m.metadata(), src));
                    }
                    allocator.batch(keys);
                    org.HdrHistogram.Histogram put = BenchStats.histogram();
                    org.HdrHistogram.Histogram get = BenchStats.histogram();
                    double putBest = 0;
                    double getBest = 0;
                    long bytes = (long) chunks * sz;
                    long bad = 0;
                    BenchMemory.Sample peak;
                    long peakInFlight;
                    // The bench's own source and destination buffers are direct too: report the store's share separately.
                    long baselineDirect = BenchMemory.sample().directUsed();
                    try (KvCacheStore s = KvCacheStore.open(config, allocator);
                         BenchMemory.PeakSampler sampler = new BenchMemory.PeakSampler(20)) {
                        try {
                            for (int rep = 0; rep < warmup + reps; rep++) {
                                status[0] = Human.size(sz) + " chunks: repetition " + (rep + 1) + "/" + (warmup + reps);
                                long t0 = System.nanoTime();
                                s.sync().batchedPut(keys, batch);
                                long t1 = System.nanoTime();
                                List<Optional<KvChunk>> got = s.sync().batchedGet(keys);
                                long t2 = System.nanoTime();
                                if (rep >= warmup) {
                                    put.recordValue(BenchStats.micros(t1 - t0));
                                    get.recordValue(BenchStats.micros(t2 - t1));
                                    putBest = Math.max(putBest, BenchStats.gbPerSecond(bytes, t1 - t0));
                                    getBest = Math.max(getBest, BenchStats.gbPerSecond(bytes, t2 - t1));
                                }
                                for (int i = 0; i < chunks; i++) {
                                    if (got.get(i).isEmpty() || !m.verify(keys.get(i), got.get(i).get())) {
                                        bad++;
                                    }
                                }
                            }
                        } finally {
                            BenchLoadCommand.deleteIds(s, m, chunks);
                        }
                        peak = sampler.peak();
                        peakInFlight = s.stats().peakInFlightBytes();
                    }
                    BenchStats.Percentiles pp = BenchStats.Percentiles.of(put);
                    BenchStats.Percentiles gp = BenchStats.Percentiles.of(get);
                    double putGbs = bytes / (pp.medianMs() * 1e6);
                    double getGbs = bytes / (gp.medianMs() * 1e6);
                    totalBad += bad;
                    table.row(Human.size(sz), Human.size(bytes), fmt(putGbs), fmt(getGbs), fmt(putBest), fmt(getBest),
                            Human.size(peakInFlight), BenchMemory.mb(peak.heapUsed()), BenchMemory.mb(peak.directUsed()),
                            BenchMemory.mb(Math.max(0, peak.directUsed() - baselineDirect)));
                    Map<String, Object> r = new LinkedHashMap<>();
                    r.put("chunk_bytes", sz);
                    r.put("put_gb_per_s", BenchStats.round(putGbs));
                    r.put("get_gb_per_s", BenchStats.round(getGbs));
                    r.put("put_best_gb_per_s", BenchStats.round(putBest));
                    r.put("get_best_gb_per_s", BenchStats.round(getBest));
                    r.put("put_ms", pp.toMap());
                    r.put("get_ms", gp.toMap());
                    r.put("peak_inflight_bytes", peakInFlight);
                    r.put("peak_heap_bytes", peak.heapUsed());
                    r.put("peak_direct_bytes", peak.directUsed());
                    r.put("baseline_direct_bytes", baselineDirect);
                    r.put("peak_netty_direct_bytes", peak.nettyDirectUsed());
                    r.put("mismatches", bad);
                    results.add(r);
                }
            }
            table.print(out, "  ");
            out.println("  GB/s = 10^9 payload bytes per second, median of " + reps + " (best: fastest repetition);"
                    + " peak in flight is the store's byte budget in use;");
            out.println("  direct memory includes the bench's own reused buffers (" + Human.size(2L * chunks * largest)
                    + "); 'other direct' is the rest (Netty, Lettuce).");
            out.println(totalBad == 0 ? "  Verified: every chunk read back matched what was written."
                    : "  ERROR: " + totalBad + " chunks read back were missing or differed from what was written.");
            if (output.json != null) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("target", t.description());
                m.put("chunks", chunks);
                m.put("reps", reps);
                m.put("max_inflight_bytes", config.maxInflightBytes());
                m.put("results", results);
                output.writeJson(m);
                out.println("Wrote " + output.json);
            }
            if (plot != null) {
                double[][] putPts = new double[results.size()][];
                double[][] getPts = new double[results.size()][];
                for (int i = 0; i < results.size(); i++) {
                    double mib = ((Integer) results.get(i).get("chunk_bytes")) / 1048576.0;
                    putPts[i] = new double[] {mib, (double) results.get(i).get("put_gb_per_s")};
                    getPts[i] = new double[] {mib, (double) results.get(i).get("get_gb_per_s")};
                }
                Map<String, double[][]> series = new LinkedHashMap<>();
                series.put("batchedPut", putPts);
                series.put("batchedGet", getPts);
                BenchPlot.lines(plot, "Batched throughput, " + chunks + " chunks per batch ("
                                + (t.isCluster() ? "cluster" : "standalone") + ")",
                        "chunk size (MiB, log scale)", "payload throughput (GB/s, median)", true, series);
                out.println("Wrote " + plot);
            }
            out.flush();
        }
        Arrays.fill(sources, null);
        Arrays.fill(targets, null);
        return totalBad == 0 ? EXIT_OK : EXIT_FAILURE;
    }

    private static String fmt(double gbs) {
        return Double.isFinite(gbs) ? String.format(Locale.ROOT, "%.2f", gbs) : "-";
    }
}
