package dev.lmcache.redis;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/**
 * The identity of one KV chunk: LMCache's {@code CacheEngineKey} ({@code docs/LMCACHE-FORMAT.md}
 * section 1), rendered by {@link #toString()} exactly as LMCache renders it:
 *
 * <pre>{@code model@world_size@worker_id@chunk_hash@dtype[@layer][@tag%value]...}</pre>
 *
 * <p>Immutable and thread-safe. Two keys are equal when their strings are equal: the string is
 * what names the chunk in Redis. {@code parse(k.toString())} equals {@code k}, and
 * {@code parse(s).toString()} is {@code s} for every string {@code parse} accepts; that is why
 * only canonical spellings are accepted (decimal ints without sign or leading zeros, lowercase
 * hex without {@code 0x}).
 *
 * <p>The chunk hash is kept as rendered: lowercase hex without padding, a negative integer as
 * {@code '-'} plus the hex of its absolute value (not two's complement), a byte-string hash as
 * {@code bytes.hex()} (leading zeros kept).
 */
public final class ChunkKey {

    /** The accepted form, quoted by parse errors. */
    public static final String FORM = "model@world_size@worker_id@chunk_hash@dtype[@layer][@tag%value]...";

    private static final String LEGACY_FORM = "fmt@" + FORM;

    private static final String DTYPE_LIST = String.join(", ", KvDtype.KEY_NAMES);
    private static final String LEGACY_DTYPE_NOTE = " (or older " + String.join(", ", KvDtype.LEGACY_KEY_NAMES) + ")";

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private static final BigInteger MIN_INT64 = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger TWO_POW_64 = BigInteger.ONE.shiftLeft(64);

    /**
     * One request tag, rendered {@code @name%value} after the dtype (and layer). LMCache takes
     * them from request configs named {@code lmcache.tag.<name>}, in insertion order.
     *
     * @param name  non-empty, without {@code '@'} or {@code '%'}
     * @param value possibly empty, without {@code '@'} ({@code '%'} is allowed: only the first
     *              {@code '%'} of a tag separates name and value)
     */
    public record Tag(String name, String value) {
        /**
         * Validates the tag.
         *
         * @throws IllegalArgumentException if the name or value could not be parsed back from a key
         */
        public Tag {
            Objects.requireNonNull(name, "tag name");
            Objects.requireNonNull(value, "tag value");
            if (name.isEmpty() || name.indexOf('@') >= 0 || name.indexOf('%') >= 0) {
                throw new IllegalArgumentException("tag name '" + name
                        + "' is invalid; expected a non-empty name without '@' or '%'");
            }
            if (value.indexOf('@') >= 0) {
                throw new IllegalArgumentException("tag value '" + value + "' of tag '" + name
                        + "' contains '@'; expected a value without '@'");
            }
        }
    }

    private final String legacyFormat;
    private final String model;
    private final int worldSize;
    private final int workerId;
    private final String chunkHash;
    private final boolean hashFromInteger;
    private final String dtype;
    private final int layer;
    private final List<Tag> tags;
    private final String string;
    // Derived lazily; both are immutable values, so a racy recomputation is harmless.
    private BigInteger hashValue;
    private String hashBytesHex;

    private ChunkKey(String legacyFormat, String model, int worldSize, int workerId, String chunkHash,
                     boolean hashFromInteger, String dtype, int layer, List<Tag> tags) {
        this.legacyFormat = legacyFormat;
        this.model = model;
        this.worldSize = worldSize;
        this.workerId = workerId;
        this.chunkHash = chunkHash;
        this.hashFromInteger = hashFromInteger;
        this.dtype = dtype;
        this.layer = layer;
        this.tags = tags;
        this.string = render();
    }

