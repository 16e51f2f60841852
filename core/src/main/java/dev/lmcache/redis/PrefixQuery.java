package dev.lmcache.redis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A prompt's token ids and the deployment whose cache they are looked up in: "how many leading
 * tokens of this prompt has LMCache already stored?" ({@link KvCacheStore#lookup(PrefixQuery)}).
 *
 * <p>The query reproduces LMCache's chunk keys: the tokens are hashed by the {@link TokenHasher}
 * (which must be configured as the LMCache processes are: algorithm, seed, chunk size), and each
 * chunk is named once per tensor-parallel rank ({@code 0 .. worldSize-1}). The rest of a name
 * comes from the store the query runs on: its {@link StoreConfig#keyLayout() key layout}
 * ({@code mp} for LMCache's multiprocess server, {@code lmcache} for the in-process
 * {@code redis://} connector, and so on), {@link StoreConfig#keyPrefix() key prefix} and
 * {@link StoreConfig#mpObjectGroup() MP object group}; {@link #forLayout} checks that the
 * hashing profile fits the layout.
 *
 * <p>Immutable; built with {@link #builder()}. The token array is copied.
 */
public final class PrefixQuery {
    /** World size when none is given: one worker. */
    public static final int DEFAULT_WORLD_SIZE = 1;
    /** The dtype of in-process key strings when none is given. */
    public static final String DEFAULT_DTYPE = "bfloat16";

    private final String model;
    private final int[] tokens;
    private final TokenHasher hasher;
    private final int worldSize;
    private final String dtype;
    private final @Nullable String cacheSalt;
    private final @Nullable Integer objectGroupId;
    private final Map<String, String> tags;
    private final List<ChunkHash> hashes;

    private PrefixQuery(Builder b) {
        this.model = b.model;
        this.tokens = b.tokens;
        this.hasher = b.hasher;
        this.worldSize = b.worldSize;
        this.dtype = b.dtype;
        this.cacheSalt = b.cacheSalt;
        this.objectGroupId = b.objectGroupId;
        this.tags = Map.copyOf(b.tags);
        this.hashes = List.copyOf(hasher.hash(tokens));
    }

    /** A new builder; {@code model}, {@code tokens} and {@code hasher} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The model name as it appears in keys. */
    public String model() {
        return model;
    }

    /** Number of token ids in the prompt. */
    public int tokenCount() {
        return tokens.length;
    }

    /** The hashing settings. */
    public TokenHasher hasher() {
        return hasher;
    }

    /** Workers whose keys must all be present for a chunk to count. */
    public int worldSize() {
        return worldSize;
    }

    /**
     * The prompt's chunk hashes in token order, as LMCache computes them (full chunks, and the
     * trailing partial chunk only where the hasher's profile and {@code saveUnfullChunk} say so).
     */
    public List<ChunkHash> hashes() {
        return hashes;
    }

    /**
     * The chunk keys of every chunk: one list per chunk (in token order), holding the keys of
     * ranks {@code 0 .. worldSize-1}. For the {@code mp} layout the keys carry the cache salt
     * ({@code cache_salt} tag) and, if one was given, the object group ({@code object_group}
     * tag); for the in-process layouts the dtype and the request tags.
     *
     * @throws IllegalArgumentException if the hashing profile does not name keys of {@code layout}
     *                                  (multiprocess hashes go with {@code mp}, in-process hashes with
     *                                  the other layouts)
     */
    public List<List<ChunkKey>> forLayout(KeyLayout layout) {
        Objects.requireNonNull(layout, "layout");
        boolean mp = hasher.profile() == HashProfile.MP;
        if (mp != (layout == KeyLayout.MP)) {
            throw new IllegalArgumentException("hash profile " + hasher.profile().profileName() + " names chunks of "
                    + (mp ? "LMCache's multiprocess server (key_layout mp)" : "LMCache's in-process connectors "
                    + "(key_layout lmcache, tagged or single)") + ", but the store's key_layout is "
                    + layout.configName() + "; accepted: " + (mp ? "a store with key_layout mp, or an in-process profile"
                    : "a store with key_layout lmcache, tagged or single, or profile mp"));
        }
        List<List<ChunkKey>> out = new ArrayList<>(hashes.size());
        for (ChunkHash h : hashes) {
            ChunkKey.Builder k = ChunkKey.builder().model(model).worldSize(worldSize).workerId(0)
                    .chunkHashHex(h.keyHex()).dtype(dtype);
            if (mp) {
                if (objectGroupId != null) {
                    k.tag(MpKey.OBJECT_GROUP_TAG, Integer.toHexString(objectGroupId));
                }
                if (cacheSalt != null) {
                    k.tag(MpKey.CACHE_SALT_TAG, cacheSalt);
                }
            } else {
                tags.forEach(k::tag);
            }
            ChunkKey rank0 = k.build();
            ChunkKey[] ranks = new ChunkKey[worldSize];
            ranks[0] = rank0;
            for (int rank = 1; rank < worldSize; rank++) {
                ranks[rank] = rank0.withWorker(worldSize, rank); // validated once, per chunk
            }
            out.add(List.of(ranks));
        }
        return List.copyOf(out);
    }

    /** For example {@code PrefixQuery[model=m, tokens=1000, chunks=3, worldSize=4, TokenHasher[...]]}. */
    @Override
    public String toString() {
        return "PrefixQuery[model=" + model + ", tokens=" + tokens.length + ", chunks=" + hashes.size()
                + ", worldSize=" + worldSize + ", dtype=" + dtype
                + (cacheSalt == null ? "" : ", cacheSalt=" + cacheSalt)
                + (objectGroupId == null ? "" : ", objectGroup=" + objectGroupId)
                + (tags.isEmpty() ? "" : ", tags=" + tags.keySet()) + ", " + hasher + "]";
    }

    /** Builds a {@link PrefixQuery}; not thread-safe. */
    public static final class Builder {
        private @Nullable String model;
        private int @Nullable [] tokens;
        private @Nullable TokenHasher hasher;
        private int worldSize = DEFAULT_WORLD_SIZE;
        private String dtype = DEFAULT_DTYPE;
        private @Nullable String cacheSalt;
        private @Nullable Integer objectGroupId;
        private final Map<String, String> tags = new LinkedHashMap<>();

        private Builder() {
        }

        /** The model name exactly as the LMCache deployment writes it in keys; required. */
        public Builder model(String model) {
            this.model = model;
            return this;
        }

        /** The prompt's token ids (uint32 bit patterns, see {@link TokenIds}); required; copied. */
        public Builder tokens(int[] tokens) {
            this.tokens = Objects.requireNonNull(tokens, "tokens").clone();
            return this;
        }

        /** How the deployment hashes tokens; required. */
        public Builder hasher(TokenHasher hasher) {
            this.hasher = hasher;
            return this;
        }

        /** Tensor-parallel workers (default {@value #DEFAULT_WORLD_SIZE}); every rank's key must be present. */
        public Builder worldSize(int worldSize) {
            this.worldSize = worldSize;
            return this;
        }

        /** The dtype of in-process key strings (default {@value #DEFAULT_DTYPE}); ignored by MP names. */
        public Builder dtype(String dtype) {
            this.dtype = dtype;
            return this;
        }

        /** vLLM's per-request cache salt ({@code null} or empty for none); MP names only, never hashed. */
        public Builder cacheSalt(@Nullable String cacheSalt) {
            this.cacheSalt = cacheSalt == null || cacheSalt.isEmpty() ? null : cacheSalt;
            return this;
        }

        /**
         * The object group of the MP names looked up (a sliding-window group of a hybrid model);
         * {@code null} (the default) for the store's {@link StoreConfig#mpObjectGroup()}.
         */
        public Builder objectGroupId(@Nullable Integer objectGroupId) {
            this.objectGroupId = objectGroupId;
            return this;
        }

        /**
         * A request tag of in-process keys ({@code lmcache.tag.NAME: value} in LMCache's request
         * configs, appended to the key as {@code @NAME%value}, in the order added).
         */
        public Builder tag(String name, String value) {
            tags.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * The query, with the prompt hashed.
         *
         * @throws IllegalArgumentException naming the missing or invalid setting and what is accepted
         */
        public PrefixQuery build() {
            if (model == null || model.isEmpty() || model.indexOf('@') >= 0) {
                throw new IllegalArgumentException("model '" + model + "' is invalid; expected a non-empty name "
                        + "without '@'");
            }
            if (tokens == null) {
                throw new IllegalArgumentException("tokens are not set; expected the prompt's token ids");
            }
            if (hasher == null) {
                throw new IllegalArgumentException("hasher is not set; expected a TokenHasher configured as the "
                        + "LMCache deployment hashes");
            }
            if (worldSize < 1 || worldSize > MpKey.MAX_WORLD_SIZE) {
                throw new IllegalArgumentException("world size " + worldSize + " is out of range; expected 1 to "
                        + MpKey.MAX_WORLD_SIZE);
            }
            if (objectGroupId != null && objectGroupId < 0) {
                throw new IllegalArgumentException("object group id " + objectGroupId + " is negative; expected >= 0");
            }
            if (cacheSalt != null && cacheSalt.indexOf('@') >= 0) {
                throw new IllegalArgumentException("cache salt contains '@'; expected a value without '@'");
            }
            ChunkKey.builder().model(model).chunkHash(0).dtype(dtype).build(); // validates the dtype
            return new PrefixQuery(this);
        }
    }
}
