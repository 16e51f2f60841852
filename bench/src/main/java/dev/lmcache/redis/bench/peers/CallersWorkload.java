package dev.lmcache.redis.bench.peers;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Workloads c and d: many concurrent callers, each looping "one call, wait for it, the next",
 * for a fixed time per phase: first SET (batchedPut), then GET (batchedGet, every value read
 * checked). A call takes {@code batch} consecutive keys from a random start among
 * {@code --keys} (like {@code bench ops}); figures are values per second.
 *
 * <p>Each client is driven the way it is built to be: callers of an async peer (the store,
 * Lettuce) are chains of futures, issuing the next call from the previous one's completion;
 * callers of a blocking peer (Jedis) are threads, one per caller, each holding a pooled
 * connection.
 */
final class CallersWorkload implements Workload {
    private static final int POPULATE_BATCH = 256;

    private final String id;
    private final int batch;
    private final BenchOptions o;
    private final Set<Peer> populated = new HashSet<>();

    private CallersWorkload(String id, int batch, BenchOptions o) {
        this.id = id;
        this.batch = batch;
        this.o = o;
    }

    /** Workload c: {@code --call-batch} values per call. */
    static CallersWorkload batched(BenchOptions o) {
        return new CallersWorkload("c", o.callBatch, o);
    }

