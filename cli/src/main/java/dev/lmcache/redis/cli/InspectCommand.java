package dev.lmcache.redis.cli;

import dev.lmcache.redis.cli.inspect.Inspection;
import dev.lmcache.redis.cli.inspect.InspectionReport;
import dev.lmcache.redis.cli.target.Target;
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
            InspectionReport report = Inspection.run(t, model, fixOrphans);
            report.print(out());
            output.writeJson(report.json());
            return EXIT_OK;
        }
    }
}
