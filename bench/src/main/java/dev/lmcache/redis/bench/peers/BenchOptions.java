package dev.lmcache.redis.bench.peers;

import dev.lmcache.redis.ByteSize;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * PeerBench's command line. Every option has a default that reproduces the workloads;
 * a bad option fails with a {@link UsageException} naming it and the accepted form.
 */
final class BenchOptions {
    static final String USAGE = """
            Usage: java -cp bench/target/benchmarks.jar dev.lmcache.redis.bench.peers.PeerBench [options]

            The store against plain Lettuce and Jedis on the same servers: same workloads, repetitions
            interleaved across peers, every value read checked byte for byte.

            Workloads (--workloads, default a,b,c,d,e):
              a | latency   one batched write then read of --batch values of --value-bytes, through an
                            emulated --rtt-ms round trip (embedded servers), standalone and 3-master cluster
              b | large     --large-chunks values of --large-bytes, one batched put then get, loopback (GB/s)
              c | batched   --callers concurrent callers, each a batch of --call-batch values per call, SET
                            then GET for --duration seconds each (values/s)
              d | single    as c with one value per call
              e | mid       for each of --mid-bytes, --mid-chunks values of that size, one batched put then
                            get, loopback (GB/s): chunks of TP-8 and of small models
            Targets:
              --targets standalone,cluster   embedded servers to start (default: a on both, b-d standalone)
              --url URL                      your own server instead (repeatable): redis://[user:pass@]host:port[/db],
                                             rediss://..., redis-cluster://h1:p1,h2:p2, rediss-cluster://...
              --rtt-ms D                     emulated round trip of the embedded servers for workload a (default 10; 0: none)
            Repetitions:
              --reps N (5)                   workloads a and b: measured repetitions per peer
              --warmup N                     unrecorded repetitions per peer first (default: a 100, so that every
                                             client's code is compiled by the JIT as in a long-running process; b 1;
                                             c and d: N > 0 runs one unrecorded 1 s SET and GET phase per peer)
              --phase-reps N (3)             workloads c and d: repetitions of each peer's SET and GET phases
              --duration S (3)               workloads c and d: seconds per phase
            Sizes:
              --batch N (100) --value-bytes B (2k)        workload a (B also for c and d)
              --large-chunks N (16) --large-bytes B (32m) workload b
              --mid-chunks N (64) --mid-bytes B,... (1m,8m) workload e
              --callers C (64) --call-batch N (64) --keys K (10000)   workloads c and d (d: one value per call)
            Other:
              --peers P,...   only these peers (store-single, store-lmcache, lettuce-pipeline, lettuce-mset,
                              lettuce, jedis-pipeline, jedis-mset, jedis, ceiling); default: all that apply.
                              ceiling (workloads b and e, standalone over TCP): not a client but the server's
                              ceiling, a minimal raw-socket reader on one connection; never the "best peer"
              --json FILE     also write the results as JSON
              --help

            Exit status: 0 when every value read matched, 1 when any was missing or wrong or a call failed,
            2 for a usage error. Run with -Xmx4g for workloads b and e (sources, reads and the peers' copies of 512 MiB).
            """;

    /** The workloads, by letter. */
    static final Map<String, String> WORKLOADS = Map.of("latency", "a", "large", "b", "batched", "c", "single", "d",
            "mid", "e");

    Set<String> workloads = new LinkedHashSet<>(List.of("a", "b", "c", "d", "e"));
    List<String> targets;
    List<String> urls = new ArrayList<>();
    double rttMs = 10;
    int reps = 5;
    /** Null: each workload's own default (see {@link #warmupFor}). */
    Integer warmup;
    int phaseReps = 3;
    double durationSeconds = 3;
    int batch = 100;
    int valueBytes = 2048;
    int largeChunks = 16;
    int largeBytes = 32 << 20;
    int midChunks = 64;
    List<Integer> midBytes = List.of(1 << 20, 8 << 20);
    int callers = 64;
    int callBatch = 64;
    int keys = 10_000;
    Set<String> peers;
    Path json;
    boolean help;

