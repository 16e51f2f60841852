package dev.lmcache.redis.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The machine-readable result file of the chunk, check and inspection commands. */
final class OutputOptions {

    @Option(names = "--json", paramLabel = "FILE", description = "also write the result as JSON to FILE")
    Path json;

    /** Writes {@code value} to the {@code --json} file, if one was given. */
    void writeJson(Object value) {
        if (json != null) {
            Json.writeFile(json, value);
        }
    }
}