    /**
     * A key without layer or tags, for a signed integer hash (Python's {@code hash()} range).
     *
     * @throws IllegalArgumentException naming the invalid field
     */
    public static ChunkKey of(String model, int worldSize, int workerId, long chunkHash, String dtype) {
        return builder().model(model).worldSize(worldSize).workerId(workerId).chunkHash(chunkHash).dtype(dtype)
                .build();
    }

    /**
     * A key without layer or tags, for an integer hash of any size (e.g. an unsigned 64-bit value).
     *
     * @throws IllegalArgumentException naming the invalid field
     */
    public static ChunkKey of(String model, int worldSize, int workerId, BigInteger chunkHash, String dtype) {
        return builder().model(model).worldSize(worldSize).workerId(workerId).chunkHash(chunkHash).dtype(dtype)
                .build();
    }

    /** A builder; {@code worldSize} defaults to 1 and {@code workerId} to 0. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Parses a current-format key string.
     *
     * @throws IllegalArgumentException naming the offending part and the accepted form
     */
    public static ChunkKey parse(String s) {
        return parse(s, false);
    }

    /**
     * Parses a key string, optionally also in the form older LMCache releases wrote:
     * {@code fmt@model@world_size@worker_id@chunk_hash@dtype[@layer][@tag%value]...} with dtype
     * names such as {@code fp8_e4m3} and {@code fp8}.
     *
     * <p>The leading format field is recognised when part 5 (0-based 4) is not a dtype name but
     * part 6 is. That never misreads a current key: a current key's part 5 is its dtype, and its
     * part 6, if any, is a layer (digits) or a tag (contains {@code '%'}), never a dtype name; and
     * no dtype name is valid hex, so a hash is never mistaken for one. The format field is kept
     * ({@link #legacyFormat()}) and rendered again by {@link #toString()}.
     *
     * @param acceptLegacyFormatField whether to accept the older form and dtype names
     * @throws IllegalArgumentException naming the offending part and the accepted form
     */
    public static ChunkKey parse(String s, boolean acceptLegacyFormatField) {
        Objects.requireNonNull(s, "key");
        String[] parts = split(s);
        if (acceptLegacyFormatField && parts.length >= 6 && !isDtype(parts[4], true) && isDtype(parts[5], true)) {
            if (parts[0].isEmpty()) {
                throw new IllegalArgumentException("format field in key '" + s + "' is empty; expected " + LEGACY_FORM);
            }
            return parseParts(s, parts, 1, parts[0], true, LEGACY_FORM);
        }
        String expected = acceptLegacyFormatField ? FORM + " (or, from older LMCache, " + LEGACY_FORM + ")" : FORM;
        return parseParts(s, parts, 0, null, acceptLegacyFormatField, expected);
    }

    private static ChunkKey parseParts(String s, String[] parts, int off, String fmt, boolean legacyDtypes,
                                       String expected) {
        int n = parts.length - off;
        if (n < 5) {
            throw new IllegalArgumentException("key '" + s + "' has " + parts.length
                    + " '@'-separated parts; expected at least " + (off + 5) + ": " + expected);
        }
        String model = parts[off];
        if (model.isEmpty()) {
            throw new IllegalArgumentException("model in key '" + s + "' is empty; expected " + expected);
        }
        int worldSize = parseDecimal(parts[off + 1], "world_size", s, expected);
        if (worldSize < 1) {
            throw partError("world_size", parts[off + 1], s, "must be at least 1", expected);
        }
        int workerId = parseDecimal(parts[off + 2], "worker_id", s, expected);
        if (workerId >= worldSize) {
            throw partError("worker_id", parts[off + 2], s, "must be less than world_size " + worldSize, expected);
        }
        String hashProblem = hashProblem(parts[off + 3]);
        if (hashProblem != null) {
            throw partError("chunk_hash", parts[off + 3], s, hashProblem, expected);
        }
        String dtype = parts[off + 4];
        if (!isDtype(dtype, legacyDtypes)) {
            throw partError("dtype", dtype, s, "is not one of " + DTYPE_LIST
                    + (legacyDtypes ? LEGACY_DTYPE_NOTE : ""), expected);
        }
        int i = off + 5;
        int layer = -1;
        if (i < parts.length && isDigits(parts[i])) {
            layer = parseDecimal(parts[i], "layer", s, expected);
            i++;
        }
        List<Tag> tags = new ArrayList<>(parts.length - i);
        for (; i < parts.length; i++) {
            String p = parts[i];
            int pct = p.indexOf('%');
            if (pct < 0) {
                throw partError("tag", p, s, "has no '%' (a tag is name%value; only the part right after dtype "
                        + "may be a numeric layer)", expected);
            }
            if (pct == 0) {
                throw partError("tag", p, s, "has an empty name", expected);
            }
            tags.add(new Tag(p.substring(0, pct), p.substring(pct + 1)));
        }
        return new ChunkKey(fmt, model, worldSize, workerId, parts[off + 3], false, dtype, layer, List.copyOf(tags));
    }

