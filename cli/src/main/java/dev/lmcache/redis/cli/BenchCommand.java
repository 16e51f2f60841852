package dev.lmcache.redis.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code lmcache-redis bench}: measurements that print tables and can save JSON ({@code --json})
 * and charts ({@code --plot}). Each measurement is a subcommand; all take the usual target
 * options and default to an embedded standalone server.
 */
@Command(name = "bench",
        description = {
            "Measure the store: before/after, serving workload, load, throughput.",
            "",
            "Every subcommand prints a table and accepts --json FILE and --plot FILE.png; without a target option it"
                + " starts an embedded Redis for the run.",
        },
        mixinStandardHelpOptions = true,
        subcommands = {
            BenchCompareCommand.class,
            BenchWorkloadCommand.class,
            BenchLoadCommand.class,
            BenchThroughputCommand.class,
            BenchOpsCommand.class,
            BenchLookupCommand.class,
            BenchEdgeCommand.class,
        })
final class BenchCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    /** Without a subcommand: show the usage and fail as a usage error. */
    @Override
    public Integer call() {
        spec.commandLine().getErr().println("Missing bench subcommand.");
        spec.commandLine().usage(spec.commandLine().getErr());
        return CommandLine.ExitCode.USAGE;
    }

    /**
     * Runs a command body, turning invalid option values ({@link IllegalArgumentException}) into
     * usage errors (exit 2); every other failure goes to the tool's {@link FailureHandler}.
     */
    static int usageErrors(CommandSpec spec, Callable<Integer> body) throws Exception {
        try {
            return body.call();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }
}
