package dev.lmcache.redis.cli;

import dev.lmcache.redis.StoreConfig;
import dev.lmcache.redis.layout.KeyNaming;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code lmcache-redis inspect}: what is stored under the configured key layout, per model, with
 * orphans, TTLs and foreign keys. See {@link Inspection} for how keys are found and classified.
 */
@Command(name = "inspect",
        description = "Show what is stored: chunks and bytes per model (SCAN on every master, never KEYS), orphan"
                + " metadata keys (data missing) and orphan data keys (metadata missing) of the two-key layouts, the"
                + " TTL distribution, and how many keys matching the layout's pattern are not chunk keys. Keys are"
                + " classified with the configured --layout and key prefix.",
        sortOptions = false,
        mixinStandardHelpOptions = true)
final class InspectCommand extends TargetCommand {

    @Option(names = "--model", paramLabel = "M", description = "only chunks of this model")
    String model;

    @Option(names = "--fix-orphans",
            description = "delete the orphan keys found (each is checked again just before, so a put in progress is spared)")
    boolean fixOrphans;

    @Mixin
    OutputOptions output;

    @Override
    protected int run() {
        noteThrowaway();
        try (Target t = openTarget()) {
            StoreConfig c = t.config();
            KeyNaming naming = KeyNaming.of(c.keyLayout(), t.isCluster(), c.keyPrefix().orElse(null));
            Inspection.Report r;
            try (RedisNodes nodes = RedisNodes.connect(c)) {
                r = Inspection.run(nodes, naming, model, fixOrphans);
            }
            print(t, c, r);
            output.writeJson(json(t, c, r));
            return EXIT_OK;
        }
    }

    private void print(Target t, StoreConfig c, Inspection.Report r) {
        PrintWriter out = out();
        out.println("Inspected " + t.description() + ": " + c.mode().configName() + ", " + r.masters() + " master"
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
            if (fixOrphans) {
                out.println("  Orphans: " + r.orphanMetadata() + " metadata without data, " + r.orphanData()
                        + " data without metadata; deleted " + r.orphansDeleted() + " key"
                        + (r.orphansDeleted() == 1 ? "" : "s"));
            } else {
                out.println("  Orphans: " + r.orphanMetadata() + " metadata without data, " + r.orphanData()
                        + " data without metadata" + (orphans > 0 ? " (--fix-orphans deletes them)" : ""));
            }
        }
        out.flush();
    }

    private Map<String, Object> json(Target t, StoreConfig c, Inspection.Report r) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("target", t.description());
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
            Map<String, Object> mm = new LinkedHashMap<>();
            mm.put("model", m.model());
            mm.put("chunks", m.chunks());
            mm.put("bytes", m.bytes());
            mm.put("orphanMetadata", m.orphanMetadata());
            mm.put("orphanData", m.orphanData());
            models.add(mm);
        }
        root.put("models", models);
        Map<String, Object> totals = new LinkedHashMap<>();
        totals.put("chunks", r.chunks());
        totals.put("bytes", r.bytes());
        totals.put("orphanMetadata", r.orphanMetadata());
        totals.put("orphanData", r.orphanData());
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
}
