package dev.lmcache.redis.cli;

import dev.lmcache.redis.ConfigException;
import dev.lmcache.redis.cli.text.Failures;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IExitCodeExceptionMapper;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The one way every command fails, set once in {@link Main#commandLine()}: an error line
 * {@code lmcache-redis <command>: <problem>} on stderr and an exit code.
 *
 * <ul>
 *   <li>A usage error (a {@link ParameterException}: unknown option, bad option value, options that
 *       contradict each other) exits with {@value BaseCommand#EXIT_USAGE} and adds a pointer to the
 *       command's {@code --help}, not the whole help text.</li>
 *   <li>A configuration error (a {@link ConfigException}: a bad URL, YAML file or setting, found
 *       when the command resolves its target) also exits with {@value BaseCommand#EXIT_USAGE}, on
 *       one line: {@code --help} does not know what the URL should have been.</li>
 *   <li>Any other failure (the server cannot be reached, refuses a command, a file cannot be read)
 *       exits with the command's {@code exitCodeOnExecutionException}, {@value BaseCommand#EXIT_FAILURE}
 *       unless the command says otherwise ({@code exists} says 2, so that an error never reads as
 *       "absent").</li>
 * </ul>
 *
 * The stack trace follows the error line only with the global {@code --verbose} option.
 */
final class FailureHandler implements IExecutionExceptionHandler, IParameterExceptionHandler, IExitCodeExceptionMapper {

    /** Usage and configuration errors map to 2, everything else to 1. */
    @Override
    public int getExitCode(Throwable failure) {
        Throwable t = Failures.unwrap(failure);
        return t instanceof ParameterException || t instanceof ConfigException ? BaseCommand.EXIT_USAGE
                : BaseCommand.EXIT_FAILURE;
    }

    @Override
    public int handleExecutionException(Exception failure, CommandLine command, ParseResult parsed) {
        Throwable t = Failures.unwrap(failure);
        if (t instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        PrintWriter err = command.getErr();
        err.println(prefix(command) + Failures.message(t));
        if (verbose(parsed)) {
            t.printStackTrace(err);
        }
        err.flush();
        int code = getExitCode(t);
        return code == BaseCommand.EXIT_USAGE ? code : command.getCommandSpec().exitCodeOnExecutionException();
    }

    @Override
    public int handleParseException(ParameterException failure, String[] args) {
        CommandLine command = failure.getCommandLine();
        PrintWriter err = command.getErr();
        err.println(prefix(command) + failure.getMessage());
        UnmatchedArgumentException.printSuggestions(failure, err);
        err.println("Try '" + command.getCommandSpec().qualifiedName() + " --help' for usage.");
        err.flush();
        return getExitCode(failure);
    }

    /** {@code lmcache-redis <command>: }, the start of every error line. */
    static String prefix(CommandLine command) {
        return command.getCommandSpec().qualifiedName() + ": ";
    }

    /** Whether {@code --verbose} was given anywhere on the command line (it is inherited by every command). */
    private static boolean verbose(ParseResult parsed) {
        for (ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption(Main.VERBOSE)) {
                return true;
            }
        }
        return false;
    }
}
