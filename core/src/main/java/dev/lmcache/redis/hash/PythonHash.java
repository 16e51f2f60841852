package dev.lmcache.redis.hash;

/**
 * Python's {@code hash()} as 64-bit CPython 3.11 and later computes it, for the objects LMCache
 * hashes: ints, tuples and strs. Facts from CPython's {@code Objects/longobject.c},
 * {@code Objects/tupleobject.c} and {@code Python/pyhash.c}; see {@code LMCACHE-HASHING.md}.
 */
final class PythonHash {
    /** {@code _PyHASH_MODULUS}: ints hash to their value modulo the Mersenne prime 2^61 - 1. */
    static final long MODULUS = (1L << 61) - 1;

    // the xxHash primes of CPython's tuple hash
    private static final long PRIME_1 = 0x9E3779B185EBCA87L;
    private static final long PRIME_2 = 0xC2B2AE3D27D4EB4FL;
    private static final long PRIME_5 = 0x27D4EB2F165667C5L;
    /** What CPython adds with the length, chosen so that {@code hash(())} kept its old value. */
    private static final long LENGTH_MANGLE = PRIME_5 ^ 3527539L;

    private PythonHash() {
    }

    /** {@code hash(x)} of an int in the signed 64-bit range. */
    static long ofInt(long x) {
        long h;
        if (x >= 0) {
            h = x % MODULUS;
        } else if (x == Long.MIN_VALUE) {
            h = -4; // |x| = 2^63 = 4 * (2^61 - 1) + 4, and -x does not exist as a long
        } else {
            h = -((-x) % MODULUS);
        }
        return h == -1 ? -2 : h; // -1 means "error" in CPython's C API
    }

    /** The state of a tuple hash before any element. */
    static long tupleStart() {
        return PRIME_5;
    }

    /** The state after adding an element whose hash is {@code lane}. */
    static long tupleAdd(long acc, long lane) {
        acc += lane * PRIME_2;
        acc = Long.rotateLeft(acc, 31);
        return acc * PRIME_1;
    }

    /** The hash of a tuple of {@code length} elements from its state after the last element. */
    static long tupleEnd(long acc, int length) {
        acc += length ^ LENGTH_MANGLE;
        return acc == -1 ? 1546275796L : acc;
    }

    /**
     * {@code hash(s)} of a str under the SipHash-1-3 key {@code k0, k1}: SipHash of the string's
     * internal representation, which is one byte per character when every code point is below 256,
     * two (little-endian) when all are below 65536, four otherwise.
     */
    static long ofStr(String s, long k0, long k1) {
        int[] cps = s.codePoints().toArray();
        if (cps.length == 0) {
            return 0;
        }
        int max = 0;
        for (int cp : cps) {
            max = Math.max(max, cp);
        }
        int kind = max < 0x100 ? 1 : max < 0x10000 ? 2 : 4;
        byte[] data = new byte[cps.length * kind];
        for (int i = 0; i < cps.length; i++) {
            for (int j = 0; j < kind; j++) {
                data[i * kind + j] = (byte) (cps[i] >>> (8 * j));
            }
        }
        long h = SipHash13.hash(k0, k1, data);
        return h == -1 ? -2 : h;
    }

    /**
     * The SipHash key {k0, k1} of a process started with {@code PYTHONHASHSEED=seed}: zero for 0,
     * otherwise the first 16 bytes CPython's linear congruential generator fills its hash secret with,
     * read as two little-endian 64-bit words.
     *
     * @param seed 0 to 4294967295
     */
    static long[] key(long seed) {
        if (seed == 0) {
            return new long[] {0, 0};
        }
        byte[] secret = new byte[16];
        int x = (int) seed;
        for (int i = 0; i < secret.length; i++) {
            x = x * 214013 + 2531011;
            secret[i] = (byte) (x >>> 16);
        }
        return new long[] {SipHash13.littleEndian(secret, 0), SipHash13.littleEndian(secret, 8)};
    }
}
