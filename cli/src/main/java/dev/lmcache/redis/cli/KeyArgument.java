package dev.lmcache.redis.cli;

import dev.lmcache.redis.ChunkKey;
import dev.lmcache.redis.KeyLayout;
import dev.lmcache.redis.KeyNaming;
import dev.lmcache.redis.MpKey;
import dev.lmcache.redis.StoreConfig;
import java.util.Optional;
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
                    + " e.g. my-model@1@0@1a2b3c@bfloat16; with --layout mp also an MP object name as redis-cli --scan"
                    + " shows it: [prefix@]model@kv_rank@object_group@hash[@salt], e.g. my-model@01000100@0@59c2...")
    String key;

    @Option(names = "--legacy",
            description = "also accept the form of older LMCache releases (fmt@model@..., dtype fp8 / fp8_e4m3)")
    boolean legacy;

    /**
     * The parsed key: an LMCache key string, or for a store of key layout {@code mp} also an MP
     * object name exactly as the store names chunks (its key prefix and object-group form).
     *
     * @throws ParameterException (a usage error) naming what does not parse and the accepted forms
     */
    ChunkKey parse(StoreConfig config) {
        if (config.keyLayout() == KeyLayout.MP) {
            Optional<KeyNaming.NamedKey> named = KeyNaming.of(config, false).parse(key);
            if (named.isPresent()) {
                return named.get().key();
            }
        }
        try {
            return ChunkKey.parse(key, legacy);
        } catch (IllegalArgumentException e) {
            if (config.keyLayout() != KeyLayout.MP) {
                throw new ParameterException(command.commandLine(), "KEY: " + e.getMessage());
            }
            throw new ParameterException(command.commandLine(), "KEY: '" + key + "' is neither an MP object name of"
                    + " this store (" + mpProblem(config) + ") nor an LMCache key string (" + e.getMessage() + ")");
        }
    }

    /** Why {@link #key} is not an MP name of {@code config}'s deployment. */
    private String mpProblem(StoreConfig config) {
        try {
            MpKey mp = MpKey.parse(key, config.keyPrefix().orElse(null), config.mpObjectGroup().isPresent());
            mp.toChunkKey(config.mpObjectGroup().isPresent() ? config.mpObjectGroup().getAsInt() : null);
            return "it names no chunk of this store";
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }
}
