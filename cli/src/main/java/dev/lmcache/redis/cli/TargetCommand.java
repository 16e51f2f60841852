package dev.lmcache.redis.cli;

import dev.lmcache.redis.cli.target.Target;
import picocli.CommandLine.Mixin;

/**
 * A command that works on a Redis target: {@code --url}, {@code --config}, {@code --embedded},
 * {@code --embedded-cluster}, {@code --layout} and {@code --rtt-ms}, with an embedded standalone
 * server when none is given.
 */
abstract class TargetCommand extends BaseCommand {

    @Mixin
    TargetOptions target;

    /** Starts or resolves the target; the caller closes it, which stops servers it started. */
    final Target openTarget() {
        return target.open();
    }

    /**
     * Says on stderr that the command uses a throw-away server when no target was given: what is
     * written there is lost when the command ends, which is rarely what someone debugging wants.
     */
    final void noteThrowaway() {
        if (target.none()) {
            note("no --url or --config given: using a throw-away embedded Redis for this command only");
        }
    }
}
