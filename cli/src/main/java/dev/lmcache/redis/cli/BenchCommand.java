package dev.lmcache.redis.cli;

import dev.lmcache.redis.KvCacheException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
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
     * usage errors (exit 2) and store or server failures into one "error:" line (exit 1) instead
     * of a stack trace.
     */
    static int guard(CommandSpec spec, Callable<Integer> body) {
        PrintWriter err = spec.commandLine().getErr();
        try {
            return body.call();
        } catch (ParameterException e) {
            throw e;
        } catch (KvCacheException e) {
            err.println("error: " + e.getMessage());
            err.flush();
            return CommandLine.ExitCode.SOFTWARE;
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("error: interrupted");
            err.flush();
            return CommandLine.ExitCode.SOFTWARE;
        } catch (Exception e) {
            // Unexpected: keep the stack trace for a bug report, on stderr through the log.
            LoggerFactory.getLogger(BenchCommand.class).warn("unexpected failure", e);
            err.println("error: " + e);
            err.flush();
            return CommandLine.ExitCode.SOFTWARE;
        }
    }
}
