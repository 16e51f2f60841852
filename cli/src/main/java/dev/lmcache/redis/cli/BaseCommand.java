package dev.lmcache.redis.cli;

import dev.lmcache.redis.cli.bench.Outcome;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * What every command shares: the exit codes, its streams, and one way to report a usage error.
 * A command implements {@link #run()} and throws on failure; the tool's {@link FailureHandler}
 * turns what it throws into the error line and the exit code.
 */
abstract class BaseCommand implements Callable<Integer> {
    /** Exit status of success. */
    static final int EXIT_OK = 0;

    /** Exit status of a runtime failure: the server, a file or the data said no. */
    static final int EXIT_FAILURE = 1;

    /** Exit status of a usage or configuration error: the command line or the configuration is wrong. */
    static final int EXIT_USAGE = 2;

    @Spec
    CommandSpec spec;

    @Override
    public final Integer call() throws Exception {
        return run();
    }

    /**
     * The command's work.
     *
     * @return the exit status
     * @throws Exception on failure; a {@link ParameterException} or a configuration error exits with
     *                   {@value #EXIT_USAGE}, anything else with the command's failure status
     */
    protected abstract int run() throws Exception;

    /** Standard output of this run. */
    final PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** Standard error of this run. */
    final PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** A usage error of this command, to throw: the tool prints {@code message} and a pointer to {@code --help}. */
    final ParameterException usageError(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /** Throws a usage error with {@code message} unless {@code ok}. */
    final void require(boolean ok, String message) {
        if (!ok) {
            throw usageError(message);
        }
    }

    /**
     * The value {@code parse} builds from option values; its {@link IllegalArgumentException}
     * (which names the option and what it accepts) becomes a usage error.
     */
    final <T> T parsed(Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw usageError(e.getMessage());
        }
    }

    /**
     * The first of {@code names} (an option and its older names) that the command line gave, so
     * that a message speaks the user's words; {@code names[0]} when none was given.
     */
    final String given(String... names) {
        ParseResult parsed = spec.commandLine().getParseResult();
        for (String arg : parsed == null ? java.util.List.<String>of() : parsed.expandedArgs()) {
            for (String name : names) {
                if (arg.equals(name) || arg.startsWith(name + "=")) {
                    return name;
                }
            }
        }
        return names[0];
    }

    /**
     * Prints an error line, {@code lmcache-redis <command>: problem}, for a failure that the
     * command reports with its exit status rather than by throwing (a miss of {@code get}).
     */
    final void problem(String problem) {
        PrintWriter err = err();
        err.println(spec.qualifiedName() + ": " + problem);
        err.flush();
    }

    /**
     * The end every measurement shares: writes the outcome's JSON ({@code --json}) and chart
     * ({@code plotOrNull}), saying where, and returns the exit status: {@value #EXIT_OK} for a
     * clean run, {@value #EXIT_FAILURE} for errors, lost or different chunks.
     */
    final int finish(OutputOptions output, Outcome outcome, Path plotOrNull) {
        PrintWriter out = out();
        if (output.json != null) {
            output.writeJson(outcome.json());
            out.println("Wrote " + output.json);
        }
        if (plotOrNull != null) {
            outcome.plot(plotOrNull);
            out.println("Wrote " + plotOrNull);
        }
        out.flush();
        return outcome.ok() ? EXIT_OK : EXIT_FAILURE;
    }

    /** Prints {@code note: text} on stderr: something the user should know that is not a failure. */
    final void note(String text) {
        PrintWriter err = err();
        err.println("note: " + text);
        err.flush();
    }
}
