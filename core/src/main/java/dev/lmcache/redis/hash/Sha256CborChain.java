package dev.lmcache.redis.hash;

import dev.lmcache.redis.ChunkHash;
import dev.lmcache.redis.HashProfile;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * vLLM's {@code sha256_cbor}: SHA-256 of the canonical CBOR of {@code [prev, [t0, t1, ...], third]}.
 * The profiles differ in what {@code prev} is and in the third element:
 * <ul>
 *   <li>multiprocess: the previous 32-byte digest as a byte string, third {@code null};</li>
 *   <li>in-process 2026-03: the same digest, third {@code ()} (an empty array);</li>
 *   <li>in-process current: the digest folded to the unsigned 64-bit integer of its first 8 bytes,
 *       third the tuple of extra keys ({@code ()} without any).</li>
 * </ul>
 * The start value is the digest of the CBOR text of the seed string, folded in the current
 * in-process profile.
 */
final class Sha256CborChain extends HashChain {
    private static final int DIGEST = 32;

    private final boolean folded;
    private final byte[] third;
    private final byte[] startDigest;
    private final ChunkHash start;

    Sha256CborChain(HashProfile profile, String seed, List<String> extraKeys) {
        folded = profile == HashProfile.IN_PROCESS;
        third = switch (profile) {
            case MP -> new byte[] {Cbor.NULL};
            case IN_PROCESS_2026_03 -> new byte[] {Cbor.EMPTY_ARRAY};
            case IN_PROCESS -> Cbor.textArray(extraKeys);
        };
        startDigest = newDigest().digest(Cbor.text(seed));
        start = folded ? ChunkHash.ofValue(0, 0, false, ChunkHash.Form.UNSIGNED_64, fold(startDigest, 0))
                : new ChunkHash(0, 0, false, ChunkHash.Form.DIGEST, startDigest);
    }

    @Override
    public ChunkHash start() {
        return start;
    }

    @Override
    Cursor cursor(int longestChunk) {
        MessageDigest sha = newDigest();
        byte[] buf = new byte[1 + 2 + DIGEST + Cbor.MAX_HEAD + longestChunk * Cbor.MAX_TOKEN + third.length];
        return new Cursor() {
            private byte[] prev = startDigest;
            private long prevValue = fold(startDigest, 0);

            @Override
            public ChunkHash next(int[] tokens, int from, int to, boolean partial) {
                buf[0] = (byte) (Cbor.ARRAY | 3);
                int p = folded ? Cbor.head(buf, 1, Cbor.UNSIGNED, prevValue) : Cbor.byteString(buf, 1, prev);
                p = Cbor.head(buf, p, Cbor.ARRAY, to - from);
                for (int i = from; i < to; i++) {
                    p = Cbor.token(buf, p, tokens[i]);
                }
                System.arraycopy(third, 0, buf, p, third.length);
                p += third.length;
                sha.update(buf, 0, p);
                byte[] digest = sha.digest();
                if (folded) {
                    prevValue = fold(digest, 0);
                    return ChunkHash.ofValue(from, to, partial, ChunkHash.Form.UNSIGNED_64, prevValue);
                }
                prev = digest;
                return new ChunkHash(from, to, partial, ChunkHash.Form.DIGEST, digest);
            }
        };
    }

    /** The first 8 bytes, big-endian: LMCache's {@code int.from_bytes(digest[:8], "big")}. */
    static long fold(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[off + i] & 0xff);
        }
        return v;
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256, which every Java platform must provide", e);
        }
    }
}
