package dev.lmcache.redis.hash;

import dev.lmcache.redis.ChunkHash;
import java.util.ArrayList;
import java.util.List;
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
    public List<ChunkHash> hash(int[] tokens, int chunkSize, boolean withPartial) {
        int count = chunkCount(tokens.length, chunkSize, withPartial);
        List<ChunkHash> out = new ArrayList<>(count);
        if (count == 0) {
            return out;
        }
        Blake3 blake3 = Blake3.initHash();
        int longest = Math.min(chunkSize, tokens.length);
        byte[] buf = new byte[DIGEST + 4 * longest];
        System.arraycopy(START_DIGEST, 0, buf, 0, DIGEST);
        for (int c = 0; c < count; c++) {
            int from = c * chunkSize;
            int to = Math.min(from + chunkSize, tokens.length);
            int p = DIGEST;
            for (int i = from; i < to; i++) {
                p = Cbor.putInt(buf, p, tokens[i]);
            }
            byte[] digest = new byte[DIGEST];
            blake3.reset().update(buf, 0, p).doFinalize(digest);
            // the next chunk's input starts with this chunk's hash
            System.arraycopy(digest, 0, buf, 0, DIGEST);
            out.add(new ChunkHash(from, to, to - from < chunkSize, ChunkHash.Form.DIGEST, digest));
        }
        return out;
    }
}
