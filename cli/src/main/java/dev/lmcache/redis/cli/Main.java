package dev.lmcache.redis.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code lmcache-redis} command-line tool. Each subcommand is its own class in this package,
 * registered in the {@code subcommands} list below; the process exits with the subcommand's exit
 * code (0 success, 1 failure, 2 usage or configuration error). Failures of every command go through
 * one {@link FailureHandler}, set here.
 */
@Command(name = "lmcache-redis",
        mixinStandardHelpOptions = true,
        versionProvider = VersionCommand.Provider.class,
        description = "LMCache KV-cache chunks in Redis, Redis Cluster and Valkey: tools for trying, checking and measuring.",
        subcommands = {
            VersionCommand.class,
            ServerCommand.class,
            EdgeCommand.class,
            DemoCommand.class,
            CheckCommand.class,
            PutCommand.class,
            GetCommand.class,
            ExistsCommand.class,
            DeleteCommand.class,
            InspectCommand.class,
            AclCommand.class,
            KeysCommand.class,
            LookupCommand.class,
            BenchCommand.class,
            CommandLine.HelpCommand.class,
        })
public final class Main implements Callable<Integer> {

    /** The global option that adds stack traces to error lines; every command inherits it. */
    static final String VERBOSE = "--verbose";

    @Spec
    private CommandSpec spec;

    @Option(names = VERBOSE, scope = ScopeType.INHERIT, description = "on failure, print the stack trace too")
    boolean verbose;

    /** Runs the tool and exits the JVM with the command's exit code. */
    public static void main(String... args) {
        System.exit(run(args));
    }

    /** Runs the tool with the given arguments on stdout/stderr and returns the exit code, without exiting. */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /** Returns a new, fully configured command line; callers may redirect its output before executing it. */
    public static CommandLine commandLine() {
        FailureHandler failures = new FailureHandler();
        return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler(failures)
                .setParameterExceptionHandler(failures)
                .setExitCodeExceptionMapper(failures);
    }

    /** Without a subcommand: show the usage on stderr and fail as a usage error. */
    @Override
    public Integer call() {
        spec.commandLine().getErr().println("Missing command.");
        spec.commandLine().usage(spec.commandLine().getErr());
        return CommandLine.ExitCode.USAGE;
    }
}
