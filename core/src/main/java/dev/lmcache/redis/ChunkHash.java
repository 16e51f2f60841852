package dev.lmcache.redis;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The hash LMCache gives the chunk of tokens {@code [start, end)} of a prompt; each hash covers the
 * whole prefix up to {@code end}. Made by {@link TokenHasher}. Immutable.
 *
 * @param start offset of the chunk's first token
 * @param end offset one past its last token
 * @param partial whether this is a trailing chunk shorter than the chunk size (only with
 *        {@code save_unfull_chunk} in the in-process profiles)
 * @param form how LMCache holds the hash, and so how {@link #keyHex()} renders it
 * @param bytes the hash: the 32-byte digest for {@link Form#DIGEST}, the 64-bit integer as 8
 *        big-endian bytes (two's complement) otherwise; copied in and out
 */
public record ChunkHash(int start, int end, boolean partial, Form form, byte[] bytes) {

    /** How LMCache holds a chunk hash. */
    public enum Form {
        /**
         * Python {@code bytes} of 32: the multiprocess profile and the 2026-03 in-process profile with
         * {@code sha256_cbor}. Rendered as 64 lowercase hex digits ({@code bytes.hex()}).
         */
        DIGEST(32),
        /**
         * A non-negative Python int below 2^64: an in-process {@code sha256_cbor} digest folded to its
         * first 8 bytes. Rendered as lowercase hex without padding ({@code f"{h:x}"}).
         */
        UNSIGNED_64(8),
        /**
         * A Python int in the signed 64-bit range: Python's {@code hash()} ({@code builtin}). Rendered
         * as lowercase hex without padding, a negative value as {@code -} and the hex of its absolute
         * value ({@code f"{h:x}"}).
         */
        SIGNED_64(8);

        private final int length;

        Form(int length) {
            this.length = length;
        }

        /** The number of bytes a hash of this form has. */
        public int length() {
            return length;
        }
    }

    /**
     * Checks and copies the fields.
     *
     * @throws IllegalArgumentException if the offsets are negative or reversed, or the byte count
     *         does not match the form
     */
    public ChunkHash {
        Objects.requireNonNull(form, "form");
        Objects.requireNonNull(bytes, "bytes");
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("chunk [" + start + ", " + end
                    + ") is not a token range; expected 0 <= start <= end");
        }
        if (bytes.length != form.length()) {
            throw new IllegalArgumentException("a " + form + " chunk hash has " + form.length() + " bytes, not "
                    + bytes.length);
        }
        bytes = bytes.clone();
    }

    /** A 64-bit chunk hash ({@link Form#UNSIGNED_64} or {@link Form#SIGNED_64}) from its value. */
    public static ChunkHash ofValue(int start, int end, boolean partial, Form form, long value) {
        if (form == Form.DIGEST) {
            throw new IllegalArgumentException("a DIGEST chunk hash has 32 bytes, not a 64-bit value");
        }
        byte[] b = new byte[8];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (value >>> (56 - 8 * i));
        }
        return new ChunkHash(start, end, partial, form, b);
    }

    /** A copy of the hash's bytes (see the {@code bytes} component). */
    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The number of tokens in the chunk. */
    public int length() {
        return end - start;
    }

    /**
     * The first 8 bytes as a big-endian {@code long}: the whole hash for the 64-bit forms (read it
     * unsigned for {@link Form#UNSIGNED_64}), a prefix of the digest for {@link Form#DIGEST}.
     */
    public long value() {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (bytes[i] & 0xff);
        }
        return v;
    }

    /**
     * The Python int LMCache holds for a 64-bit form: non-negative for {@link Form#UNSIGNED_64},
     * signed for {@link Form#SIGNED_64}. This is what {@link ChunkKey.Builder#chunkHash(BigInteger)}
     * takes.
     *
     * @throws IllegalStateException for a {@link Form#DIGEST}, which LMCache keeps as bytes
     */
    public BigInteger integer() {
        return switch (form) {
            case UNSIGNED_64 -> new BigInteger(1, bytes);
            case SIGNED_64 -> BigInteger.valueOf(value());
            case DIGEST -> throw new IllegalStateException(
                    "a 32-byte digest is not an integer in LMCache; use bytes() or keyHex()");
        };
    }

    /**
     * The hash exactly as LMCache writes it into a key: 64 lowercase hex digits for a
     * {@link Form#DIGEST}; lowercase hex without leading zeros for the 64-bit forms, with a leading
     * {@code -} and the absolute value for a negative {@link Form#SIGNED_64}.
     */
    public String keyHex() {
        return switch (form) {
            case DIGEST -> HexFormat.of().formatHex(bytes);
            case UNSIGNED_64 -> Long.toHexString(value());
            // Long.toHexString reads its argument unsigned, which also covers -Long.MIN_VALUE
            case SIGNED_64 -> value() < 0 ? "-" + Long.toHexString(-value()) : Long.toHexString(value());
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChunkHash c && start == c.start && end == c.end && partial == c.partial
                && form == c.form && Arrays.equals(bytes, c.bytes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(start, end, partial, form) * 31 + Arrays.hashCode(bytes);
    }

    /** {@code [start, end) keyHex} with {@code partial} when it is. */
    @Override
    public String toString() {
        return "[" + start + ", " + end + ") " + keyHex() + (partial ? " partial" : "");
    }
}
