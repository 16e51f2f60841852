package dev.lmcache.redis.bench.peers;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** One workload of the comparison, run on one server against every peer in turn. */
interface Workload {

    /**
     * The workload's letter in the table and in {@code --workloads} (a, b, c, d), or for
     * workload e the letter and the value size ({@code e-1MiB}).
     */
    String id();

    /** What it does, for the report. */
    String title();

    /** Whether the workload runs through the emulated round trip (workload a) or on loopback. */
    default boolean overEmulatedRtt() {
        return false;
    }

    /** True for the large-value workloads (b, e), which measure the server's ceiling beside the peers. */
    default boolean hasCeiling() {
        return false;
    }

    /** True for workloads of one value per call (the single-call peers apply), false for batches. */
    default boolean singleValueCalls() {
        return false;
    }

    /**
     * Runs every repetition against every peer, interleaved (repetition r starts at peer r and
     * goes round, so no peer always runs first or right after the same neighbour), and records
     * the figures and the checks of every value read in {@code results}; prints a dot per repetition
     * to {@code progress}.
     */
    void run(Server server, List<Peer> peers, Results results, PrintStream progress);

    /** {@code list} rotated left by {@code by}: the peers' order in repetition {@code by}. */
    static <T> List<T> rotated(List<T> list, int by) {
        List<T> out = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            out.add(list.get((i + by) % list.size()));
        }
        return out;
    }
}
