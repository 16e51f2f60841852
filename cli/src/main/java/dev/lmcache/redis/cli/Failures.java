package dev.lmcache.redis.cli;

import dev.lmcache.redis.ConfigException;
import java.io.PrintWriter;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * Turns a command's failure into the tool's contract: one line on stderr naming the problem (the
 * stack trace only with {@code --verbose}) and an exit code, instead of picocli's default stack
 * trace. Usage errors ({@link ParameterException}) pass through to picocli, which prints them
 * with the usage help and exits with 2.
 */
final class Failures {

    /** A command body that may throw. */
    @FunctionalInterface
    interface Body {
        int run() throws Exception;
    }

    private Failures() {
    }

    /**
     * Runs {@code body} and returns its exit code. A {@link ConfigException} (a bad URL, YAML file
     * or setting) exits with 2 like other usage errors; any other failure with {@code failureCode}.
     */
    static int guard(CommandSpec spec, boolean verbose, int failureCode, Body body) {
        try {
            return body.run();
        } catch (ParameterException e) {
            throw e;
        } catch (Exception e) {
            Throwable cause = unwrap(e);
            PrintWriter err = spec.commandLine().getErr();
            err.println(spec.qualifiedName() + ": " + message(cause));
            if (verbose) {
                cause.printStackTrace(err);
            }
            err.flush();
            return cause instanceof ConfigException ? CommandLine.ExitCode.USAGE : failureCode;
        }
    }

    /** {@link #guard(CommandSpec, boolean, int, Body)} with failure code 1. */
    static int guard(CommandSpec spec, boolean verbose, Body body) {
        return guard(spec, verbose, CommandLine.ExitCode.SOFTWARE, body);
    }

    /** The message a user needs: the exception's own message, or its type when it has none. */
    static String message(Throwable e) {
        Throwable t = unwrap(e);
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    }

    /** The failure inside the wrappers that futures add. */
    static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
