package dev.lmcache.redis.cli;

import dev.lmcache.redis.ChunkKey;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The chunk key argument of {@code put}, {@code get}, {@code exists} and {@code delete}. */
final class KeyArgument {

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Parameters(index = "0", paramLabel = "KEY",
            description = "the LMCache key string: model@world_size@worker_id@chunk_hash@dtype[@layer][@tag%%value]...,"
                    + " e.g. my-model@1@0@1a2b3c@bfloat16")
    String key;

    @Option(names = "--legacy",
            description = "also accept the form of older LMCache releases (fmt@model@..., dtype fp8 / fp8_e4m3)")
    boolean legacy;

    /**
     * The parsed key.
     *
     * @throws ParameterException (a usage error) naming what does not parse
     */
    ChunkKey parse() {
        try {
            return ChunkKey.parse(key, legacy);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(command.commandLine(), "KEY: " + e.getMessage());
        }
    }
}
