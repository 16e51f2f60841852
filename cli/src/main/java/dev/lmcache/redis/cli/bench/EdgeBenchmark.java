package dev.lmcache.redis.cli.bench;

import dev.lmcache.redis.StoreConfig;
import dev.lmcache.redis.edge.EdgeConfig;
import dev.lmcache.redis.edge.EdgeServer;
import dev.lmcache.redis.edge.WriteMode;
import dev.lmcache.redis.edge.bench.LmcacheStyleClient;
import dev.lmcache.redis.embedded.EmbeddedRedis;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * {@code bench edge}: LMCache's way of talking RESP ({@link LmcacheStyleClient}: N blocking
 * connections, one key per round trip each) straight to Redis, against the same client through
 * the edge (write through, write behind, with the memory tier), at an emulated round trip to
 * Redis; and the edge's own cost on loopback. Prints one row per chunk profile and path with the
 * median and range of interleaved repetitions. Starts its own embedded Redis (behind a delay
 * proxy when the RTT is not 0).
 */
public final class EdgeBenchmark {

    /** A batch shape: {@code count} chunks of {@code bytes} each. */
    public record Profile(int count, int bytes) {
        public Profile {
            if (count < 1 || bytes < 1) {
                throw new IllegalArgumentException("a profile needs at least one chunk of at least one byte, got " + count + " x " + bytes);
            }
        }

        /** As printed in the table: {@code 100 x 2 KiB}. */
        @Override
        public String toString() {
            return count + " x " + human(bytes);
        }
    }

    /** What a path is: Redis directly, or the edge in one of its modes. */
    public enum Path {
        DIRECT("direct"), THROUGH("edge through"), BEHIND("edge behind"), MEMORY("edge +memory");

        final String label;

        Path(String label) {
            this.label = label;
        }

        /** Parses direct, through, behind or memory. */
        public static Path parse(String s) {
            for (Path p : values()) {
                if (p.name().equalsIgnoreCase(s.trim())) {
                    return p;
                }
            }
            throw new IllegalArgumentException("path '" + s + "' is not known; expected direct, through, behind or memory");
        }
    }

    /**
     * The benchmark's settings.
     *
     * @param rttMillis emulated round trip to Redis (0: loopback only)
     * @param workers client connections (LMCache's default is 8)
     * @param profiles chunk profiles to measure
     * @param paths paths to measure at the emulated RTT
     * @param reps repetitions of every (profile, path), interleaved
     * @param loopback also measure direct and edge-through on loopback (the edge's own overhead)
     */
    public record Options(double rttMillis, int workers, List<Profile> profiles, List<Path> paths, int reps, boolean loopback) {
        public Options {
            if (rttMillis < 0 || rttMillis > 1000) {
                throw new IllegalArgumentException("--rtt-ms must be 0..1000, got " + rttMillis);
            }
            if (workers < 1 || workers > 256) {
                throw new IllegalArgumentException("--workers must be 1..256, got " + workers);
            }
            if (reps < 1 || reps > 100) {
                throw new IllegalArgumentException("--reps must be 1..100, got " + reps);
            }
            profiles = List.copyOf(profiles);
            paths = List.copyOf(paths);
        }
    }

    /** One measured (profile, path, rtt): times in milliseconds per repetition. */
    public record Row(Profile profile, String path, double rttMillis, double[] setMs, double[] getMs, double[] existsMs) {
    }

    private EdgeBenchmark() {
    }

    /** Runs the benchmark, printing progress and the table to {@code out}; returns the rows. */
    public static List<Row> run(Options o, PrintWriter out) throws IOException {
        List<Row> rows = new ArrayList<>();
        if (o.rttMillis() > 0) {
            rows.addAll(measure(o, o.rttMillis(), o.paths(), out));
        }
        if (o.loopback() || o.rttMillis() == 0) {
            rows.addAll(measure(o, 0, List.of(Path.DIRECT, Path.THROUGH), out));
        }
        print(rows, o, out);
        return rows;
    }

    private static List<Row> measure(Options o, double rtt, List<Path> paths, PrintWriter out) throws IOException {
        EmbeddedRedis.Builder b = EmbeddedRedis.builder();
        if (rtt > 0) {
            b.oneWayDelay(Duration.ofNanos((long) (rtt * 1e6 / 2)));
        }
        List<Row> rows = new ArrayList<>();
        try (EmbeddedRedis redis = b.start()) {
            for (Profile p : o.profiles()) {
                double[][][] t = new double[paths.size()][3][o.reps()];
                for (int rep = 0; rep < o.reps(); rep++) {
                    for (int pi = 0; pi < paths.size(); pi++) {
                        double[] r = once(redis, paths.get(pi), p, o.workers(), "r" + rep + "-" + paths.get(pi).name() + "-");
                        for (int k = 0; k < 3; k++) {
                            t[pi][k][rep] = r[k];
                        }
                        out.printf(Locale.ROOT, "  rtt %.1f ms  %-12s %-14s rep %d: SET %.1f ms, GET %.1f ms, EXISTS %.1f ms%n",
                                rtt, p, paths.get(pi).label, rep + 1, r[0], r[1], r[2]);
                        out.flush();
                    }
                }
                for (int pi = 0; pi < paths.size(); pi++) {
                    rows.add(new Row(p, paths.get(pi).label, rtt, t[pi][0], t[pi][1], t[pi][2]));
                }
            }
        }
        return rows;
    }

