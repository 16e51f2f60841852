package dev.lmcache.redis.cli;

import dev.lmcache.redis.cli.bench.Outcome;
import dev.lmcache.redis.cli.target.Target;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;

/**
 * A {@code bench} measurement: the target options, {@code --json}, the "Target:" line on stderr,
 * and the end every measurement shares ({@link #finish}).
 */
abstract class BenchSubcommand extends TargetCommand {

    @Mixin
    OutputOptions output;

    /** Opens the target and says on stderr what it is, before the measurement's own output starts. */
    final Target openAnnounced() {
        Target t = openTarget();
        err().println("Target: " + t.description());
        err().flush();
        return t;
    }

    /** {@link BaseCommand#finish(OutputOptions, Outcome, Path)} with this command's {@code --json}. */
    final int finish(Outcome outcome, Path plotOrNull) {
        return finish(output, outcome, plotOrNull);
    }
}
