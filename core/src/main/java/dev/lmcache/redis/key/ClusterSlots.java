package dev.lmcache.redis.key;

/**
 * Redis Cluster hash slots: CRC16-CCITT (XModem: polynomial 0x1021, initial value 0, no
 * reflection) of the key's bytes, modulo 16384.
 *
 * <p>Hash tags: if the key has an opening brace and, after it, a closing brace with at least
 * one byte between them, only the bytes between the first opening brace and the first closing
 * brace after it are hashed ({@code {user1}:a} and {@code {user1}:b} share a slot). That is how the {@code tagged} layout keeps a chunk's two keys in one slot.
 */
public final class ClusterSlots {

    /** Number of hash slots in a Redis Cluster. */
    public static final int SLOT_COUNT = 16384;

    private static final int[] TABLE = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int crc = i << 8;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            }
            TABLE[i] = crc & 0xffff;
        }
    }

    private ClusterSlots() {
    }

    /**
     * The slot of a key given as text; hashed as its UTF-8 bytes (unpaired surrogates as
     * {@code '?'}, as {@link String#getBytes} does) without allocating them.
     */
    public static int slot(String key) {
        int n = key.length();
        int open = key.indexOf('{');
        if (open >= 0) {
            int close = key.indexOf('}', open + 1);
            // '{' and '}' are ASCII and never occur inside a multi-byte UTF-8 sequence, so char
            // positions delimit the same bytes.
            if (close > open + 1) {
                return crc16Utf8(key, open + 1, close) & (SLOT_COUNT - 1);
            }
        }
        return crc16Utf8(key, 0, n) & (SLOT_COUNT - 1);
    }

    /** The slot of a key given as bytes. */
    public static int slot(byte[] key) {
        int from = 0;
        int to = key.length;
        int open = indexOf(key, (byte) '{', 0);
        if (open >= 0) {
            int close = indexOf(key, (byte) '}', open + 1);
            if (close > open + 1) {
                from = open + 1;
                to = close;
            }
        }
        int crc = 0;
        for (int i = from; i < to; i++) {
            crc = update(crc, key[i]);
        }
        return crc & (SLOT_COUNT - 1);
    }

    private static int indexOf(byte[] a, byte b, int from) {
        for (int i = from; i < a.length; i++) {
            if (a[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static int update(int crc, int b) {
        return ((crc << 8) ^ TABLE[((crc >>> 8) ^ b) & 0xff]) & 0xffff;
    }

    private static int crc16Utf8(String s, int from, int to) {
        int crc = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                crc = update(crc, c);
            } else if (c < 0x800) {
                crc = update(crc, 0xc0 | (c >> 6));
                crc = update(crc, 0x80 | (c & 0x3f));
            } else if (Character.isSurrogate(c)) {
                int cp;
                if (Character.isHighSurrogate(c) && i + 1 < to && Character.isLowSurrogate(s.charAt(i + 1))) {
                    cp = Character.toCodePoint(c, s.charAt(++i));
                    crc = update(crc, 0xf0 | (cp >> 18));
                    crc = update(crc, 0x80 | ((cp >> 12) & 0x3f));
                    crc = update(crc, 0x80 | ((cp >> 6) & 0x3f));
                    crc = update(crc, 0x80 | (cp & 0x3f));
                } else {
                    crc = update(crc, '?');
                }
            } else {
                crc = update(crc, 0xe0 | (c >> 12));
                crc = update(crc, 0x80 | ((c >> 6) & 0x3f));
                crc = update(crc, 0x80 | (c & 0x3f));
            }
        }
        return crc;
    }
}