    /** The model name, verbatim (may contain {@code '/'}). */
    public String model() {
        return model;
    }

    /** Number of workers (tensor-parallel ranks) the KV cache is split over, at least 1. */
    public int worldSize() {
        return worldSize;
    }

    /** This worker's rank, {@code 0 <= workerId < worldSize}. */
    public int workerId() {
        return workerId;
    }

    /** The chunk hash exactly as it appears in the key string (lowercase hex, optional leading {@code '-'}). */
    public String chunkHash() {
        return chunkHash;
    }

    /** The hash as a signed number; a byte-string hash reads as its unsigned big-endian value. */
    public BigInteger chunkHashValue() {
        BigInteger v = hashValue;
        if (v == null) {
            v = chunkHash.charAt(0) == '-'
                    ? new BigInteger(chunkHash.substring(1), 16).negate()
                    : new BigInteger(chunkHash, 16);
            hashValue = v;
        }
        return v;
    }

    /**
     * The hash as the byte string LMCache's multiprocess server names objects by
     * ({@code docs/LMCACHE-FORMAT.md} section 6), in lowercase hex of even length.
     *
     * <p>A hash given as an integer ({@link Builder#chunkHash(long)}, {@link Builder#chunkHash(BigInteger)},
     * {@link #withChunkHash(long)}) becomes its 8 big-endian two's-complement bytes, as the
     * engine converts integer hashes (values outside 64 bits: their minimal big-endian bytes,
     * at least 8). A hash given as bytes, hex text, or parsed from a string is kept as is when
     * it already is bytes hex (non-negative, even length), otherwise converted like an integer.
     * This is the one property that depends on how the key was built rather than on its string:
     * {@code of(.., 12345L, ..)} gives {@code 0000000000003039}, {@code parse("..@3039@..")} gives
     * {@code 3039}.
     */
    public String chunkHashBytesHex() {
        String h = hashBytesHex;
        if (h == null) {
            if (!hashFromInteger && chunkHash.charAt(0) != '-' && (chunkHash.length() & 1) == 0) {
                h = chunkHash;
            } else {
                h = integerBytesHex(chunkHashValue());
            }
            hashBytesHex = h;
        }
        return h;
    }

    /** The dtype string as it appears in the key (see {@link KvDtype#fromName(String)} to map it). */
    public String dtype() {
        return dtype;
    }

    /** The layer id of a layer-wise key, or empty for a whole-chunk key. */
    public OptionalInt layer() {
        return layer < 0 ? OptionalInt.empty() : OptionalInt.of(layer);
    }

    /** Request tags in key order; immutable, empty when there are none. */
    public List<Tag> tags() {
        return tags;
    }

    /** The leading format field of a key parsed in the older form (e.g. {@code vllm}), else empty. */
    public Optional<String> legacyFormat() {
        return Optional.ofNullable(legacyFormat);
    }

