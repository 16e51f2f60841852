package dev.lmcache.redis.cli;

import dev.lmcache.redis.ChunkMetadata;
import dev.lmcache.redis.KvCacheStore;
import dev.lmcache.redis.cli.check.Checks;
import dev.lmcache.redis.cli.target.Target;
import dev.lmcache.redis.cli.text.Human;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code lmcache-redis check}: the seven connector checks of {@link Checks}, one tick or cross
 * line each. Exits 0 only if all pass.
 */
@Command(name = "check",
        description = "Verify the connector against a server: seven checks through the store API, a tick or cross"
                + " each. Writes only keys of a model named lmcache-redis-check/<random> and removes them at the end."
                + " Exit status 0 if all checks pass, 1 otherwise.",
        sortOptions = false,
        mixinStandardHelpOptions = true)
final class CheckCommand extends TargetCommand {

    /** More would hold gigabytes of test chunks in memory (three sets of N are alive at once). */
    private static final long MAX_TOTAL_BYTES = 1L << 30;

    @Option(names = "--chunks", paramLabel = "N", defaultValue = "" + Checks.DEFAULT_CHUNKS,
            description = "chunks per batch (default: ${DEFAULT-VALUE})")
    int chunks;

    @Option(names = "--chunk-bytes", paramLabel = "SIZE", defaultValue = "" + Checks.DEFAULT_CHUNK_BYTES,
            description = "bytes per chunk (default: ${DEFAULT-VALUE}); raw layouts with a configured geometry use its size")
    ByteSize chunkBytes;

    @Mixin
    OutputOptions output;

    @Override
    protected int run() {
        require(chunks >= 2 && chunks <= 100_000, "--chunks must be 2..100000, was " + chunks);
        require(chunkBytes.bytes() >= 1 && chunkBytes.bytes() <= MAX_TOTAL_BYTES,
                "--chunk-bytes must be 1 B to 1 GiB, was " + chunkBytes);
        PrintWriter out = out();
        try (Target t = openTarget()) {
            ChunkMetadata m = Checks.metadataFor(t.config(), chunkBytes.intBytes());
            require((long) m.length() * chunks * 3 <= MAX_TOTAL_BYTES, chunks + " chunks of " + Human.bytes(m.length())
                    + " need more than " + Human.bytes(MAX_TOTAL_BYTES) + " of memory; use fewer --chunks"
                    + (t.config().keyLayout().hasMetadataKey() ? " or smaller --chunk-bytes" : ""));
            out.println("Checking " + t.description() + ": " + chunks + " chunks of " + Human.bytes(m.length())
                    + " per batch");
            out.flush();
            Checks.Report report;
            try (KvCacheStore store = t.openStore()) {
                report = Checks.run(store, out, chunks, chunkBytes.intBytes());
            }
            int total = report.results().size();
            out.println(report.allPassed() ? "All " + total + " checks passed."
                    : report.passedCount() + " of " + total + " checks passed.");
            out.flush();
            output.writeJson(json(t, m, report));
            return report.allPassed() ? EXIT_OK : EXIT_FAILURE;
        }
    }

    private Map<String, Object> json(Target t, ChunkMetadata m, Checks.Report report) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("target", t.description());
        root.put("mode", t.config().mode().configName());
        root.put("layout", t.config().keyLayout().configName());
        root.put("chunks", chunks);
        root.put("chunkBytes", m.length());
        root.put("passed", report.allPassed());
        List<Object> checks = new ArrayList<>();
        for (Checks.Result r : report.results()) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("name", r.name());
            c.put("passed", r.passed());
            c.put("millis", Human.roundMillis(r.millis()));
            c.put("detail", r.detail());
            checks.add(c);
        }
        root.put("checks", checks);
        return root;
    }
}
