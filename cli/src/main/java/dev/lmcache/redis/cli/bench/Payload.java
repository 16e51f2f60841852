package dev.lmcache.redis.cli.bench;

import dev.lmcache.redis.ChunkKey;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Deterministic chunk bytes: the content of a chunk is a pure function of its key, so a bench
 * never keeps payloads in memory to verify them. Writing fills a buffer from a SplitMix64 stream
 * seeded by the key; verifying regenerates the stream and compares every byte.
 */
final class Payload {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private Payload() {
    }

    /** The seed of a key's content: a 64-bit FNV-1a of the key's string form, mixed. */
    static long seed(ChunkKey key) {
        byte[] s = key.toString().getBytes(StandardCharsets.UTF_8);
        long h = 0xcbf29ce484222325L;
        for (byte b : s) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return mix(h);
    }

    /** Fills {@code length} bytes of {@code dst} from its position, without moving the position. */
    static void fill(ByteBuffer dst, long seed, int length) {
        int base = dst.position();
        long state = seed;
        int i = 0;
        for (; i + 8 <= length; i += 8) {
            state += GOLDEN;
            dst.putLong(base + i, mix(state));
        }
        if (i < length) {
            state += GOLDEN;
            long last = mix(state);
            for (; i < length; i++) {
                dst.put(base + i, (byte) last);
                last >>>= 8;
            }
        }
    }

    /** A new heap buffer holding the key's content. */
    static ByteBuffer heapBuffer(ChunkKey key, int length) {
        ByteBuffer b = ByteBuffer.allocate(length);
        fill(b, seed(key), length);
        return b;
    }

    /** A new byte array holding the key's content. */
    static byte[] bytes(ChunkKey key, int length) {
        return heapBuffer(key, length).array();
    }

    /**
     * Whether the bytes between {@code src}'s position and limit are exactly the key's content of
     * {@code expectedLength} bytes. Does not move the position.
     */
    static boolean matches(ByteBuffer src, ChunkKey key, int expectedLength) {
        if (src.remaining() != expectedLength) {
            return false;
        }
        int base = src.position();
        long state = seed(key);
        int i = 0;
        for (; i + 8 <= expectedLength; i += 8) {
            state += GOLDEN;
            if (src.getLong(base + i) != mix(state)) {
                return false;
            }
        }
        if (i < expectedLength) {
            state += GOLDEN;
            long last = mix(state);
            for (; i < expectedLength; i++) {
                if (src.get(base + i) != (byte) last) {
                    return false;
                }
                last >>>= 8;
            }
        }
        return true;
    }

    /** SplitMix64's finaliser. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