    /** This key with another (signed integer) hash; everything else is kept. */
    public ChunkKey withChunkHash(long chunkHash) {
        return new ChunkKey(legacyFormat, model, worldSize, workerId, renderHash(chunkHash), true, dtype, layer, tags);
    }

    /**
     * This key for another worker of a tensor-parallel deployment; everything else is kept (the
     * keys of one chunk's ranks differ only here).
     *
     * @throws IllegalArgumentException unless {@code 1 <= worldSize} and {@code 0 <= workerId < worldSize}
     */
    public ChunkKey withWorker(int worldSize, int workerId) {
        if (worldSize < 1 || workerId < 0 || workerId >= worldSize) {
            throw new IllegalArgumentException("worker " + workerId + " of world size " + worldSize
                    + " is invalid; expected world size >= 1 and worker id 0 to world size - 1");
        }
        return new ChunkKey(legacyFormat, model, worldSize, workerId, chunkHash, hashFromInteger, dtype, layer, tags);
    }

    /**
     * This key for one layer (a layer-wise key); everything else is kept.
     *
     * @throws IllegalArgumentException if {@code layer} is negative
     */
    public ChunkKey withLayer(int layer) {
        if (layer < 0) {
            throw new IllegalArgumentException("layer " + layer + " is negative; expected >= 0");
        }
        return new ChunkKey(legacyFormat, model, worldSize, workerId, chunkHash, hashFromInteger, dtype, layer, tags);
    }

    /** This key without a layer id (the whole-chunk key). */
    public ChunkKey withoutLayer() {
        return layer < 0 ? this
                : new ChunkKey(legacyFormat, model, worldSize, workerId, chunkHash, hashFromInteger, dtype, -1, tags);
    }

    /** LMCache's key string, e.g. {@code meta-llama/Llama-3.1-8B-Instruct@1@0@75bcd15@bfloat16}. */
    @Override
    public String toString() {
        return string;
    }

    /** Equal when the key strings are equal. */
    @Override
    public boolean equals(@Nullable Object o) {
        return o == this || (o instanceof ChunkKey k && string.equals(k.string));
    }

    @Override
    public int hashCode() {
        return string.hashCode();
    }

    private String render() {
        StringBuilder sb = new StringBuilder(model.length() + chunkHash.length() + 32 + 16 * tags.size());
        if (legacyFormat != null) {
            sb.append(legacyFormat).append('@');
        }
        sb.append(model).append('@').append(worldSize).append('@').append(workerId).append('@')
                .append(chunkHash).append('@').append(dtype);
        if (layer >= 0) {
            sb.append('@').append(layer);
        }
        for (Tag t : tags) {
            sb.append('@').append(t.name()).append('%').append(t.value());
        }
        return sb.toString();
    }

    /** Builds a {@link ChunkKey}; not thread-safe. */
    public static final class Builder {
        private String legacyFormat;
        private String model;
        private int worldSize = 1;
        private int workerId;
        private String chunkHash;
        private boolean hashFromInteger;
        private String dtype;
        private int layer = -1;
        private final List<Tag> tags = new ArrayList<>();

        private Builder() {
        }

        /** The model name, non-empty and without {@code '@'}; required. */
        public Builder model(String model) {
            this.model = model;
            return this;
        }

        /** Number of workers, at least 1; defaults to 1. */
        public Builder worldSize(int worldSize) {
            this.worldSize = worldSize;
            return this;
        }

        /** This worker's rank, {@code 0 <= workerId < worldSize}; defaults to 0. */
        public Builder workerId(int workerId) {
            this.workerId = workerId;
            return this;
        }

        /** A signed 64-bit integer hash (Python's {@code hash()} range); rendered {@code -hex(abs)} when negative. */
        public Builder chunkHash(long chunkHash) {
            this.chunkHash = renderHash(chunkHash);
            this.hashFromInteger = true;
            return this;
        }

