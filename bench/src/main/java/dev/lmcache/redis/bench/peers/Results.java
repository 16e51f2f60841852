package dev.lmcache.redis.bench.peers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything one run measured, in the order measured, plus the servers and the notes (peers
 * skipped and why). {@link #summary()} compares, for each operation of each workload on each
 * server, the store's {@code single} layout (and its {@code lmcache} layout) with the best of
 * the other peers, and with the server's ceiling where it was measured (never a "best peer").
 */
final class Results {
    private final Map<String, Measurement> measurements = new LinkedHashMap<>();
    private final Map<String, Map<String, Object>> servers = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();

    /**
     * One comparison row: the best non-store peer against the store, and the server's ceiling
     * (null where not measured), which is never the best peer.
     */
    record Comparison(String workload, String target, String op, String unit, boolean higherIsBetter,
                      Measurement bestPeer, Measurement store, Measurement storeLmcache, Measurement ceiling) {
        /** The store's median divided by the best peer's (below 1 is better for times, above 1 for rates). */
        double ratio() {
            return store.median() / bestPeer.median();
        }

        /** The store's median divided by the ceiling's (NaN without a ceiling): 1 is all the server can do. */
        double ceilingRatio() {
            return ceiling == null ? Double.NaN : store.median() / ceiling.median();
        }

        /** True if the store's median is at least as good as the best peer's. */
        boolean storeAhead() {
            return !bestPeer.better(bestPeer.median(), store.median());
        }
    }

    /** The measurement for this key, made on first use. */
    synchronized Measurement measurement(String workload, Server server, String op, Peer peer, String unit,
                                         boolean higherIsBetter, double rttMs) {
        String key = workload + "|" + server.name() + "|" + op + "|" + peer.name();
        return measurements.computeIfAbsent(key,
                k -> new Measurement(workload, server.name(), op, peer, unit, higherIsBetter, rttMs));
    }

    synchronized void server(String workload, Server server, double pingRttMs) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("workload", workload);
        m.put("target", server.name());
        m.put("description", server.description());
        m.put("emulated_rtt_ms", server.emulatedRttMs());
        m.put("ping_rtt_ms", Report.round(pingRttMs, 3));
        servers.put(workload + "|" + server.name(), m);
    }

    /** Sets the round trip of a latency workload's figures on this server, once it is known. */
    synchronized void rtt(String workload, Server server, double pingRttMs) {
        for (Measurement m : measurements.values()) {
            if (m.workload.equals(workload) && m.target.equals(server.name())) {
                m.rttMs = pingRttMs;
            }
        }
        server(workload, server, pingRttMs);
    }

    synchronized void note(String note) {
        if (!notes.contains(note)) {
            notes.add(note);
        }
    }

    synchronized List<Measurement> all() {
        return List.copyOf(measurements.values());
    }

    synchronized List<Map<String, Object>> servers() {
        return List.copyOf(servers.values());
    }

    synchronized List<String> notes() {
        return List.copyOf(notes);
    }

    /** True if no read anywhere missed or mismatched and no call failed. */
    boolean clean() {
        return all().stream().allMatch(Measurement::clean);
    }

    /** One row per workload, server and operation that has both a store figure and a peer figure. */
    List<Comparison> summary() {
        Map<String, List<Measurement>> groups = new LinkedHashMap<>();
        for (Measurement m : all()) {
            groups.computeIfAbsent(m.workload + "|" + m.target + "|" + m.op, k -> new ArrayList<>()).add(m);
        }
        List<Comparison> rows = new ArrayList<>();
        for (List<Measurement> g : groups.values()) {
            Optional<Measurement> best = g.stream().filter(m -> !m.store && !m.ceiling && !m.reps().isEmpty())
                    .reduce((a, b) -> a.better(b.median(), a.median()) ? b : a);
            Optional<Measurement> store = g.stream().filter(m -> m.peer.equals("store-single") && !m.reps().isEmpty()).findFirst();
            Measurement lmcache = g.stream().filter(m -> m.peer.equals("store-lmcache") && !m.reps().isEmpty()).findFirst().orElse(null);
            Measurement ceiling = g.stream().filter(m -> m.ceiling && !m.reps().isEmpty()).findFirst().orElse(null);
            if (best.isPresent() && store.isPresent()) {
                Measurement s = store.get();
                rows.add(new Comparison(s.workload, s.target, s.op, s.unit, s.higherIsBetter, best.get(), s, lmcache, ceiling));
            }
        }
        return rows;
    }
}
