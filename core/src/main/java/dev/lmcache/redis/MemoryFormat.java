package dev.lmcache.redis;

import java.util.Optional;

/**
 * Layout of a chunk's KV bytes as LMCache's {@code MemoryFormat} names it (the {@code fmt}
 * field of the header, {@code docs/LMCACHE-FORMAT.md} section 2). Codes 7 and above differ between
 * LMCache versions, so {@link ChunkMetadata} keeps {@code fmt} as an int and this enum only
 * names the stable ones.
 */
public enum MemoryFormat {
    UNDEFINED(0),
    /** {@code [2, layers, tokens, hidden]}: the usual full-chunk layout. */
    KV_2LTD(1),
    KV_T2D(2),
    KV_2TD(3),
    /** Compressed bytes; {@code length} differs from the shape's size. */
    BINARY(4),
    /** Untyped bytes: dtype {@link KvDtype#NONE}, shape {@code [length, 0, 0, 0]}. */
    BINARY_BUFFER(5),
    /** Multi-head latent attention (DeepSeek), usually {@code [1, layers, tokens, dim]}. */
    KV_MLA_FMT(6);

    // Declaration order matches the codes, so a code indexes this array directly.
    private static final MemoryFormat[] BY_CODE = values();

    private final int code;

    MemoryFormat(int code) {
        this.code = code;
    }

    /** The code written in the header. */
    public int code() {
        return code;
    }

    /** The format for a header code, or empty for codes this library does not name (negative or 7+). */
    public static Optional<MemoryFormat> fromCode(int code) {
        return code >= 0 && code < BY_CODE.length ? Optional.of(BY_CODE[code]) : Optional.empty();
    }
}