        /** An integer hash of any size; an unsigned 64-bit value above 2^63 renders as unsigned hex. */
        public Builder chunkHash(BigInteger chunkHash) {
            Objects.requireNonNull(chunkHash, "chunkHash");
            this.chunkHash = chunkHash.signum() < 0 ? "-" + chunkHash.negate().toString(16) : chunkHash.toString(16);
            this.hashFromInteger = true;
            return this;
        }

        /**
         * A byte-string hash, rendered as {@code bytes.hex()} (leading zeros kept).
         *
         * @throws IllegalArgumentException if {@code bytes} is empty
         */
        public Builder chunkHashBytes(byte[] bytes) {
            Objects.requireNonNull(bytes, "chunkHashBytes");
            if (bytes.length == 0) {
                throw new IllegalArgumentException("chunk hash bytes are empty; expected at least one byte");
            }
            char[] out = new char[bytes.length * 2];
            for (int i = 0; i < bytes.length; i++) {
                out[2 * i] = HEX[(bytes[i] >> 4) & 0xf];
                out[2 * i + 1] = HEX[bytes[i] & 0xf];
            }
            this.chunkHash = new String(out);
            this.hashFromInteger = false;
            return this;
        }

        /**
         * A hash exactly as it should appear in the key string.
         *
         * @throws IllegalArgumentException unless lowercase hex (no {@code 0x}), optionally
         *                                  {@code '-'} followed by hex without leading zero
         */
        public Builder chunkHashHex(String hex) {
            Objects.requireNonNull(hex, "chunkHashHex");
            String problem = hashProblem(hex);
            if (problem != null) {
                throw new IllegalArgumentException("chunk_hash '" + hex + "' " + problem);
            }
            this.chunkHash = hex;
            this.hashFromInteger = false;
            return this;
        }

        /** The dtype string, one of {@link KvDtype#KEY_NAMES}; required. */
        public Builder dtype(String dtype) {
            this.dtype = dtype;
            return this;
        }

        /** Makes this a layer-wise key for layer {@code layer >= 0}. */
        public Builder layer(int layer) {
            if (layer < 0) {
                throw new IllegalArgumentException("layer " + layer + " is negative; expected >= 0");
            }
            this.layer = layer;
            return this;
        }

        /**
         * Appends a tag (kept in call order).
         *
         * @throws IllegalArgumentException as {@link Tag}
         */
        public Builder tag(String name, String value) {
            tags.add(new Tag(name, value));
            return this;
        }

        /**
         * Writes the key in the older form with this leading format field (e.g. {@code vllm}),
         * which also allows the older dtype names {@code fp8} and {@code fp8_e4m3}. For reading
         * data older LMCache releases wrote; {@code null} clears it.
         */
        public Builder legacyFormat(@Nullable String fmt) {
            this.legacyFormat = fmt;
            return this;
        }

        /**
         * The key.
         *
         * @throws IllegalArgumentException naming the missing or invalid field and what is accepted
         */
        public ChunkKey build() {
            if (model == null || model.isEmpty() || model.indexOf('@') >= 0) {
                throw new IllegalArgumentException("model '" + model + "' is invalid; expected a non-empty name "
                        + "without '@'");
            }
            if (worldSize < 1) {
                throw new IllegalArgumentException("worldSize " + worldSize + " is invalid; expected >= 1");
            }
            if (workerId < 0 || workerId >= worldSize) {
                throw new IllegalArgumentException("workerId " + workerId + " is invalid; expected 0 <= workerId < "
                        + "worldSize " + worldSize);
            }
            if (chunkHash == null) {
                throw new IllegalArgumentException("chunk hash is missing; set chunkHash, chunkHashBytes or "
                        + "chunkHashHex");
            }
            if (legacyFormat != null && (legacyFormat.isEmpty() || legacyFormat.indexOf('@') >= 0)) {
                throw new IllegalArgumentException("legacy format field '" + legacyFormat + "' is invalid; "
                        + "expected a non-empty name without '@' (e.g. vllm)");
            }
            if (dtype == null || !isDtype(dtype, legacyFormat != null)) {
                throw new IllegalArgumentException("dtype '" + dtype + "' is not supported; expected one of "
                        + DTYPE_LIST + (legacyFormat != null ? LEGACY_DTYPE_NOTE : ""));
            }
            return new ChunkKey(legacyFormat, model, worldSize, workerId, chunkHash, hashFromInteger, dtype, layer,
                    List.copyOf(tags));
        }
    }

