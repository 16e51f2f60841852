package dev.lmcache.redis.cli;

import picocli.CommandLine.Command;

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
final class BenchCommand extends CommandGroup {
}