    /** Thrown for a bad command line; the message names the option and what is accepted. */
    static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    static BenchOptions parse(String... args) {
        BenchOptions o = new BenchOptions();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String name = a;
            String value = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                name = a.substring(0, eq);
                value = a.substring(eq + 1);
            }
            if (name.equals("--help") || name.equals("-h")) {
                o.help = true;
                continue;
            }
            if (value == null) {
                if (i + 1 >= args.length) {
                    throw new UsageException(name + " needs a value (see --help)");
                }
                value = args[++i];
            }
            switch (name) {
                case "--workloads" -> o.workloads = workloads(value);
                case "--targets" -> o.targets = list(name, value, Set.of("standalone", "cluster"));
                case "--url" -> o.urls.add(value);
                case "--rtt-ms" -> o.rttMs = number(name, value, 0, 10_000);
                case "--reps" -> o.reps = count(name, value, 1, 1_000_000);
                case "--warmup" -> o.warmup = count(name, value, 0, 1_000_000);
                case "--phase-reps" -> o.phaseReps = count(name, value, 1, 1_000_000);
                case "--duration" -> o.durationSeconds = number(name, value, 0.01, 86_400);
                case "--batch" -> o.batch = count(name, value, 1, 1_000_000);
                case "--value-bytes" -> o.valueBytes = size(name, value, 1, 512 << 20);
                case "--large-chunks" -> o.largeChunks = count(name, value, 1, 4096);
                case "--large-bytes" -> o.largeBytes = size(name, value, 1, 512 << 20);
                case "--mid-chunks" -> o.midChunks = count(name, value, 1, 4096);
                case "--mid-bytes" -> o.midBytes = sizes(name, value, 1, 512 << 20);
                case "--callers" -> o.callers = count(name, value, 1, 10_000);
                case "--call-batch" -> o.callBatch = count(name, value, 1, 1_000_000);
                case "--keys" -> o.keys = count(name, value, 1, 100_000_000);
                case "--peers" -> o.peers = new LinkedHashSet<>(list(name, value, Set.copyOf(PeerBench.PEER_NAMES)));
                case "--json" -> o.json = Path.of(value);
                default -> throw new UsageException("unknown option " + name + " (see --help)");
            }
        }
        if (o.keys < o.callBatch) {
            throw new UsageException("--keys must be at least --call-batch (" + o.callBatch + "), was " + o.keys);
        }
        if (!o.urls.isEmpty() && o.targets != null) {
            throw new UsageException("--targets selects embedded servers; with --url the targets are the URLs given (use one or the other)");
        }
        return o;
    }

    /** The embedded targets of a workload: --targets if given, else both for a and standalone for the others. */
    List<String> targetsFor(String workload) {
        if (targets != null) {
            return targets;
        }
        return workload.equals("a") ? List.of("standalone", "cluster") : List.of("standalone");
    }

    /**
     * Unrecorded repetitions of a workload per peer: --warmup if given, else 100 for a (a batch
     * through the round trip costs little, and the clients' code paths reach the JIT's
     * compile thresholds only after some thousands of values) and 1 for the others.
     */
    int warmupFor(String workload) {
        if (warmup != null) {
            return warmup;
        }
        return workload.equals("a") ? 100 : 1;
    }

    /** The options as given (for the JSON). */
    Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("workloads", List.copyOf(workloads));
        m.put("targets", urls.isEmpty() ? (targets == null ? "default" : targets) : "url");
        m.put("rtt_ms", rttMs);
        m.put("reps", reps);
        m.put("warmup", warmup == null ? "default (a 100, others 1)" : warmup);
        m.put("phase_reps", phaseReps);
        m.put("duration_s", durationSeconds);
        m.put("batch", batch);
        m.put("value_bytes", valueBytes);
        m.put("large_chunks", largeChunks);
        m.put("large_bytes", largeBytes);
        m.put("mid_chunks", midChunks);
        m.put("mid_bytes", midBytes);
        m.put("callers", callers);
        m.put("call_batch", callBatch);
        m.put("keys", keys);
        m.put("peers", peers == null ? "all" : List.copyOf(peers));
        return m;
    }

    private static Set<String> workloads(String value) {
        Set<String> out = new LinkedHashSet<>();
        for (String w : value.split(",")) {
            String s = w.trim().toLowerCase(Locale.ROOT);
            if (WORKLOADS.containsKey(s)) {
                s = WORKLOADS.get(s);
            }
            if (!WORKLOADS.containsValue(s)) {
                throw new UsageException("--workloads: unknown workload '" + w + "'; accepted: a|latency, b|large, c|batched, d|single, e|mid");
            }
            out.add(s);
        }
        return out;
    }

    private static List<String> list(String option, String value, Set<String> accepted) {
        List<String> out = new ArrayList<>();
        for (String p : value.split(",")) {
            String s = p.trim();
            if (!accepted.contains(s)) {
                throw new UsageException(option + ": unknown value '" + s + "'; accepted: " + String.join(", ", new java.util.TreeSet<>(accepted)));
            }
            out.add(s);
        }
        return out;
    }

    private static double number(String option, String value, double min, double max) {
        double v;
        try {
            v = Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new UsageException(option + ": '" + value + "' is not a number; accepted: " + range(min, max));
        }
        if (v < min || v > max || Double.isNaN(v)) {
            throw new UsageException(option + ": " + value + " is out of range; accepted: " + range(min, max));
        }
        return v;
    }

    private static int count(String option, String value, int min, int max) {
        int v;
        try {
            v = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new UsageException(option + ": '" + value + "' is not a whole number; accepted: " + min + " to " + max);
        }
        if (v < min || v > max) {
            throw new UsageException(option + ": " + value + " is out of range; accepted: " + min + " to " + max);
        }
        return v;
    }

    private static String range(double min, double max) {
        return String.format(Locale.ROOT, "%s to %s", trim(min), trim(max));
    }

    private static String trim(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    private static List<Integer> sizes(String option, String value, long min, long max) {
        List<Integer> out = new ArrayList<>();
        for (String v : value.split(",")) {
            int size = size(option, v.trim(), min, max);
            if (!out.contains(size)) {
                out.add(size);
            }
        }
        return List.copyOf(out);
    }

    private static int size(String option, String value, long min, long max) {
        long v;
        try {
            v = ByteSize.parse(value);
        } catch (RuntimeException e) {
            throw new UsageException(option + ": '" + value + "' is not a size; accepted: " + ByteSize.FORMS);
        }
        if (v < min || v > max) {
            throw new UsageException(option + ": " + value + " is out of range; accepted: " + min + " bytes to " + (max >> 20) + " MiB");
        }
        return (int) v;
    }
}
