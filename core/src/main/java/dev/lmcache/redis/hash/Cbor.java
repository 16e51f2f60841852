package dev.lmcache.redis.hash;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The few canonical CBOR (RFC 8949) items vLLM's {@code sha256_cbor} input is made of: unsigned
 * integers, byte and text strings, arrays and null, every head in its shortest form as
 * {@code cbor2.dumps(..., canonical=True)} writes it. Writes into a caller's array and returns the
 * next position, so a chunk's encoding needs no allocation.
 */
final class Cbor {
    static final int UNSIGNED = 0;
    static final int BYTES = 2 << 5;
    static final int TEXT = 3 << 5;
    static final int ARRAY = 4 << 5;
    static final byte NULL = (byte) 0xf6;
    static final byte EMPTY_ARRAY = (byte) ARRAY;

    /** The longest head: initial byte and 8 argument bytes. */
    static final int MAX_HEAD = 9;

    private Cbor() {
    }

    /**
     * A head: major type {@code major} (already shifted into the top three bits) with the argument
     * {@code value}, read as unsigned 64-bit.
     */
    static int head(byte[] b, int p, int major, long value) {
        if (Long.compareUnsigned(value, 24) < 0) {
            b[p] = (byte) (major | (int) value);
            return p + 1;
        }
        if (Long.compareUnsigned(value, 0x100) < 0) {
            b[p] = (byte) (major | 24);
            b[p + 1] = (byte) value;
            return p + 2;
        }
        if (Long.compareUnsigned(value, 0x10000) < 0) {
            b[p] = (byte) (major | 25);
            b[p + 1] = (byte) (value >>> 8);
            b[p + 2] = (byte) value;
            return p + 3;
        }
        if (Long.compareUnsigned(value, 0x100000000L) < 0) {
            b[p] = (byte) (major | 26);
            return putInt(b, p + 1, (int) value);
        }
        b[p] = (byte) (major | 27);
        putInt(b, p + 1, (int) (value >>> 32));
        return putInt(b, p + 5, (int) value);
    }

    /** A uint32 token id (held as an {@code int} bit pattern) as an unsigned integer item. */
    static int token(byte[] b, int p, int token) {
        // largest first: half of a 128k vocabulary's ids are 2^16 or more
        if (Integer.compareUnsigned(token, 0x10000) >= 0) {
            b[p] = (byte) (UNSIGNED | 26);
            return putInt(b, p + 1, token);
        }
        if (token >= 0x100) {
            b[p] = (byte) (UNSIGNED | 25);
            b[p + 1] = (byte) (token >>> 8);
            b[p + 2] = (byte) token;
            return p + 3;
        }
        if (token >= 24) {
            b[p] = (byte) (UNSIGNED | 24);
            b[p + 1] = (byte) token;
            return p + 2;
        }
        b[p] = (byte) token;
        return p + 1;
    }

    /** The largest encoding of one token id. */
    static final int MAX_TOKEN = 5;

    static int byteString(byte[] b, int p, byte[] value) {
        p = head(b, p, BYTES, value.length);
        System.arraycopy(value, 0, b, p, value.length);
        return p + value.length;
    }

    /** The encoding of one text string (UTF-8). */
    static byte[] text(String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        byte[] b = new byte[MAX_HEAD + utf8.length];
        int p = head(b, 0, TEXT, utf8.length);
        System.arraycopy(utf8, 0, b, p, utf8.length);
        return Arrays.copyOf(b, p + utf8.length);
    }

    /** The encoding of an array of text strings ({@code ()} when empty). */
    static byte[] textArray(List<String> items) {
        byte[][] parts = new byte[items.size()][];
        int size = MAX_HEAD;
        for (int i = 0; i < parts.length; i++) {
            parts[i] = text(items.get(i));
            size += parts[i].length;
        }
        byte[] b = new byte[size];
        int p = head(b, 0, ARRAY, parts.length);
        for (byte[] part : parts) {
            System.arraycopy(part, 0, b, p, part.length);
            p += part.length;
        }
        return Arrays.copyOf(b, p);
    }

    static int putInt(byte[] b, int p, int v) {
        b[p] = (byte) (v >>> 24);
        b[p + 1] = (byte) (v >>> 16);
        b[p + 2] = (byte) (v >>> 8);
        b[p + 3] = (byte) v;
        return p + 4;
    }
}