    /** Workload d: one value per call. */
    static CallersWorkload single(BenchOptions o) {
        return new CallersWorkload("d", 1, o);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String title() {
        return String.format(Locale.ROOT, "%d callers, %s of %s per call, over %d keys, %.0f s per phase", o.callers,
                batch == 1 ? "one value" : batch + " values", OneBatchWorkload.bytes(o.valueBytes), o.keys, o.durationSeconds);
    }

    @Override
    public boolean singleValueCalls() {
        return batch == 1;
    }

    @Override
    public void run(Server server, List<Peer> peers, Results results, PrintStream progress) {
        results.server(id, server, server.pingRttNanos() / 1e6);
        Payloads payloads = new Payloads(o.keys, o.valueBytes, id.hashCode());
        List<Payloads.Value> values = payloads.range(0, o.keys);
        Map<Peer, List<BenchKey>> keys = new HashMap<>();
        for (Peer p : peers) {
            List<BenchKey> k = new ArrayList<>(o.keys);
            for (int i = 0; i < o.keys; i++) {
                k.add(BenchKey.of("peerbench/" + id + "/" + p.name(), i));
            }
            keys.put(p, k);
        }
        try {
            for (int r = 0; r < o.phaseReps; r++) {
                for (Peer p : Workload.rotated(peers, r)) {
                    // a peer's values always carry its own stamp, so what it reads is what it wrote
                    payloads.stamp(peers.indexOf(p), 0);
                    Measurement set = results.measurement(id, server, "SET", p, "values/s", true, 0);
                    Measurement get = results.measurement(id, server, "GET", p, "values/s", true, 0);
                    p.prepare(o.callers);
                    if (populated.add(p)) {
                        if (!populate(p, keys.get(p), values, set)) {
                            continue;
                        }
                        if (o.warmupFor(id) > 0) {
                            double warm = Math.min(1, o.durationSeconds);
                            phase(p, keys.get(p), values, payloads, false, warm, set);
                            phase(p, keys.get(p), values, payloads, true, warm, get);
                        }
                    }
                    set.add(phase(p, keys.get(p), values, payloads, false, o.durationSeconds, set));
                    get.add(phase(p, keys.get(p), values, payloads, true, o.durationSeconds, get));
                }
                progress.print(".");
                progress.flush();
            }
            progress.println();
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

    /** Writes every key once (not timed), so that GET phases find all of them. */
    private boolean populate(Peer p, List<BenchKey> keys, List<Payloads.Value> values, Measurement set) {
        for (int from = 0; from < keys.size(); from += POPULATE_BATCH) {
            int to = Math.min(keys.size(), from + POPULATE_BATCH);
            try {
                p.batchedPut(0, keys.subList(from, to), values.subList(from, to)).join();
            } catch (RuntimeException e) {
                set.error(e);
                return false;
            }
        }
        return true;
    }

    /** Runs one phase and returns values per second; records checks and failures in {@code m} (warm-ups too). */
    private double phase(Peer p, List<BenchKey> keys, List<Payloads.Value> values, Payloads payloads, boolean read,
                         double seconds, Measurement m) {
        Phase phase = new Phase(p, keys, values, payloads, read, m, System.nanoTime() + (long) (seconds * 1e9));
        long start = System.nanoTime();
        if (p.blocking()) {
            List<Thread> threads = new ArrayList<>();
            for (int c = 0; c < o.callers; c++) {
                int caller = c;
                Thread t = new Thread(() -> phase.blockingCaller(caller), "peerbench-caller-" + c);
                t.setDaemon(true);
                threads.add(t);
                t.start();
            }
        } else {
            for (int c = 0; c < o.callers; c++) {
                phase.asyncCall(c);
            }
        }
        try {
            phase.done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during a phase", e);
        }
        long elapsed = System.nanoTime() - start;
        return phase.valuesDone.get() / (elapsed / 1e9);
    }

    /** The state of one phase: its callers, deadline and counters. */
    private final class Phase {
        final Peer peer;
        final List<BenchKey> keys;
        final List<Payloads.Value> values;
        final Payloads payloads;
        final boolean read;
        final Measurement m;
        final long deadline;
        final CountDownLatch done = new CountDownLatch(o.callers);
        final AtomicLong valuesDone = new AtomicLong();

        Phase(Peer peer, List<BenchKey> keys, List<Payloads.Value> values, Payloads payloads, boolean read, Measurement m,
              long deadline) {
            this.peer = peer;
            this.keys = keys;
            this.values = values;
            this.payloads = payloads;
            this.read = read;
            this.m = m;
            this.deadline = deadline;
        }

        CompletableFuture<?> call(int caller, int start) {
            List<BenchKey> k = keys.subList(start, start + batch);
            if (!read) {
                return peer.batchedPut(caller, k, values.subList(start, start + batch));
            }
            return peer.batchedGet(caller, k).thenAccept(got -> {
                long misses = got.stream().filter(b -> b == null).count();
                long bad = payloads.mismatches(start, got);
                m.checked(got.size(), misses, bad - misses);
                peer.release(got);
            });
        }

        private int randomStart() {
            return ThreadLocalRandom.current().nextInt(keys.size() - batch + 1);
        }

        /** One caller on its own thread: call, wait, repeat until the deadline; stops at its first failure. */
        void blockingCaller(int caller) {
            try {
                while (System.nanoTime() < deadline) {
                    try {
                        call(caller, randomStart()).join();
                        valuesDone.addAndGet(batch);
                    } catch (RuntimeException e) {
                        m.error(e);
                        return;
                    }
                }
            } finally {
                done.countDown();
            }
        }

        /** One caller as a chain of futures: the next call is issued when this one completes. */
        void asyncCall(int caller) {
            if (System.nanoTime() >= deadline) {
                done.countDown();
                return;
            }
            CompletableFuture<?> f;
            try {
                f = call(caller, randomStart());
            } catch (RuntimeException e) {
                f = CompletableFuture.failedFuture(e);
            }
            boolean already = f.isDone();
            f.whenComplete((v, e) -> {
                if (e != null) {
                    m.error(e);
                    done.countDown();
                    return;
                }
                valuesDone.addAndGet(batch);
                if (already) {
                    // completed before we chained on it: continue elsewhere rather than recurse
                    ForkJoinPool.commonPool().execute(() -> asyncCall(caller));
                } else {
                    asyncCall(caller);
                }
            });
        }
    }
}
