package dev.lmcache.redis;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An object name of LMCache's multiprocess server ({@code docs/LMCACHE-FORMAT.md} section 6):
 *
 * <pre>{@code [keyPrefix@]model@<kvRank as %08x>[@<objectGroupId as hex>]@<chunk hash hex>[@cacheSalt]}</pre>
 *
 * <p>e.g. {@code llama-7b@0000000c@a1b2c3d4} or
 * {@code prod@meta-llama/Llama-3.1-8B@00000000@9f86d081884c7d65@tenant-a}. One Redis key per
 * chunk holding the raw KV bytes; there is no world size and no dtype in the name.
 *
 * @param keyPrefix     deployment namespace, or {@code null} for none ({@code ""} is normalised to {@code null});
 *                      without {@code '@'}
 * @param model         non-empty, without {@code '@'}
 * @param kvRank        the worker's KV rank, {@code >= 0}
 * @param objectGroupId the object group some MP adapters insert after the rank, or {@code null}; {@code >= 0}
 * @param chunkHashHex  the chunk hash bytes as lowercase hex ({@code bytes.hex()}): non-empty, even length
 * @param cacheSalt     per-tenant salt, or {@code null} when unset ({@code ""} is normalised to {@code null},
 *                      as LMCache appends it only when set); without {@code '@'}
 */
public record MpKey(@Nullable String keyPrefix, String model, int kvRank, @Nullable Integer objectGroupId,
                    String chunkHashHex, @Nullable String cacheSalt) {

    /** The accepted form, quoted by parse errors. */
    public static final String FORM = "[prefix@]model@kv_rank(8 hex digits)[@object_group_id(hex)]@chunk_hash(hex)"
            + "[@cache_salt]";

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
            if (g.isEmpty() || !isLowerHex(g) || (g.length() > 1 && g.charAt(0) == '0') || g.length() > 8
                    || Integer.parseUnsignedInt(g, 16) < 0) {
                throw partError("object_group_id", g, s, "is not lowercase hex without leading zeros (0 to 7fffffff)");
            }
            group = Integer.parseInt(g, 16);
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

    /** Name of the {@link ChunkKey} tag whose value becomes the cache salt. */
    public static final String CACHE_SALT_TAG = "cache_salt";

    /**
     * Names a chunk the way LMCache's multiprocess server would: model = the key's model, kv rank
     * = its worker id, hash = {@link ChunkKey#chunkHashBytesHex()}, cache salt = the value of its
     * {@code cache_salt} tag if any. World size and dtype are not part of MP names.
     *
     * @param keyPrefixOrNull deployment namespace, {@code null} or {@code ""} for none
     * @throws IllegalArgumentException if the key is layer-wise or has tags other than
     *                                  {@code cache_salt}: MP names have no place for them, and
     *                                  dropping them would let distinct chunks overwrite each other
     */
    public static MpKey fromChunkKey(ChunkKey key, @Nullable String keyPrefixOrNull) {
        if (key.layer().isPresent()) {
            throw new IllegalArgumentException("key '" + key + "' is layer-wise; the mp layout has no layer field");
        }
        String salt = null;
        for (ChunkKey.Tag t : key.tags()) {
            if (!t.name().equals(CACHE_SALT_TAG) || salt != null) {
                throw new IllegalArgumentException("key '" + key + "' has tag '" + t.name() + "'; the mp layout "
                        + "keeps only one tag, " + CACHE_SALT_TAG + " (as its cache salt)");
            }
            salt = t.value();
        }
        return new MpKey(keyPrefixOrNull, key.model(), key.workerId(), null, key.chunkHashBytesHex(), salt);
    }

    /**
     * The {@link ChunkKey} this name maps back to. The mapping is lossy, since MP names carry
     * no world size and no dtype: the result has world size {@code kvRank + 1} (the smallest
     * that admits the rank), worker id {@code kvRank}, dtype {@code uint8} (raw bytes), the hash
     * hex verbatim, and a {@code cache_salt} tag when salted. The object group id and the prefix
     * are dropped. {@code fromChunkKey(toChunkKey(), keyPrefix())} equals this name when it has
     * no object group.
     *
     * @throws IllegalArgumentException if {@code kvRank} is {@link Integer#MAX_VALUE} (no world size can hold it)
     */
    public ChunkKey toChunkKey() {
        if (kvRank == Integer.MAX_VALUE) {
            throw new IllegalArgumentException("kv rank " + kvRank + " is too large to map to a ChunkKey");
        }
        ChunkKey.Builder b = ChunkKey.builder().model(model).worldSize(kvRank + 1).workerId(kvRank)
                .chunkHashHex(chunkHashHex).dtype("uint8");
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
        sb.append(model).append('@');
        String rank = Integer.toHexString(kvRank);
        for (int i = rank.length(); i < 8; i++) {
            sb.append('0');
        }
        sb.append(rank);
        if (objectGroupId != null) {
            sb.append('@').append(Integer.toHexString(objectGroupId));
        }
        sb.append('@').append(chunkHashHex);
        if (cacheSalt != null) {
            sb.append('@').append(cacheSalt);
        }
        return sb.toString();
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
