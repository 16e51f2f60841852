package dev.lmcache.redis.hash;

/**
 * SipHash-1-3 (one compression round per 8-byte word, three finalization rounds) with a 64-bit
 * result: the string hash of CPython 3.11 and later on 64-bit platforms. Only used for the few
 * strings of a hasher's settings, so it favours plainness over speed.
 */
final class SipHash13 {

    private SipHash13() {
    }

    static long hash(long k0, long k1, byte[] data) {
        long[] v = {k0 ^ 0x736f6d6570736575L, k1 ^ 0x646f72616e646f6dL, k0 ^ 0x6c7967656e657261L,
            k1 ^ 0x7465646279746573L};
        int whole = data.length & ~7;
        for (int p = 0; p < whole; p += 8) {
            compress(v, littleEndian(data, p));
        }
        // the last word: the remaining bytes, and the length's low byte on top
        long last = (long) data.length << 56;
        for (int i = whole; i < data.length; i++) {
            last |= (data[i] & 0xffL) << (8 * (i - whole));
        }
        compress(v, last);
        v[2] ^= 0xff;
        for (int r = 0; r < 3; r++) {
            round(v);
        }
        return v[0] ^ v[1] ^ v[2] ^ v[3];
    }

    private static void compress(long[] v, long m) {
        v[3] ^= m;
        round(v);
        v[0] ^= m;
    }

    private static void round(long[] v) {
        v[0] += v[1];
        v[1] = Long.rotateLeft(v[1], 13) ^ v[0];
        v[0] = Long.rotateLeft(v[0], 32);
        v[2] += v[3];
        v[3] = Long.rotateLeft(v[3], 16) ^ v[2];
        v[0] += v[3];
        v[3] = Long.rotateLeft(v[3], 21) ^ v[0];
        v[2] += v[1];
        v[1] = Long.rotateLeft(v[1], 17) ^ v[2];
        v[2] = Long.rotateLeft(v[2], 32);
    }

    static long littleEndian(byte[] b, int p) {
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = (v << 8) | (b[p + i] & 0xffL);
        }
        return v;
    }
}
