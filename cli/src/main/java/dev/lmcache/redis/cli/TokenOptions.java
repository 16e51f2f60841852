package dev.lmcache.redis.cli;

import dev.lmcache.redis.ChunkKey;
import dev.lmcache.redis.HashAlgorithm;
import dev.lmcache.redis.HashProfile;
import dev.lmcache.redis.PrefixQuery;
import dev.lmcache.redis.StoreConfig;
import dev.lmcache.redis.TokenHasher;
import dev.lmcache.redis.TokenIds;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * A prompt and the LMCache deployment it is hashed for, shared by {@code keys} and
 * {@code lookup}. Settings not given here come from the target's configuration (an LMCache YAML's
 * {@code chunk_size}, {@code pre_caching_hash_algorithm}, {@code save_unfull_chunk}; its key
 * layout, prefix and MP object group), then from LMCache's defaults.
 */
final class TokenOptions {

    @Option(names = "--tokens", paramLabel = "FILE", required = true,
            description = "the prompt's token ids: " + TokenIds.FORM + "; - reads standard input")
    String tokens;

    @Option(names = "--model", paramLabel = "NAME", required = true,
            description = "the model name exactly as LMCache writes it in keys, e.g. meta-llama/Llama-3.1-8B-Instruct")
    String model;

    @Option(names = "--hash-algorithm", paramLabel = "ALGO",
            description = "blake3, sha256_cbor or builtin (default: the config's pre_caching_hash_algorithm, else"
                    + " blake3 for --layout mp and builtin in-process, LMCache's defaults)")
    String algorithm;

    @Option(names = "--hash-seed", paramLabel = "SEED",
            description = "the PYTHONHASHSEED the vLLM/LMCache processes run with (absent: unset, which current vLLM"
                    + " hashes as '" + TokenHasher.VLLM_DEFAULT_SEED + "'; builtin needs it)")
    String seed;

    @Option(names = "--hash-profile", paramLabel = "PROFILE",
            description = "the LMCache hashing scheme: mp-current, nonmp-current or nonmp-2026-03 (LMCache 2026-03..05);"
                    + " default: mp-current for --layout mp, else nonmp-current")
    String profile;

    @Option(names = "--chunk-size", paramLabel = "TOKENS",
            description = "tokens per chunk (default: the config's chunk_size, else 256)")
    Integer chunkSize;

    @Option(names = "--save-unfull-chunk", negatable = true, fallbackValue = "true",
            description = "in-process: also hash the trailing partial chunk (default: the config's save_unfull_chunk,"
                    + " else false)")
    Boolean saveUnfullChunk;

    @Option(names = "--world-size", paramLabel = "N", defaultValue = "1",
            description = "tensor-parallel workers; every rank's key is named (default: ${DEFAULT-VALUE})")
    int worldSize;

    @Option(names = "--dtype", paramLabel = "DTYPE", defaultValue = PrefixQuery.DEFAULT_DTYPE,
            description = "dtype of in-process key strings (default: ${DEFAULT-VALUE})")
    String dtype;

    @Option(names = "--cache-salt", paramLabel = "SALT", description = "vLLM's per-request cache salt (MP names)")
    String cacheSalt;

    @Option(names = "--object-group", paramLabel = "ID",
            description = "object group of the MP names (default: the config's mp_object_group, 0)")
    Integer objectGroup;

    /**
     * The query for {@code config}'s deployment.
     *
     * @throws ParameterException (a usage error) naming the option that is wrong and what is accepted
     */
    PrefixQuery query(CommandSpec spec, StoreConfig config) {
        int[] ids = readTokens(spec);
        try {
            TokenHasher.Builder h = TokenHasher.forConfig(config).seed(seed);
            if (profile != null) {
                h.profile(HashProfile.parse(profile));
            }
            if (algorithm != null) {
                h.algorithm(HashAlgorithm.parse(algorithm));
            }
            if (chunkSize != null) {
                h.chunkSize(chunkSize);
            }
            if (saveUnfullChunk != null) {
                h.saveUnfullChunk(saveUnfullChunk);
            }
            return PrefixQuery.builder().model(model).tokens(ids).hasher(h.build()).worldSize(worldSize).dtype(dtype)
                    .cacheSalt(cacheSalt).objectGroupId(objectGroup).build();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }

    /**
     * The query's chunk keys in {@code config}'s layout, per chunk one per rank.
     *
     * @throws ParameterException (a usage error) if the hashing profile does not fit the layout
     */
    List<List<ChunkKey>> keys(CommandSpec spec, PrefixQuery q, StoreConfig config) {
        try {
            return q.forLayout(config.keyLayout());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }

    private int[] readTokens(CommandSpec spec) {
        String text;
        try {
            text = tokens.equals("-") ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
                    : Files.readString(Path.of(tokens), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ParameterException(spec.commandLine(), "--tokens: file '" + tokens + "' does not exist");
        } catch (IOException | RuntimeException e) {
            throw new ParameterException(spec.commandLine(), "--tokens: '" + tokens + "' cannot be read ("
                    + e.getClass().getSimpleName() + ")", e);
        }
        try {
            return TokenIds.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--tokens " + tokens + ": " + e.getMessage(), e);
        }
    }
}
