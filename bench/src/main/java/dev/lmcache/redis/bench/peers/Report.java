package dev.lmcache.redis.bench.peers;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The output of a run: two Markdown tables (every peer's median and range, then the store
 * against the best other peer) and the same as JSON. Markdown so that the tables paste into a
 * README as they are.
 */
final class Report {
    private Report() {
    }

    /** Prints the per-peer table, the comparison and the notes. */
    static void print(Results results, PrintStream out) {
        out.println();
        out.println("Every peer (median of the repetitions, range = min-max; per RTT = median / PING round trip;"
                + " server / client CPU = CPU time of the redis-server threads / of this JVM's Java threads (not GC or JIT)"
                + " during the operation, ms per GB of values; ceiling = the server's ceiling, not a peer):");
        out.println();
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"workload", "target", "op", "peer", "median", "range", "per RTT", "server CPU ms/GB",
                "client CPU ms/GB", "values checked", "bad"});
        for (Measurement m : results.all()) {
            rows.add(new String[] {m.workload, m.target, m.op, m.peer, value(m.median(), m.unit),
                    value(m.min(), m.unit) + " - " + value(m.max(), m.unit),
                    m.rttMs > 0 ? String.format(Locale.ROOT, "%.2f", m.median() / m.rttMs) : "",
                    perGb(m.serverCpuMsPerGb()), perGb(m.clientCpuMsPerGb()),
                    Long.toString(m.valuesChecked()), bad(m)});
        }
        markdown(rows, out);
        out.println();
        out.println("The store (layout single; lmcache alongside) against the best other peer, medians; for large"
                + " values also against the server's ceiling (a raw-socket reader on one connection, as many as the store's"
                + " data connections; not a peer, so never the best peer):");
        out.println();
        rows = new ArrayList<>();
        rows.add(new String[] {"workload", "target", "op", "best peer", "store-single", "store/best", "store-lmcache",
                "ceiling", "store/ceiling"});
        for (Results.Comparison c : results.summary()) {
            Measurement b = c.bestPeer();
            rows.add(new String[] {c.workload(), c.target(), c.op(),
                    b.peer + " " + value(b.median(), c.unit()) + perRtt(b),
                    value(c.store().median(), c.unit()) + perRtt(c.store()),
                    String.format(Locale.ROOT, "%.2f (%s)", c.ratio(), c.storeAhead() ? "ahead" : "behind"),
                    c.storeLmcache() == null ? "" : value(c.storeLmcache().median(), c.unit()) + perRtt(c.storeLmcache()),
                    c.ceiling() == null ? "" : value(c.ceiling().median(), c.unit()),
                    c.ceiling() == null ? "" : String.format(Locale.ROOT, "%.2f", c.ceilingRatio())});
        }
        markdown(rows, out);
        out.println();
        for (String n : results.notes()) {
            out.println("Note: " + n);
        }
        long bad = results.all().stream().filter(m -> !m.clean()).count();
        if (bad == 0) {
            long checked = results.all().stream().mapToLong(Measurement::valuesChecked).sum();
            out.println("Data verified: all " + checked + " values read matched byte for byte; no call failed.");
        } else {
            out.println("FAILED: " + bad + " figure(s) with missing or wrong values or failed calls:");
            for (Measurement m : results.all()) {
                if (!m.clean()) {
                    out.println("  " + m.workload + " " + m.target + " " + m.op + " " + m.peer + ": " + m.misses() + " missing, "
                            + m.mismatches() + " mismatched, " + m.errors() + " failed calls"
                            + (m.firstError() == null ? "" : " (first: " + m.firstError() + ")"));
                }
            }
        }
    }

    private static String bad(Measurement m) {
        if (m.clean()) {
            return "0";
        }
        return (m.misses() + m.mismatches()) + (m.errors() > 0 ? " + " + m.errors() + " errors" : "");
    }

    private static String perGb(double ms) {
        return Double.isNaN(ms) ? "" : String.format(Locale.ROOT, "%.0f", ms);
    }

    private static String perRtt(Measurement m) {
        return m.rttMs > 0 ? String.format(Locale.ROOT, " (%.2f RTT)", m.median() / m.rttMs) : "";
    }

    /** A figure with its unit: ms with 3 significant digits, GB/s with 2 decimals, values/s in thousands. */
    static String value(double v, String unit) {
        if (Double.isNaN(v)) {
            return "-";
        }
        return switch (unit) {
            case "ms" -> (v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : v >= 10 ? String.format(Locale.ROOT, "%.1f", v)
                    : String.format(Locale.ROOT, "%.2f", v)) + " ms";
            case "GB/s" -> String.format(Locale.ROOT, "%.2f GB/s", v);
            case "values/s" -> String.format(Locale.ROOT, "%.0fk/s", v / 1000);
            default -> String.format(Locale.ROOT, "%.3g %s", v, unit);
        };
    }

    private static void markdown(List<String[]> rows, PrintStream out) {
        int cols = rows.get(0).length;
        int[] width = new int[cols];
        for (String[] r : rows) {
            for (int i = 0; i < cols; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        for (int ri = 0; ri < rows.size(); ri++) {
            StringBuilder sb = new StringBuilder("|");
            for (int i = 0; i < cols; i++) {
                sb.append(' ').append(pad(rows.get(ri)[i], width[i])).append(" |");
            }
            out.println(sb);
            if (ri == 0) {
                StringBuilder sep = new StringBuilder("|");
                for (int i = 0; i < cols; i++) {
                    sep.append('-').append("-".repeat(width[i])).append("-|");
                }
                out.println(sep);
            }
        }
    }

    private static String pad(String s, int w) {
        return s + " ".repeat(w - s.length());
    }

    /** The whole run as JSON: options, servers, every figure with its repetitions, the comparison, notes. */
    static void writeJson(Results results, Map<String, Object> options, Path file) throws IOException {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("tool", "PeerBench");
        root.put("java", System.getProperty("java.version"));
        root.put("cores", Runtime.getRuntime().availableProcessors());
        root.put("options", options);
        root.put("servers", results.servers());
        List<Object> figures = new ArrayList<>();
        for (Measurement m : results.all()) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("workload", m.workload);
            f.put("target", m.target);
            f.put("op", m.op);
            f.put("peer", m.peer);
            f.put("unit", m.unit);
            f.put("better", m.higherIsBetter ? "higher" : "lower");
            f.put("median", round(m.median(), 4));
            f.put("min", round(m.min(), 4));
            f.put("max", round(m.max(), 4));
            f.put("reps", m.reps().stream().map(v -> round(v, 4)).toList());
            if (m.rttMs > 0) {
                f.put("rtt_ms", round(m.rttMs, 3));
                f.put("median_per_rtt", round(m.median() / m.rttMs, 3));
            }
            if (m.ceiling) {
                f.put("ceiling", true);
            }
            if (m.serverFaults() >= 0) {
                f.put("server_minor_faults", m.serverFaults());
            }
            if (!Double.isNaN(m.serverCpuShare())) {
                f.put("server_cpu_share", round(m.serverCpuShare(), 3));
                f.put("server_cpu_ms_per_gb", round(m.serverCpuMsPerGb(), 1));
            }
            if (!Double.isNaN(m.clientCpuShare())) {
                f.put("client_cpu_share", round(m.clientCpuShare(), 3));
                f.put("client_cpu_ms_per_gb", round(m.clientCpuMsPerGb(), 1));
            }
            f.put("values_checked", m.valuesChecked());
            f.put("missing", m.misses());
            f.put("mismatched", m.mismatches());
            f.put("failed_calls", m.errors());
            figures.add(f);
        }
        root.put("figures", figures);
        List<Object> summary = new ArrayList<>();
        for (Results.Comparison c : results.summary()) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("workload", c.workload());
            s.put("target", c.target());
            s.put("op", c.op());
            s.put("unit", c.unit());
            s.put("best_peer", c.bestPeer().peer);
            s.put("best_peer_median", round(c.bestPeer().median(), 4));
            s.put("store_single_median", round(c.store().median(), 4));
            s.put("store_lmcache_median", c.storeLmcache() == null ? null : round(c.storeLmcache().median(), 4));
            s.put("ratio_store_to_best", round(c.ratio(), 4));
            s.put("store_ahead", c.storeAhead());
            if (c.ceiling() != null) {
                s.put("ceiling_median", round(c.ceiling().median(), 4));
                s.put("ratio_store_to_ceiling", round(c.ceilingRatio(), 4));
            }
            summary.add(s);
        }
        root.put("comparison", summary);
        root.put("notes", results.notes());
        root.put("verified", results.clean());
        Files.writeString(file, json(root, "") + "\n", StandardCharsets.UTF_8);
    }

    static double round(double v, int decimals) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return v;
        }
        double f = Math.pow(10, decimals);
        return Math.round(v * f) / f;
    }

    private static String json(Object o, String indent) {
        if (o == null) {
            return "null";
        }
        if (o instanceof String s) {
            return quote(s);
        }
        if (o instanceof Double d) {
            return Double.isNaN(d) || Double.isInfinite(d) ? "null" : (d == Math.rint(d) && Math.abs(d) < 1e15
                    ? Long.toString(d.longValue()) : d.toString());
        }
        if (o instanceof Number || o instanceof Boolean) {
            return o.toString();
        }
        String inner = indent + "  ";
        if (o instanceof Map<?, ?> m) {
            if (m.isEmpty()) {
                return "{}";
            }
            StringBuilder sb = new StringBuilder("{\n");
            int i = 0;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                sb.append(inner).append(quote(String.valueOf(e.getKey()))).append(": ").append(json(e.getValue(), inner));
                sb.append(++i < m.size() ? ",\n" : "\n");
            }
            return sb.append(indent).append('}').toString();
        }
        if (o instanceof List<?> l) {
            if (l.isEmpty()) {
                return "[]";
            }
            boolean flat = l.stream().allMatch(x -> x instanceof Number || x instanceof String);
            StringBuilder sb = new StringBuilder(flat ? "[" : "[\n");
            for (int i = 0; i < l.size(); i++) {
                sb.append(flat ? "" : inner).append(json(l.get(i), inner));
                sb.append(i + 1 < l.size() ? (flat ? ", " : ",\n") : (flat ? "" : "\n"));
            }
            return sb.append(flat ? "" : indent).append(']').toString();
        }
        return quote(o.toString());
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
