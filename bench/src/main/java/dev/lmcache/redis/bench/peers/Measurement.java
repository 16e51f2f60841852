package dev.lmcache.redis.bench.peers;

import java.util.ArrayList;
import java.util.List;

/**
 * The repetitions of one figure (one peer, one operation, one workload on one server), with
 * the integrity counters of the reads behind it. Thread-safe for the counters; repetitions are
 * added by the one thread that runs a workload.
 */
final class Measurement {
    final String workload;
    final String target;
    final String op;
    final String peer;
    final boolean store;
    /** The server's ceiling (a minimal reader), not a peer: never the best peer of a comparison. */
    final boolean ceiling;
    final String unit;
    final boolean higherIsBetter;
    /** The round trip the figure is divided by in the {@code per RTT} column, ms; 0 for none. */
    volatile double rttMs;
    private final List<Double> reps = new ArrayList<>();
    private long valuesChecked;
    private long mismatches;
    private long misses;
    private long errors;
    private String firstError;
    /** Minor page faults of the server during the recorded repetitions; -1 when not known. */
    private long serverFaults = -1;
    /** CPU time of the server's threads, of this process, and wall time, summed over the recorded repetitions (ns); -1: not known. */
    private long serverCpuNanos = -1;
    private long clientCpuNanos = -1;
    private long cpuWallNanos;
    private long cpuBytes;

    Measurement(String workload, String target, String op, Peer peer, String unit, boolean higherIsBetter, double rttMs) {
        this.workload = workload;
        this.target = target;
        this.op = op;
        this.peer = peer.name();
        this.store = peer.isStore();
        this.ceiling = peer.isCeiling();
        this.unit = unit;
        this.higherIsBetter = higherIsBetter;
        this.rttMs = rttMs;
    }

    synchronized void add(double value) {
        reps.add(value);
    }

    /** Records the check of {@code checked} values read: {@code misses} absent, {@code mismatches} with other bytes. */
    synchronized void checked(long checked, long misses, long mismatches) {
        this.valuesChecked += checked;
        this.misses += misses;
        this.mismatches += mismatches;
    }

    synchronized void error(Throwable e) {
        errors++;
        if (firstError == null) {
            Throwable t = e;
            while (t.getCause() != null && (t instanceof java.util.concurrent.CompletionException
                    || t instanceof java.util.concurrent.ExecutionException)) {
                t = t.getCause();
            }
            firstError = t.getClass().getSimpleName() + ": " + t.getMessage();
        }
    }

    /** Adds the server's minor page faults during one recorded repetition. */
    synchronized void serverFaults(long faults) {
        serverFaults = Math.max(0, serverFaults) + faults;
    }

    /**
     * Adds one recorded repetition's CPU time: the server's threads and this JVM's (-1 where not
     * known) during {@code wallNanos} of the operation, which moved {@code bytes} of values.
     */
    synchronized void cpu(long serverNanos, long clientNanos, long wallNanos, long bytes) {
        cpuBytes += bytes;
        if (serverNanos >= 0) {
            serverCpuNanos = Math.max(0, serverCpuNanos) + serverNanos;
        }
        if (clientNanos >= 0) {
            clientCpuNanos = Math.max(0, clientCpuNanos) + clientNanos;
        }
        cpuWallNanos += wallNanos;
    }

    /** The server's CPU time per 10^9 bytes of values moved, ms (recorded repetitions); NaN if not measured. */
    synchronized double serverCpuMsPerGb() {
        return serverCpuNanos < 0 || cpuBytes == 0 ? Double.NaN : serverCpuNanos / 1e6 / (cpuBytes / 1e9);
    }

    /** The CPU time of this JVM's Java threads (not GC, not JIT) per 10^9 bytes of values moved, ms; NaN if not measured. */
    synchronized double clientCpuMsPerGb() {
        return clientCpuNanos < 0 || cpuBytes == 0 ? Double.NaN : clientCpuNanos / 1e6 / (cpuBytes / 1e9);
    }

    /** The server's CPU time over the operation's wall time, all recorded repetitions (1.0 = one core busy); NaN if not measured. */
    synchronized double serverCpuShare() {
        return serverCpuNanos < 0 || cpuWallNanos == 0 ? Double.NaN : (double) serverCpuNanos / cpuWallNanos;
    }

    /** The CPU time of this JVM's Java threads (not GC, not JIT) over the operation's wall time; NaN if not measured. */
    synchronized double clientCpuShare() {
        return clientCpuNanos < 0 || cpuWallNanos == 0 ? Double.NaN : (double) clientCpuNanos / cpuWallNanos;
    }

    /** The server's minor page faults during the recorded repetitions, -1 if not measured. */
    synchronized long serverFaults() {
        return serverFaults;
    }

    synchronized List<Double> reps() {
        return List.copyOf(reps);
    }

    synchronized double median() {
        if (reps.isEmpty()) {
            return Double.NaN;
        }
        List<Double> s = new ArrayList<>(reps);
        s.sort(null);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    synchronized double min() {
        return reps.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    synchronized double max() {
        return reps.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    synchronized long valuesChecked() {
        return valuesChecked;
    }

    synchronized long mismatches() {
        return mismatches;
    }

    synchronized long misses() {
        return misses;
    }

    synchronized long errors() {
        return errors;
    }

    synchronized String firstError() {
        return firstError;
    }

    /** True if every read was present and byte-identical and no call failed. */
    synchronized boolean clean() {
        return mismatches == 0 && misses == 0 && errors == 0;
    }

    /** Whether {@code a} is a better figure than {@code b} in this measurement's direction. */
    boolean better(double a, double b) {
        return higherIsBetter ? a > b : a < b;
    }
}
