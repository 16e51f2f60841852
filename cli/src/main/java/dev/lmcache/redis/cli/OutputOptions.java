package dev.lmcache.redis.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Output options shared by the chunk and inspection commands: a machine-readable result file and
 * stack traces on failure.
 */
final class OutputOptions {

    @Option(names = "--json", paramLabel = "FILE", description = "also write the result as JSON to FILE")
    Path json;

    @Option(names = "--verbose", description = "on failure, print the stack trace too")
    boolean verbose;

    /** Writes {@code value} to the {@code --json} file, if one was given. */
    void writeJson(Object value) {
        if (json != null) {
            Json.writeFile(json, value);
        }
    }
}
