package dev.lmcache.redis.cli;

import picocli.CommandLine.Mixin;

/** A {@code bench} measurement: the target options, {@code --json}, and the "Target:" line on stderr. */
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
}
