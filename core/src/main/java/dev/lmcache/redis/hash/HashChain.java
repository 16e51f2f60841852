package dev.lmcache.redis.hash;

import dev.lmcache.redis.ChunkHash;
import dev.lmcache.redis.HashAlgorithm;
import dev.lmcache.redis.HashProfile;
import java.util.ArrayList;
import java.util.List;

/**
 * One LMCache hashing scheme: a start value and the step from one chunk's hash to the next.
 * Internal; use {@link dev.lmcache.redis.TokenHasher}, which validates the settings before they get
 * here. Instances are immutable and thread-safe; each {@link #hash} call has its own scratch state.
 */
public abstract class HashChain {

    HashChain() {
    }

    /**
     * The chain for already validated settings.
     *
     * @param seed the seed string LMCache hashes for the start value (PYTHONHASHSEED, or vLLM's default
     *        when unset); {@code null} only where no seed is needed
     * @param extraKeys strings that enter every chunk's hash as its third element (in-process profile)
     * @param startAtZero whether the chain starts at 0 instead of the seed's hash (builtin, in-process)
     */
    public static HashChain create(HashProfile profile, HashAlgorithm algorithm, String seed, List<String> extraKeys,
            boolean startAtZero) {
        return switch (algorithm) {
            case BLAKE3 -> new Blake3Chain();
            case SHA256_CBOR -> new Sha256CborChain(profile, seed, extraKeys);
            case BUILTIN -> new BuiltinChain(seed, extraKeys, startAtZero);
        };
    }

    /** The value the chain starts from (LMCache's {@code NONE_HASH}), as the hash of {@code [0, 0)}. */
    public abstract ChunkHash start();

    /**
     * The hashes of the chunks of {@code tokens}: one per full chunk of {@code chunkSize}, plus the
     * trailing partial chunk when {@code withPartial} and the length is not a multiple.
     *
     * @param tokens uint32 token ids as {@code int} bit patterns; not modified
     */
    public final List<ChunkHash> hash(int[] tokens, int chunkSize, boolean withPartial) {
        int count = chunkCount(tokens.length, chunkSize, withPartial);
        List<ChunkHash> out = new ArrayList<>(count);
        if (count == 0) {
            return out;
        }
        Cursor cursor = cursor(Math.min(chunkSize, tokens.length));
        for (int c = 0; c < count; c++) {
            int from = c * chunkSize;
            int to = Math.min(from + chunkSize, tokens.length);
            out.add(cursor.next(tokens, from, to, to - from < chunkSize));
        }
        return out;
    }

    /** The state of one {@link #hash} call: scratch buffers and the previous chunk's hash. */
    interface Cursor {
        /** The hash of chunk {@code tokens[from, to)}, which follows the one returned before (or the start). */
        ChunkHash next(int[] tokens, int from, int to, boolean partial);
    }

    /** A cursor at the start of the chain, with room for chunks of up to {@code longestChunk} tokens. */
    abstract Cursor cursor(int longestChunk);

    /** The number of chunks {@link #hash} returns. */
    static int chunkCount(int tokens, int chunkSize, boolean withPartial) {
        int full = tokens / chunkSize;
        return withPartial && tokens % chunkSize != 0 ? full + 1 : full;
    }
}
