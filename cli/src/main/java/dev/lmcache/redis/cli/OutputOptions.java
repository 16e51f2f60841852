package dev.lmcache.redis.cli;

import dev.lmcache.redis.cli.text.Json;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --json FILE}: the machine-readable result of a command, its fields as the command's help lists them. */
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
