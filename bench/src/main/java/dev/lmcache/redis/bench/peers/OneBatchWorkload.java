package dev.lmcache.redis.bench.peers;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Workloads a, b and e: one caller, one batched write of N values and then one batched read of
 * them, timed separately. Workload a is latency-bound (100 x 2 KiB through an emulated round
 * trip; ms, and ms divided by the measured PING round trip), workloads b (16 x 32 MiB) and e
 * (64 x 1 MiB, 64 x 8 MiB) bandwidth-bound on loopback: payload GB/s, 10^9 bytes per second,
 * with the CPU time of the server and of this JVM's Java threads during each operation.
 */
final class OneBatchWorkload implements Workload {
    private final String id;
    private final String title;
    private final int count;
    private final int size;
    private final int reps;
    private final int warmup;
    private final boolean latency;

    private OneBatchWorkload(String id, String title, int count, int size, int reps, int warmup, boolean latency) {
        this.id = id;
        this.title = title;
        this.count = count;
        this.size = size;
        this.reps = reps;
        this.warmup = warmup;
        this.latency = latency;
    }

    /** Workload a: {@code --batch} values of {@code --value-bytes}, ms per batch. */
    static OneBatchWorkload latency(BenchOptions o) {
        return new OneBatchWorkload("a", String.format(Locale.ROOT, "%d x %s, one batched write then read", o.batch,
                bytes(o.valueBytes)), o.batch, o.valueBytes, o.reps, o.warmupFor("a"), true);
    }

    /** Workload b: {@code --large-chunks} values of {@code --large-bytes}, GB/s. */
    static OneBatchWorkload large(BenchOptions o) {
        return new OneBatchWorkload("b", String.format(Locale.ROOT, "%d x %s, one batched put then get", o.largeChunks,
                bytes(o.largeBytes)), o.largeChunks, o.largeBytes, o.reps, o.warmupFor("b"), false);
    }

    /**
     * Workload e: for each of {@code --mid-bytes}, {@code --mid-chunks} values of that size, GB/s;
     * one workload per size, named {@code e-1MiB}, {@code e-8MiB} and so on.
     */
    static List<OneBatchWorkload> midSized(BenchOptions o) {
        List<OneBatchWorkload> out = new ArrayList<>();
        for (int size : o.midBytes) {
            out.add(new OneBatchWorkload("e-" + bytes(size).replace(" ", ""), String.format(Locale.ROOT,
                    "%d x %s, one batched put then get", o.midChunks, bytes(size)), o.midChunks, size, o.reps,
                    o.warmupFor("e"), false));
        }
        return out;
    }