    /** One SET, GET, EXISTS of the whole profile on one path; every GET byte is checked. */
    private static double[] once(EmbeddedRedis redis, Path path, Profile p, int workers, String prefix) throws IOException {
        List<byte[]> keys = new ArrayList<>();
        List<ByteBuffer> values = new ArrayList<>();
        List<ByteBuffer> into = new ArrayList<>();
        Random random = new Random(p.count() * 31L + p.bytes());
        for (int i = 0; i < p.count(); i++) {
            keys.add(("bench@01000100@0@" + prefix + String.format("%056x", random.nextLong())).getBytes(StandardCharsets.UTF_8));
            byte[] v = new byte[p.bytes()];
            random.nextBytes(v);
            values.add(ByteBuffer.wrap(v));
            into.add(ByteBuffer.allocate(p.bytes()));
        }
        EdgeServer edge = null;
        String host = redis.host();
        int port = redis.clientPort();
        try {
            if (path != Path.DIRECT) {
                long total = (long) p.count() * p.bytes();
                EdgeConfig.Builder c = EdgeConfig.builder().listen("127.0.0.1", 0).chunkBytes(p.bytes());
                if (path == Path.BEHIND) {
                    c.writeMode(WriteMode.BEHIND).writeQueueBytes(Math.max(total, 1));
                } else if (path == Path.MEMORY) {
                    c.memoryBytes(total * 2 + (1 << 20));
                }
                edge = EdgeServer.start(c.build(), StoreConfig.fromUrl(redis.url()));
                host = "127.0.0.1";
                port = edge.port();
            }
            try (LmcacheStyleClient client = LmcacheStyleClient.connect(host, port, workers, p.bytes(), null, null, 60_000)) {
                long t0 = System.nanoTime();
                boolean[] set = client.set(keys, values);
                long t1 = System.nanoTime();
                boolean[] get = client.get(keys, into);
                long t2 = System.nanoTime();
                int[] exists = client.exists(keys);
                long t3 = System.nanoTime();
                for (int i = 0; i < p.count(); i++) {
                    if (!set[i] || !get[i] || exists[i] != 1 || !into.get(i).equals(values.get(i))) {
                        throw new IllegalStateException(path.label + ": chunk " + i + " did not round-trip (set " + set[i]
                                + ", get " + get[i] + ", exists " + exists[i] + ")");
                    }
                }
                client.delete(keys);
                return new double[] {(t1 - t0) / 1e6, (t2 - t1) / 1e6, (t3 - t2) / 1e6};
            }
        } finally {
            if (edge != null) {
                edge.close();
            }
        }
    }

    private static void print(List<Row> rows, Options o, PrintWriter out) {
        out.println();
        out.printf(Locale.ROOT, "LMCache-style client, %d connections, one key per round trip; median [min-max] of %d interleaved reps%n",
                o.workers(), o.reps());
        out.printf(Locale.ROOT, "%-8s %-14s %-14s %-30s %-30s %-22s%n", "rtt", "chunks", "path", "SET ms (MB/s)", "GET ms (MB/s)", "EXISTS ms");
        for (Row r : rows) {
            long bytes = (long) r.profile().count() * r.profile().bytes();
            out.printf(Locale.ROOT, "%-8s %-14s %-14s %-30s %-30s %-22s%n", fmt(r.rttMillis()) + " ms", r.profile(), r.path(),
                    cell(r.setMs(), bytes), cell(r.getMs(), bytes), cell(r.existsMs(), 0));
        }
        out.flush();
    }

    private static String cell(double[] ms, long bytes) {
        double[] s = ms.clone();
        Arrays.sort(s);
        double med = s[s.length / 2];
        String t = String.format(Locale.ROOT, "%s [%s-%s]", fmt(med), fmt(s[0]), fmt(s[s.length - 1]));
        return bytes == 0 ? t : t + String.format(Locale.ROOT, " (%.0f)", bytes / 1e6 / (med / 1e3));
    }

    private static String fmt(double v) {
        return v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }

    static String human(long bytes) {
        if (bytes % (1 << 20) == 0) {
            return (bytes >> 20) + " MiB";
        }
        if (bytes % 1024 == 0) {
            return (bytes >> 10) + " KiB";
        }
        return bytes + " B";
    }
}
