package dev.lmcache.redis;

import java.util.HexFormat;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An object name of LMCache's multiprocess (MP) server ({@code docs/LMCACHE-FORMAT.md} section 6), as
 * LMCache writes it since 2026-06-09:
 *
 * <pre>{@code [keyPrefix@]model@<kvRank as %08x>@<objectGroupId as hex>@<chunk hash hex>[@cacheSalt]}</pre>
 *
 * <p>and, for deployments of LMCache before 2026-06-09, without the object group
 * ({@code objectGroupId == null}). One Redis key per chunk holding the raw KV bytes; there is no
 * dtype in the name. The worker's place in its tensor-parallel group is packed into
 * {@code kvRank} as {@code (worldSize << 24) | (rank << 16) | (worldSize << 8) | rank}
 * ({@link #kvRank(int, int)}; {@code 01000100} for world size 1, {@code 04020402} for rank 2 of
 * 4); {@link #of} builds a name from those fields, and {@link #worldSize()} / {@link #rank()}
 * read them back. A name with any other {@code kvRank} is still a valid name (LMCache renders
 * whatever rank it is given), but it cannot be mapped to a {@link ChunkKey}.
 *
 * <p>e.g. {@code meta-llama/Llama-3.1-8B@01000100@0@59c2904d...e8f4} or
 * {@code prod@meta-llama/Llama-3.1-8B@04020402@0@<64 hex>@tenant-a}.
 *
 * @param keyPrefix     deployment namespace, or {@code null} for none ({@code ""} is normalised to {@code null});
 *                      without {@code '@'}
 * @param model         non-empty, without {@code '@'}
 * @param kvRank        the packed KV rank, {@code >= 0}
 * @param objectGroupId the object group id ({@code 0} for ordinary models, one per sliding-window group of a
 *                      hybrid model), or {@code null} for the form LMCache wrote before 2026-06-09; {@code >= 0}
 * @param chunkHashHex  the chunk hash bytes as lowercase hex ({@code bytes.hex()}; LMCache's are 32 bytes):
 *                      non-empty, even length
 * @param cacheSalt     vLLM's per-request salt, or {@code null} when unset ({@code ""} is normalised to
 *                      {@code null}, as LMCache appends it only when set); without {@code '@'}
 */
public record MpKey(@Nullable String keyPrefix, String model, int kvRank, @Nullable Integer objectGroupId,
                    String chunkHashHex, @Nullable String cacheSalt) {

    /** The accepted form, quoted by parse errors. */
    public static final String FORM = "[prefix@]model@kv_rank(8 hex digits)@object_group_id(hex)@chunk_hash(hex)"
            + "[@cache_salt] (before LMCache 2026-06-09: without @object_group_id)";

    /** Name of the {@link ChunkKey} tag whose value becomes the cache salt. */
    public static final String CACHE_SALT_TAG = "cache_salt";

    /**
     * Name of the {@link ChunkKey} tag (lowercase hex, as in the name) that overrides the
     * deployment's object group id for one chunk; see {@link #fromChunkKey(ChunkKey, String, Integer)}.
     */
    public static final String OBJECT_GROUP_TAG = "object_group";

    /** The largest world size this library packs: its byte must keep the rank a non-negative int. */
    public static final int MAX_WORLD_SIZE = 127;

    /**
     * Validates the fields.
     *
     * @throws IllegalArgumentException naming the invalid field and what is accepted
     */
    public MpKey {
        if (keyPrefix != null && keyPrefix.isEmpty()) {
            keyPrefix = null;
        }
        if (cacheSalt != null && cacheSalt.isEmpty()) {
            cacheSalt = null;
        }
        if (keyPrefix != null && keyPrefix.indexOf('@') >= 0) {
            throw new IllegalArgumentException("key prefix '" + keyPrefix + "' contains '@'; expected a name without '@'");
        }
        if (model == null || model.isEmpty() || model.indexOf('@') >= 0) {
            throw new IllegalArgumentException("model '" + model + "' is invalid; expected a non-empty name without '@'");
        }
        if (kvRank < 0) {
            throw new IllegalArgumentException("kv rank " + kvRank + " is negative; expected >= 0");
        }
        if (objectGroupId != null && objectGroupId < 0) {
            throw new IllegalArgumentException("object group id " + objectGroupId + " is negative; expected >= 0");
        }
        Objects.requireNonNull(chunkHashHex, "chunkHashHex");
        String problem = hashProblem(chunkHashHex);
        if (problem != null) {
            throw new IllegalArgumentException("chunk hash '" + chunkHashHex + "' " + problem);
        }
        if (cacheSalt != null && cacheSalt.indexOf('@') >= 0) {
            throw new IllegalArgumentException("cache salt contains '@'; expected a value without '@'");
        }
    }

    /**
     * Parses a name as {@code redis-cli --scan} shows it, working out the optional parts: the
     * kv rank is the first of the second or third {@code '@'}-separated parts that is a packed
     * rank ({@link #hasPackedRank()}; failing that, the second part), and whatever precedes the
     * model is the key prefix; the object group is taken as present when the part after the rank
     * is a canonical group id (hex, no leading zeros, at most 8 digits) followed by a hash, which
     * is always so for LMCache's names since 2026-06-09 (their hashes are 64 hex digits). Where
     * the deployment's settings are known, {@link #parse(String, String, boolean)} is exact.
     *
     * @throws IllegalArgumentException naming the offending part and the accepted form
     */
    public static MpKey parse(String s) {
        Objects.requireNonNull(s, "key");
        String[] parts = s.split("@", -1);
        int r = -1;
        for (int i = 1; i <= 2 && i < parts.length && r < 0; i++) {
            if (isPackedRank(parts[i])) {
                r = i;
            }
        }
        if (r < 0) {
            r = 1;
        }
        String prefix = r == 2 ? parts[0] : null;
        boolean group = parts.length > r + 2 && parseGroup(parts[r + 1]) != null && hashProblem(parts[r + 2]) == null;
        return parse(s, prefix, group);
    }

    private static boolean isPackedRank(String part) {
        if (part.length() != 8 || !isLowerHex(part)) {
            return false;
        }
        return isPacked(Integer.parseUnsignedInt(part, 16));
    }

    /**
     * Parses a name that has no key prefix.
     *
     * @see #parse(String, String, boolean)
     */
    public static MpKey parse(String s, boolean hasObjectGroup) {
        return parse(s, null, hasObjectGroup);
    }

    /**
     * Parses a name. The caller says what the deployment writes, because the name alone is
     * ambiguous: the prefix, the object group and the salt are each optional, and every part is
     * plain text or hex. For example {@code a@00000001@00000002@aabbccdd} is both prefix
     * {@code a} + model {@code 00000001} + rank 2 and model {@code a} + rank 1 + hash
     * {@code 00000002} + salt {@code aabbccdd}; {@code m@00000001@07@aabb} is both object group
     * 7 + hash {@code aabb} and hash {@code 07} + salt {@code aabb}.
     *
     * @param expectedPrefixOrNull the configured prefix ({@code null} or {@code ""} for none); the name must start with it
     * @param hasObjectGroup       whether the name carries an object group id after the rank
     * @throws IllegalArgumentException naming the offending part and the accepted form
     */
    public static MpKey parse(String s, @Nullable String expectedPrefixOrNull, boolean hasObjectGroup) {
        Objects.requireNonNull(s, "key");
        String prefix = expectedPrefixOrNull == null || expectedPrefixOrNull.isEmpty() ? null : expectedPrefixOrNull;
        String rest = s;
        if (prefix != null) {
            if (!s.startsWith(prefix) || s.length() == prefix.length() || s.charAt(prefix.length()) != '@') {
                throw new IllegalArgumentException("key '" + s + "' does not start with the key prefix '" + prefix
                        + "@'; expected " + FORM);
            }
            rest = s.substring(prefix.length() + 1);
        }
        String[] parts = rest.split("@", -1);
        int fixed = hasObjectGroup ? 4 : 3;
        if (parts.length != fixed && parts.length != fixed + 1) {
            throw new IllegalArgumentException("key '" + s + "' has " + parts.length + " '@'-separated parts after "
                    + (prefix == null ? "no prefix" : "the prefix") + "; expected " + fixed + " or " + (fixed + 1)
                    + ": " + FORM);
        }
        if (parts[0].isEmpty()) {
            throw new IllegalArgumentException("model in key '" + s + "' is empty; expected " + FORM);
        }
        String rank = parts[1];
        if (rank.length() != 8 || !isLowerHex(rank)) {
            throw partError("kv_rank", rank, s, "is not 8 lowercase hex digits");
        }
        int kvRank = Integer.parseUnsignedInt(rank, 16);
        if (kvRank < 0) {
            throw partError("kv_rank", rank, s, "is out of range (at most 7fffffff)");
        }
        Integer group = null;
        int h = 2;
        if (hasObjectGroup) {
            String g = parts[2];
            group = parseGroup(g);
            if (group == null) {
                throw partError("object_group_id", g, s, "is not lowercase hex without leading zeros (0 to 7fffffff)");
            }
            h = 3;
        }
        String problem = hashProblem(parts[h]);
        if (problem != null) {
            throw partError("chunk_hash", parts[h], s, problem);
        }
        String salt = parts.length > h + 1 ? parts[h + 1] : null;
        if (salt != null && salt.isEmpty()) {
            throw partError("cache_salt", salt, s, "is empty (an unset salt is left out together with its '@')");
        }
        return new MpKey(prefix, parts[0], kvRank, group, parts[h], salt);
    }

    /**
     * A name from the worker's tensor-parallel shape rather than a packed rank.
     *
     * @param keyPrefixOrNull deployment namespace, {@code null} or {@code ""} for none
     * @param worldSize       workers of the deployment, 1 to {@value #MAX_WORLD_SIZE}
     * @param rank            this worker, 0 to {@code worldSize - 1}
     * @param objectGroupId   {@code 0} for ordinary models, or {@code null} for the pre-2026-06-09 form
     * @param chunkHash       the chunk hash bytes (32 for LMCache); copied
     * @param cacheSaltOrNull the salt, {@code null} or {@code ""} for none
     * @throws IllegalArgumentException naming the invalid field and what is accepted
     */
    public static MpKey of(@Nullable String keyPrefixOrNull, String model, int worldSize, int rank,
                           @Nullable Integer objectGroupId, byte[] chunkHash, @Nullable String cacheSaltOrNull) {
        Objects.requireNonNull(chunkHash, "chunkHash");
        return new MpKey(keyPrefixOrNull, model, kvRank(worldSize, rank), objectGroupId,
                HexFormat.of().formatHex(chunkHash), cacheSaltOrNull);
    }

    /**
     * LMCache's packed KV rank, {@code (worldSize << 24) | (rank << 16) | (worldSize << 8) | rank}.
     *
     * @throws IllegalArgumentException unless {@code 1 <= worldSize <= 255} and {@code 0 <= rank < worldSize}
     */
    public static int kvRank(int worldSize, int rank) {
        if (worldSize < 1 || worldSize > MAX_WORLD_SIZE) {
            throw new IllegalArgumentException("world size " + worldSize + " is out of range; expected 1 to "
                    + MAX_WORLD_SIZE);
        }
        if (rank < 0 || rank >= worldSize) {
            throw new IllegalArgumentException("rank " + rank + " is out of range for world size " + worldSize
                    + "; expected 0 to " + (worldSize - 1));
        }
        return (worldSize << 24) | (rank << 16) | (worldSize << 8) | rank;
    }

    /** The world size packed in {@link #kvRank()} (its top byte); meaningful when {@link #hasPackedRank()}. */
    public int worldSize() {
        return kvRank >>> 24;
    }

    /** The rank packed in {@link #kvRank()} (its second byte); meaningful when {@link #hasPackedRank()}. */
    public int rank() {
        return (kvRank >>> 16) & 0xff;
    }

    /** Whether {@link #kvRank()} is LMCache's packed form of a world size and a rank ({@link #kvRank(int, int)}). */
    public boolean hasPackedRank() {
        return isPacked(kvRank);
    }

    private static boolean isPacked(int kvRank) {
        int ws = kvRank >>> 24;
        int r = (kvRank >>> 16) & 0xff;
        return ws >= 1 && r < ws && kvRank == ((ws << 24) | (r << 16) | (ws << 8) | r);
    }

    /** The chunk hash bytes (a new array). */
    public byte[] chunkHash() {
        return HexFormat.of().parseHex(chunkHashHex);
    }

    /**
     * Names a chunk the way LMCache's multiprocess server does: the key's model, kv rank
     * {@link #kvRank(int, int) kvRank(worldSize, workerId)}, hash
     * {@link ChunkKey#chunkHashBytesHex()}, cache salt = the value of its {@code cache_salt} tag
     * if any, object group = its {@code object_group} tag (hex) if any, else
     * {@code defaultObjectGroupId}. The dtype is not part of MP names.
     *
     * @param keyPrefixOrNull      deployment namespace, {@code null} or {@code ""} for none
     * @param defaultObjectGroupId the deployment's object group ({@code 0} for current LMCache), or
     *                             {@code null} for the form before 2026-06-09 (then an {@code object_group}
     *                             tag is an error)
     * @throws IllegalArgumentException if the key is layer-wise, has tags other than these two, a
     *                                  world size above {@value #MAX_WORLD_SIZE}, or a malformed group tag:
     *                                  MP names have no place for them, and dropping them would let
     *                                  distinct chunks overwrite each other
     */
    public static MpKey fromChunkKey(ChunkKey key, @Nullable String keyPrefixOrNull,
                                     @Nullable Integer defaultObjectGroupId) {
        if (key.layer().isPresent()) {
            throw new IllegalArgumentException("key '" + key + "' is layer-wise; the mp layout has no layer field");
        }
        String salt = null;
        Integer group = defaultObjectGroupId;
        boolean groupTagged = false;
        for (ChunkKey.Tag t : key.tags()) {
            if (t.name().equals(CACHE_SALT_TAG) && salt == null) {
                salt = t.value();
            } else if (t.name().equals(OBJECT_GROUP_TAG) && !groupTagged && defaultObjectGroupId != null) {
                group = parseGroup(t.value());
                if (group == null) {
                    throw new IllegalArgumentException("key '" + key + "' has " + OBJECT_GROUP_TAG + " '" + t.value()
                            + "'; expected lowercase hex without leading zeros (0 to 7fffffff)");
                }
                groupTagged = true;
            } else {
                throw new IllegalArgumentException("key '" + key + "' has tag '" + t.name() + "'; the mp layout "
                        + "keeps only " + CACHE_SALT_TAG + " (as its cache salt)"
                        + (defaultObjectGroupId == null ? "" : " and " + OBJECT_GROUP_TAG + " (its object group id)")
                        + ", once each");
            }
        }
        return new MpKey(keyPrefixOrNull, key.model(), kvRank(key.worldSize(), key.workerId()), group,
                key.chunkHashBytesHex(), salt);
    }

    /**
     * The {@link ChunkKey} the mp layout stores this name under: world size and worker id
     * unpacked from {@link #kvRank()}, dtype {@code uint8} (raw bytes; MP names carry no dtype),
     * the hash hex verbatim, a {@code cache_salt} tag when salted and an {@code object_group}
     * tag when the group is not {@code defaultObjectGroupId}. The prefix is dropped.
     * {@code fromChunkKey(toChunkKey(g), keyPrefix(), g)} equals this name whenever
     * {@code g} is {@code null} exactly when {@link #objectGroupId()} is.
     *
     * @throws IllegalArgumentException if {@link #kvRank()} is not a packed world size and rank
     *                                  ({@link #hasPackedRank()}), or the name's object-group form
     *                                  (present or absent) is not the deployment's
     */
    public ChunkKey toChunkKey(@Nullable Integer defaultObjectGroupId) {
        if (!hasPackedRank()) {
            throw new IllegalArgumentException("kv_rank " + rankHex() + " of '" + this + "' is not LMCache's packed "
                    + "(world_size << 24 | rank << 16 | world_size << 8 | rank); it maps to no chunk key");
        }
        if ((objectGroupId == null) != (defaultObjectGroupId == null)) {
            throw new IllegalArgumentException("'" + this + "' is " + (objectGroupId == null ? "without" : "with")
                    + " an object group id; the deployment's names are " + (defaultObjectGroupId == null
                    ? "without (before LMCache 2026-06-09)" : "with (LMCache since 2026-06-09)"));
        }
        ChunkKey.Builder b = ChunkKey.builder().model(model).worldSize(worldSize()).workerId(rank())
                .chunkHashHex(chunkHashHex).dtype("uint8");
        if (objectGroupId != null && !objectGroupId.equals(defaultObjectGroupId)) {
            b.tag(OBJECT_GROUP_TAG, Integer.toHexString(objectGroupId));
        }
        if (cacheSalt != null) {
            b.tag(CACHE_SALT_TAG, cacheSalt);
        }
        return b.build();
    }

    /** The object name, e.g. {@code prod@meta-llama/Llama-3.1-8B@00000000@9f86d081884c7d65@tenant-a}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(64 + model.length() + chunkHashHex.length());
        if (keyPrefix != null) {
            sb.append(keyPrefix).append('@');
        }
        sb.append(model).append('@').append(rankHex());
        if (objectGroupId != null) {
            sb.append('@').append(Integer.toHexString(objectGroupId));
        }
        sb.append('@').append(chunkHashHex);
        if (cacheSalt != null) {
            sb.append('@').append(cacheSalt);
        }
        return sb.toString();
    }

    private String rankHex() {
        String rank = Integer.toHexString(kvRank);
        return "00000000".substring(rank.length()) + rank;
    }

    /** A canonical object group id (lowercase hex, no leading zeros, at most 7fffffff), or null. */
    private static Integer parseGroup(String g) {
        if (g.isEmpty() || g.length() > 8 || !isLowerHex(g) || (g.length() > 1 && g.charAt(0) == '0')) {
            return null;
        }
        int v = Integer.parseUnsignedInt(g, 16);
        return v < 0 ? null : v;
    }

    private static String hashProblem(String h) {
        if (h.isEmpty()) {
            return "is empty; expected lowercase hex bytes";
        }
        if (!isLowerHex(h)) {
            return "is not lowercase hex (no 0x, no uppercase)";
        }
        if ((h.length() & 1) != 0) {
            return "has an odd number of hex digits; expected whole bytes (bytes.hex())";
        }
        return null;
    }

    private static boolean isLowerHex(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    private static IllegalArgumentException partError(String what, String part, String key, String problem) {
        return new IllegalArgumentException(what + " '" + part + "' in key '" + key + "' " + problem
                + "; expected " + FORM);
    }
}
