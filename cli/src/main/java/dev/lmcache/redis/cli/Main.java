package dev.lmcache.redis.cli;

import dev.lmcache.redis.KeyLayout;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.TypeConversionException;

/**
 * The {@code lmcache-redis} command-line tool. Each subcommand is its own class in this package,
 * registered in the {@code subcommands} list below; the process exits with the subcommand's exit
 * code (0 success, 1 failure, 2 usage or configuration error). What every command shares is set
 * once, in {@link #commandLine()}: the {@link FailureHandler} for all failures, and the option
 * types {@link ByteSize}, {@link TimeSpan} and {@link KeyLayout}.
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
public final class Main extends CommandGroup {

    /** The global option that adds stack traces to error lines; every command inherits it. */
    static final String VERBOSE = "--verbose";

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
        CommandLine commandLine = new CommandLine(new Main());
        commandLine.getHelpSectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_COMMAND_LIST_HEADING, help -> "");
        commandLine.getHelpSectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_COMMAND_LIST, new CommandSections());
        return commandLine.setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler(failures)
                .setParameterExceptionHandler(failures)
                .setExitCodeExceptionMapper(failures)
                .registerConverter(ByteSize.class, new ByteSize.Converter())
                .registerConverter(TimeSpan.class, new TimeSpan.Converter())
                .registerConverter(KeyLayout.class, Main::layout);
    }

    /** {@code --layout}: the configuration names of {@link KeyLayout}. */
    private static KeyLayout layout(String value) {
        try {
            return KeyLayout.fromConfig(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
