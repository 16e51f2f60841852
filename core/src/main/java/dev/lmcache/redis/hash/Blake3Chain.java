package dev.lmcache.redis.hash;

import dev.lmcache.redis.ChunkHash;
import org.apache.commons.codec.digest.Blake3;

/**
 * The multiprocess server's {@code blake3}: BLAKE3-256 of the previous 32-byte hash followed by the
 * chunk's token ids as big-endian uint32, full chunks only. The start value is the same function
 * applied to the integer prefix 0 (8 signed big-endian bytes) and the single token 0, which LMCache
 * computes when it does not take vLLM's {@code NONE_HASH} (it never does for blake3).
 */
final class Blake3Chain extends HashChain {
    private static final int DIGEST = 32;
    private static final byte[] START_DIGEST = Blake3.hash(new byte[8 + 4]);
    private static final ChunkHash START = new ChunkHash(0, 0, false, ChunkHash.Form.DIGEST, START_DIGEST);

    @Override
    public ChunkHash start() {
        return START;
    }

    @Override
    Cursor cursor(int longestChunk) {
        Blake3 blake3 = Blake3.initHash();
        byte[] buf = new byte[DIGEST + 4 * longestChunk];
        System.arraycopy(START_DIGEST, 0, buf, 0, DIGEST);
        return (tokens, from, to, partial) -> {
            int p = DIGEST;
            for (int i = from; i < to; i++) {
                p = Cbor.putInt(buf, p, tokens[i]);
            }
            byte[] digest = new byte[DIGEST];
            blake3.reset().update(buf, 0, p).doFinalize(digest);
            // the next chunk's input starts with this chunk's hash
            System.arraycopy(digest, 0, buf, 0, DIGEST);
            return new ChunkHash(from, to, partial, ChunkHash.Form.DIGEST, digest);
        };
    }
}