    static String bytes(long n) {
        if (n % (1 << 20) == 0) {
            return (n >> 20) + " MiB";
        }
        return n % 1024 == 0 ? (n >> 10) + " KiB" : n + " B";
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public boolean hasCeiling() {
        return !latency;
    }

    @Override
    public boolean overEmulatedRtt() {
        return latency;
    }

    @Override
    public void run(Server server, List<Peer> peers, Results results, PrintStream progress) {
        // the round trip: best of 5 PINGs before and again after the repetitions (the first
        // client is cold too), the better of the two
        double rttMs = server.pingRttNanos() / 1e6;
        results.server(id, server, rttMs);
        Payloads payloads = new Payloads(count, size, id.hashCode());
        List<Payloads.Value> values = payloads.range(0, count);
        Map<Peer, List<BenchKey>> keys = new HashMap<>();
        for (Peer p : peers) {
            // Large values share key names across peers, so the server keeps one set of 512 MiB
            // (overwritten in place, its memory reused) rather than one per peer; the stamp
            // still tells each peer's values apart.
            String namespace = latency ? "peerbench/" + id + "/" + p.name() : "peerbench/" + id;
            List<BenchKey> k = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                k.add(BenchKey.of(namespace, i));
            }
            keys.put(p, k);
            p.prepare(1);
        }
        String writeOp = latency ? "write" : "put";
        String readOp = latency ? "read" : "get";
        String unit = latency ? "ms" : "GB/s";
        try {
            for (int r = 0; r < warmup + reps; r++) {
                for (Peer p : Workload.rotated(peers, r)) {
                    payloads.stamp(peers.indexOf(p), r);
                    if (!latency) {
                        System.gc(); // the previous peer's garbage (512 MiB of reads) is not this peer's cost
                    }
                    Measurement write = results.measurement(id, server, writeOp, p, unit, !latency, 0);
                    Measurement read = results.measurement(id, server, readOp, p, unit, !latency, 0);
                    OptionalLong f0 = latency ? OptionalLong.empty() : server.serverMinorFaults();
                    OptionalLong s0 = latency ? OptionalLong.empty() : server.serverCpuNanos();
                    long c0 = latency ? -1 : javaThreadsCpuNanos();
                    long t0 = System.nanoTime();
                    try {
                        p.batchedPut(0, keys.get(p), values).join();
                    } catch (RuntimeException e) {
                        write.error(e);
                        continue;
                    }
                    long t1 = System.nanoTime();
                    long c1 = latency ? -1 : javaThreadsCpuNanos();
                    OptionalLong s1 = latency ? OptionalLong.empty() : server.serverCpuNanos();
                    OptionalLong f1 = latency ? OptionalLong.empty() : server.serverMinorFaults();
                    List<ByteBuffer> got;
                    try {
                        got = p.batchedGet(0, keys.get(p)).join();
                    } catch (RuntimeException e) {
                        read.error(e);
                        continue;
                    }
                    long t2 = System.nanoTime();
                    long c2 = latency ? -1 : javaThreadsCpuNanos();
                    OptionalLong s2 = latency ? OptionalLong.empty() : server.serverCpuNanos();
                    OptionalLong f2 = latency ? OptionalLong.empty() : server.serverMinorFaults();
                    long misses = got.stream().filter(b -> b == null).count();
                    read.checked(got.size(), misses, payloads.mismatches(0, got) - misses);
                    p.release(got);
                    if (r >= warmup) {
                        write.add(figure(t1 - t0));
                        read.add(figure(t2 - t1));
                        if (!latency) {
                            long bytes = (long) count * size;
                            // a Java thread that ended in between takes its CPU time with it: never below 0
                            write.cpu(delta(s0, s1), c0 < 0 || c1 < 0 ? -1 : Math.max(0, c1 - c0), t1 - t0, bytes);
                            read.cpu(delta(s1, s2), c1 < 0 || c2 < 0 ? -1 : Math.max(0, c2 - c1), t2 - t1, bytes);
                        }
                        if (f0.isPresent() && f1.isPresent() && f2.isPresent()) {
                            write.serverFaults(f1.getAsLong() - f0.getAsLong());
                            read.serverFaults(f2.getAsLong() - f1.getAsLong());
                        }
                    }
                }
                if (r >= warmup) {
                    progress.print(".");
                    progress.flush();
                }
            }
            progress.println();
            if (!latency) {
                noteServerFaults(server, peers, results);
            }
            rttMs = Math.min(rttMs, server.pingRttNanos() / 1e6);
            if (latency) {
                results.rtt(id, server, rttMs);
            } else {
                results.server(id, server, rttMs);
            }
        } finally {
            for (Peer p : peers) {
                try {
                    p.delete(keys.get(p));
                } catch (RuntimeException e) {
                    System.err.println("warning: could not delete " + p.name() + "'s keys: " + e);
                }
            }
        }
    }

    /**
     * Says how much fresh memory the server faulted in per repetition, per peer and operation:
     * a server that reuses its pages shows none, and faults in the measured time would make a
     * peer pay for the server's memory rather than its own work.
     */
    private void noteServerFaults(Server server, List<Peer> peers, Results results) {
        StringBuilder sb = new StringBuilder();
        for (Measurement m : results.all()) {
            if (m.workload.equals(id) && m.target.equals(server.name()) && m.serverFaults() >= 0 && !m.reps().isEmpty()) {
                double mib = m.serverFaults() * 4096.0 / (1 << 20) / m.reps().size();
                sb.append(sb.length() == 0 ? "" : ", ").append(m.peer).append(' ').append(m.op)
                        .append(String.format(Locale.ROOT, " %.0f", mib));
            }
        }
        if (sb.length() > 0) {
            results.note("workload " + id + " on " + server.name() + ": MiB of fresh pages the redis-server process(es) faulted in"
                    + " per repetition (" + String.format(Locale.ROOT, "%.0f", (double) count * size / (1 << 20))
                    + " MiB written or read each): " + sb);
        }
    }

    private static long delta(OptionalLong from, OptionalLong to) {
        return from.isPresent() && to.isPresent() ? to.getAsLong() - from.getAsLong() : -1;
    }

    /**
     * The CPU time of this JVM's live Java threads so far, ns (the clients' callers, event loops and
     * readers; not the garbage collector's or the JIT compiler's threads, whose work in a
     * repetition depends on what ran before it); -1 where the JVM does not measure thread CPU.
     */
    private static long javaThreadsCpuNanos() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        if (!threads.isThreadCpuTimeSupported() || !threads.isThreadCpuTimeEnabled()) {
            return -1;
        }
        long sum = 0;
        for (long id : threads.getAllThreadIds()) {
            long t = threads.getThreadCpuTime(id);
            if (t > 0) {
                sum += t;
            }
        }
        return sum;
    }

    private double figure(long nanos) {
        return latency ? nanos / 1e6 : (double) count * size / nanos;
    }
}