    static String renderHash(long v) {
        if (v >= 0) {
            return Long.toHexString(v);
        }
        // -Long.MIN_VALUE overflows; its magnitude is 2^63.
        return v == Long.MIN_VALUE ? "-8000000000000000" : "-" + Long.toHexString(-v);
    }

    private static String integerBytesHex(BigInteger v) {
        if (v.compareTo(MIN_INT64) >= 0 && v.compareTo(TWO_POW_64) < 0) {
            String h = Long.toHexString(v.longValue());
            return "0000000000000000".substring(h.length()) + h;
        }
        byte[] b = v.toByteArray();
        int start = 0;
        if (v.signum() > 0 && b[0] == 0) {
            start = 1; // the sign byte of a positive value is not part of its unsigned bytes
        }
        StringBuilder sb = new StringBuilder(2 * (b.length - start));
        for (int i = start; i < b.length; i++) {
            sb.append(HEX[(b[i] >> 4) & 0xf]).append(HEX[b[i] & 0xf]);
        }
        return sb.toString();
    }

    /** Why {@code h} is not a hash as LMCache renders one, or null if it is. */
    private static String hashProblem(String h) {
        if (h.isEmpty()) {
            return "is empty; expected lowercase hex";
        }
        int start = h.charAt(0) == '-' ? 1 : 0;
        if (start == h.length()) {
            return "has no digits after '-'; expected lowercase hex";
        }
        for (int i = start; i < h.length(); i++) {
            char c = h.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return "is not lowercase hex (no 0x, no uppercase; a negative hash is '-' followed by hex)";
            }
        }
        if (start == 1 && h.charAt(1) == '0') {
            return "has a leading zero after '-'; a negative hash is '-' followed by hex without leading zeros";
        }
        return null;
    }

    private static boolean isDtype(String s, boolean legacy) {
        return KvDtype.KEY_NAMES.contains(s) || (legacy && KvDtype.LEGACY_KEY_NAMES.contains(s));
    }

    private static boolean isDigits(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static int parseDecimal(String p, String what, String key, String expected) {
        if (!isDigits(p)) {
            throw partError(what, p, key, "is not a decimal integer", expected);
        }
        if (p.length() > 1 && p.charAt(0) == '0') {
            throw partError(what, p, key, "has a leading zero", expected);
        }
        if (p.length() > 10 || Long.parseLong(p) > Integer.MAX_VALUE) {
            throw partError(what, p, key, "is out of range (at most " + Integer.MAX_VALUE + ")", expected);
        }
        return Integer.parseInt(p);
    }

    private static IllegalArgumentException partError(String what, String part, String key, String problem,
                                                      String expected) {
        return new IllegalArgumentException(what + " '" + part + "' in key '" + key + "' " + problem
                + "; expected " + expected);
    }

    /** Splits on every {@code '@'}, keeping empty parts (unlike {@link String#split}). */
    private static String[] split(String s) {
        int n = 1;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '@') {
                n++;
            }
        }
        String[] parts = new String[n];
        int from = 0;
        for (int k = 0; k < n - 1; k++) {
            int at = s.indexOf('@', from);
            parts[k] = s.substring(from, at);
            from = at + 1;
        }
        parts[n - 1] = s.substring(from);
        return parts;
    }
}
