package dev.lmcache.redis;

import dev.lmcache.redis.hash.HashChain;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Turns a prompt's token ids into the chunk hashes LMCache names its KV chunks with, byte for byte
 * (checked against vectors made by LMCache's own code; {@code LMCACHE-HASHING.md} describes the
 * schemes). Built by {@link #builder()}; immutable and safe to share between threads.
 *
 * <p>The settings follow LMCache's:
 * <ul>
 *   <li>{@link Builder#profile profile}: which LMCache scheme ({@link HashProfile#MP} by default);</li>
 *   <li>{@link Builder#algorithm algorithm}: {@code --hash-algorithm} of the multiprocess server
 *       (blake3 or sha256_cbor) or the in-process {@code pre_caching_hash_algorithm} (sha256_cbor or
 *       builtin); by default the profile's default, {@link HashProfile#defaultAlgorithm()};</li>
 *   <li>{@link Builder#chunkSize chunk size} ({@value #DEFAULT_CHUNK_SIZE} tokens by default);</li>
 *   <li>{@link Builder#seed seed}: the PYTHONHASHSEED the vLLM/LMCache processes run with, which
 *       sha256_cbor and builtin hash into their start value;</li>
 *   <li>{@link Builder#saveUnfullChunk save_unfull_chunk}, {@link Builder#extraKeys extra keys}
 *       and {@link Builder#startAtZero a zero start} for the in-process profiles.</li>
 * </ul>
 *
 * <p>Supported combinations: {@link HashProfile#MP} with blake3 or sha256_cbor; the in-process
 * profiles with sha256_cbor or builtin. LMCache's in-process mode takes its hash functions from
 * vLLM, which has no blake3; builtin in the multiprocess server is not reproduced here.
 */
public final class TokenHasher {
    /** LMCache's default chunk size, in tokens. */
    public static final int DEFAULT_CHUNK_SIZE = 256;
    /**
     * The seed string current vLLM hashes into the start value when PYTHONHASHSEED is unset; used
     * for sha256_cbor when no seed is given.
     */
    public static final String VLLM_DEFAULT_SEED = "vllm-none-hash";
    /** The values PYTHONHASHSEED may take (CPython refuses to start with any other). */
    public static final String SEED_FORM = "an integer in [0, 4294967295] or 'random' (PYTHONHASHSEED)";

    private static final Pattern INTEGER = Pattern.compile("[0-9]+");

    private final HashProfile profile;
    private final HashAlgorithm algorithm;
    private final int chunkSize;
    private final String seed;
    private final boolean saveUnfullChunk;
    private final List<String> extraKeys;
    private final boolean startAtZero;
    private final HashChain chain;

    private TokenHasher(Builder b, HashAlgorithm algorithm) {
        this.profile = b.profile;
        this.algorithm = algorithm;
        this.chunkSize = b.chunkSize;
        this.seed = b.seed;
        this.saveUnfullChunk = b.saveUnfullChunk;
        this.extraKeys = b.extraKeys;
        this.startAtZero = b.startAtZero;
        String hashedSeed = seed == null && algorithm == HashAlgorithm.SHA256_CBOR ? VLLM_DEFAULT_SEED : seed;
        this.chain = HashChain.create(profile, algorithm, hashedSeed, extraKeys, startAtZero);
    }

    /**
     * A builder with the hashing settings of a store's configuration, so that a lookup hashes as
     * the LMCache deployment the store serves: profile {@link HashProfile#MP} for key layout
     * {@code mp}, else {@link HashProfile#IN_PROCESS}; {@link StoreConfig#hashAlgorithm()}
     * ({@code pre_caching_hash_algorithm}, else the profile's default);
     * {@link StoreConfig#chunkSizeTokens()} ({@code chunk_size}); {@link StoreConfig#saveUnfullChunk()}.
     * The seed is the PYTHONHASHSEED of the LMCache processes, which no configuration file holds:
     * set it with {@link Builder#seed}.
     */
    public static Builder forConfig(StoreConfig config) {
        Objects.requireNonNull(config, "config");
        return builder().profile(config.keyLayout() == KeyLayout.MP ? HashProfile.MP : HashProfile.IN_PROCESS)
                .algorithm(config.hashAlgorithm().orElse(null)).chunkSize(config.chunkSizeTokens())
                .saveUnfullChunk(config.saveUnfullChunk());
    }

    /** A builder with LMCache's defaults: multiprocess blake3, chunks of 256 tokens. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The hashes of the prompt's chunks, in order: one per full chunk, plus the trailing partial
     * chunk when {@link #saveUnfullChunk()} is on in an in-process profile. Fewer tokens than a chunk
     * give no hash (or only the partial one). Each call allocates its own scratch space, a buffer of
     * one chunk; nothing per token.
     *
     * @param tokens token ids, uint32 values as {@code int} bit patterns (see {@link TokenIds}):
     *        a negative element is an id of 2^31 or more; not modified
     * @return a new modifiable list
     */
    public List<ChunkHash> hash(int[] tokens) {
        Objects.requireNonNull(tokens, "tokens");
        return chain.hash(tokens, chunkSize, saveUnfullChunk && !profile.fullChunksOnly());
    }

    /**
     * {@link #hash(int[])} for token ids given as {@code long}s.
     *
     * @throws IllegalArgumentException naming the first id outside 0..4294967295 and its index
     */
    public List<ChunkHash> hash(long[] tokens) {
        return hash(TokenIds.fromLongs(tokens));
    }

    /**
     * The value the chain starts from, LMCache's {@code NONE_HASH}, as the hash of the empty range
     * {@code [0, 0)}: the first chunk's hash covers it.
     */
    public ChunkHash startHash() {
        return chain.start();
    }

    /** The LMCache hashing scheme. */
    public HashProfile profile() {
        return profile;
    }

    /** The hash function (the profile's default when none was set). */
    public HashAlgorithm algorithm() {
        return algorithm;
    }

    /** Tokens per chunk. */
    public int chunkSize() {
        return chunkSize;
    }

    /**
     * The PYTHONHASHSEED as given; empty when unset, which for sha256_cbor means
     * {@value #VLLM_DEFAULT_SEED} is hashed, as current vLLM does.
     */
    public Optional<String> seed() {
        return Optional.ofNullable(seed);
    }

    /** Whether the trailing partial chunk gets a hash (in-process profiles only). */
    public boolean saveUnfullChunk() {
        return saveUnfullChunk;
    }

    /** The extra keys hashed into every chunk (unmodifiable; empty when none). */
    public List<String> extraKeys() {
        return extraKeys;
    }

    /** Whether the chain starts at 0 rather than at the seed's hash. */
    public boolean startAtZero() {
        return startAtZero;
    }

    @Override
    public String toString() {
        return "TokenHasher[profile=" + profile.profileName() + ", algorithm=" + algorithm.configName()
                + ", chunkSize=" + chunkSize + ", seed=" + (seed == null ? "unset" : "'" + seed + "'")
                + (saveUnfullChunk ? ", saveUnfullChunk" : "") + (extraKeys.isEmpty() ? "" : ", extraKeys=" + extraKeys)
                + (startAtZero ? ", startAtZero" : "") + "]";
    }

    /** Collects the settings; {@link #build()} checks them together. Not thread-safe. */
    public static final class Builder {
        private HashProfile profile = HashProfile.MP;
        private HashAlgorithm algorithm;
        private int chunkSize = DEFAULT_CHUNK_SIZE;
        private String seed;
        private boolean saveUnfullChunk;
        private List<String> extraKeys = List.of();
        private boolean startAtZero;

        private Builder() {
        }

        /** The LMCache scheme; {@link HashProfile#MP} by default. */
        public Builder profile(HashProfile profile) {
            this.profile = Objects.requireNonNull(profile, "profile");
            return this;
        }

        /** The hash function; {@code null} (the default) means the profile's default. */
        public Builder algorithm(HashAlgorithm algorithm) {
            this.algorithm = algorithm;
            return this;
        }

        /** Tokens per chunk, LMCache's {@code chunk_size} / {@code --chunk-size}; must be positive. */
        public Builder chunkSize(int chunkSize) {
            this.chunkSize = chunkSize;
            return this;
        }

        /**
         * The PYTHONHASHSEED string of the vLLM/LMCache processes, exactly as set in their environment
         * ({@value #SEED_FORM}); {@code null} (the default) means unset. sha256_cbor hashes the string
         * as text into its start value ({@value #VLLM_DEFAULT_SEED} when unset, as current vLLM does);
         * builtin needs an integer seed, since Python's string hash is keyed from it; blake3 ignores
         * the seed.
         */
        public Builder seed(String seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Whether the trailing partial chunk gets a hash, LMCache's in-process
         * {@code save_unfull_chunk} (off by default, as in LMCache since 2025-12). The multiprocess
         * server hashes full chunks only and ignores this.
         */
        public Builder saveUnfullChunk(boolean saveUnfullChunk) {
            this.saveUnfullChunk = saveUnfullChunk;
            return this;
        }

        /**
         * Strings LMCache's in-process token database hashes into every chunk as the tuple that is
         * the third element of its input (where {@code ()} goes without any); a LoRA name, for
         * example. Profile {@link HashProfile#IN_PROCESS} only. Empty by default.
         */
        public Builder extraKeys(List<String> extraKeys) {
            Objects.requireNonNull(extraKeys, "extraKeys");
            for (int i = 0; i < extraKeys.size(); i++) {
                if (extraKeys.get(i) == null) {
                    throw new NullPointerException("extra key " + i + " is null");
                }
            }
            this.extraKeys = List.copyOf(extraKeys);
            return this;
        }

        /**
         * Whether the chain starts at 0 instead of at the seed's hash: what LMCache's in-process mode
         * does when it cannot use vLLM's {@code init_none_hash} (vLLM not importable, or older than
         * vLLM PR #20511 of 2025-07). Then only builtin is possible (LMCache falls back to it for any
         * algorithm), and the seed matters only for extra keys. Off by default.
         */
        public Builder startAtZero(boolean startAtZero) {
            this.startAtZero = startAtZero;
            return this;
        }

        /**
         * A hasher with these settings.
         *
         * @throws IllegalArgumentException naming the setting that LMCache would not accept or that
         *         cannot be reproduced, and what is accepted
         */
        public TokenHasher build() {
            HashAlgorithm a = algorithm == null ? profile.defaultAlgorithm() : algorithm;
            if (chunkSize <= 0) {
                throw new IllegalArgumentException("chunk size " + chunkSize
                        + " is not supported; accepted: a positive number of tokens (chunk_size / --chunk-size;"
                        + " LMCache's default is " + DEFAULT_CHUNK_SIZE + ")");
            }
            if (!profile.algorithms().contains(a)) {
                throw new IllegalArgumentException("hash algorithm " + a.configName() + " is not supported with profile "
                        + profile.profileName() + (a == HashAlgorithm.BLAKE3
                                ? " (LMCache's in-process mode takes its hash functions from vLLM, which has no blake3,"
                                        + " and falls back to builtin)"
                                : " (the multiprocess server's builtin hashes are not reproduced here)")
                        + "; accepted with " + profile.profileName() + ": " + names(profile));
            }
            if (seed != null && !isSeed(seed)) {
                throw new IllegalArgumentException("hash seed '" + seed + "' is not a PYTHONHASHSEED value; accepted: "
                        + SEED_FORM + ", or no seed for unset (--hash-seed)");
            }
            if (!extraKeys.isEmpty() && profile != HashProfile.IN_PROCESS) {
                throw new IllegalArgumentException("extra keys are hashed only in profile "
                        + HashProfile.IN_PROCESS.profileName() + ", not " + profile.profileName()
                        + (profile == HashProfile.MP ? " (the multiprocess server never hashes them)"
                                : " (how they entered that profile's hash is not reproduced)")
                        + "; accepted: no extra keys");
            }
            if (startAtZero && (a != HashAlgorithm.BUILTIN || profile == HashProfile.MP)) {
                throw new IllegalArgumentException("a chain starting at 0 (LMCache without vLLM's NONE_HASH) is"
                        + " supported only with algorithm builtin in the in-process profiles, not "
                        + a.configName() + " with " + profile.profileName() + " (without vLLM LMCache falls back"
                        + " to builtin); accepted: builtin with " + HashProfile.IN_PROCESS.profileName() + " or "
                        + HashProfile.IN_PROCESS_2026_03.profileName());
            }
            boolean hashesStrings = !startAtZero || !extraKeys.isEmpty();
            if (a == HashAlgorithm.BUILTIN && hashesStrings && (seed == null || !INTEGER.matcher(seed).matches())) {
                throw new IllegalArgumentException("hash algorithm builtin (Python's hash()) is reproducible only with"
                        + " a fixed PYTHONHASHSEED, and the hash seed is "
                        + (seed == null ? "unset" : "'" + seed + "'")
                        + "; accepted: the integer in [0, 4294967295] the vLLM/LMCache processes run with as"
                        + " PYTHONHASHSEED (--hash-seed), e.g. 0");
            }
            return new TokenHasher(this, a);
        }

        private static String names(HashProfile p) {
            StringBuilder sb = new StringBuilder();
            for (HashAlgorithm x : p.algorithms()) {
                sb.append(sb.length() == 0 ? "" : ", ").append(x.configName());
            }
            return sb.toString();
        }

        private static boolean isSeed(String s) {
            if (s.equals("random")) {
                return true;
            }
            if (!INTEGER.matcher(s).matches()) {
                return false;
            }
            String digits = s.replaceFirst("^0+(?=.)", "");
            return digits.length() <= 10 && Long.parseLong(digits) <= 4294967295L;
        }
    }
}
