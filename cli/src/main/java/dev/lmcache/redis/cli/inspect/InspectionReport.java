package dev.lmcache.redis.cli.inspect;

import dev.lmcache.redis.StoreConfig;
import dev.lmcache.redis.cli.text.Human;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What {@link Inspection#run} found, as {@code inspect} prints it and writes it with {@code --json}. */
public final class InspectionReport {
    private final String target;
    private final StoreConfig config;
    private final String model;
    private final boolean fixOrphans;
    private final Inspection.Report r;

    InspectionReport(String target, StoreConfig config, String modelOrNull, boolean fixOrphans, Inspection.Report r) {
        this.target = target;
        this.config = config;
        this.model = modelOrNull;
        this.fixOrphans = fixOrphans;
        this.r = r;
    }

    /** The table per model, the TTL buckets, the other keys and the orphans. */
    public void print(PrintWriter out) {
        StoreConfig c = config;
        out.println("Inspected " + target + ": " + c.mode().configName() + ", " + r.masters() + " master"
                + (r.masters() == 1 ? "" : "s") + ", layout " + c.keyLayout().configName()
                + c.keyPrefix().map(p -> ", key prefix " + p).orElse("") + (model == null ? "" : ", model " + model));
        out.println("  " + r.scannedKeys() + " keys matched " + r.pattern()
                + (r.databaseKeys() >= 0 ? " (of " + r.databaseKeys() + " in the database)" : "") + " in "
                + Human.millis(r.millis()));
        out.println();
        boolean twoKeys = c.keyLayout().hasMetadataKey();
        int width = Math.max(5, r.models().stream().mapToInt(m -> m.model().length()).max().orElse(0));
        String row = "  %-" + width + "s %10s %12s" + (twoKeys ? " %14s %12s" : "") + "%n";
        out.printf(Locale.ROOT, row, twoKeys ? new Object[] {"model", "chunks", "bytes", "orphan meta", "orphan data"}
                : new Object[] {"model", "chunks", "bytes"});
        for (Inspection.ModelStats m : r.models()) {
            out.printf(Locale.ROOT, row, twoKeys
                    ? new Object[] {m.model(), m.chunks(), Human.bytes(m.bytes()), m.orphanMetadata(), m.orphanData()}
                    : new Object[] {m.model(), m.chunks(), Human.bytes(m.bytes())});
        }
        if (r.models().isEmpty()) {
            out.println("  (no chunks)");
        } else if (r.models().size() > 1) {
            out.printf(Locale.ROOT, row, twoKeys
                    ? new Object[] {"total", r.chunks(), Human.bytes(r.bytes()), r.orphanMetadata(), r.orphanData()}
                    : new Object[] {"total", r.chunks(), Human.bytes(r.bytes())});
        }
        out.println();
        Inspection.TtlBuckets ttl = r.ttl();
        out.println("  TTL of chunks: none " + ttl.none() + ", < 1h " + ttl.underHour() + ", < 1d " + ttl.underDay()
                + ", longer " + ttl.longer());
        out.println("  Other keys (not chunk keys of this layout): " + r.otherKeys());
        if (twoKeys) {
            long orphans = r.orphanMetadata() + r.orphanData();
            String found = "  Orphans: " + r.orphanMetadata() + " metadata without data, " + r.orphanData()
                    + " data without metadata";
            out.println(fixOrphans ? found + "; deleted " + r.orphansDeleted() + " key" + (r.orphansDeleted() == 1 ? "" : "s")
                    : found + (orphans > 0 ? " (--fix-orphans deletes them)" : ""));
        }
        out.flush();
    }

    /** The {@code --json} document: target, mode, layout, the models, totals, TTLs, other keys and orphans. */
    public Map<String, Object> json() {
        StoreConfig c = config;
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("target", target);
        root.put("mode", c.mode().configName());
        root.put("layout", c.keyLayout().configName());
        root.put("keyPrefix", c.keyPrefix().orElse(null));
        root.put("model", model);
        root.put("pattern", r.pattern());
        root.put("masters", r.masters());
        root.put("databaseKeys", r.databaseKeys() >= 0 ? r.databaseKeys() : null);
        root.put("scannedKeys", r.scannedKeys());
        List<Object> models = new ArrayList<>();
        for (Inspection.ModelStats m : r.models()) {
            models.add(counts(m.model(), m.chunks(), m.bytes(), m.orphanMetadata(), m.orphanData()));
        }
        root.put("models", models);
        Map<String, Object> totals = counts(null, r.chunks(), r.bytes(), r.orphanMetadata(), r.orphanData());
        root.put("totals", totals);
        Map<String, Object> ttl = new LinkedHashMap<>();
        ttl.put("none", r.ttl().none());
        ttl.put("under1h", r.ttl().underHour());
        ttl.put("under1d", r.ttl().underDay());
        ttl.put("longer", r.ttl().longer());
        root.put("ttl", ttl);
        root.put("otherKeys", r.otherKeys());
        root.put("fixOrphans", fixOrphans);
        root.put("orphansDeleted", r.orphansDeleted());
        root.put("millis", Human.roundMillis(r.millis()));
        return root;
    }

    /** A model's (or, without a name, the totals') counts. */
    private static Map<String, Object> counts(String model, long chunks, long bytes, long orphanMetadata, long orphanData) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (model != null) {
            m.put("model", model);
        }
        m.put("chunks", chunks);
        m.put("bytes", bytes);
        m.put("orphanMetadata", orphanMetadata);
        m.put("orphanData", orphanData);
        return m;
    }
}
