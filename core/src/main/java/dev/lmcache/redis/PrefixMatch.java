package dev.lmcache.redis;

import java.util.List;
import java.util.Objects;

/**
 * What {@link KvCacheStore#lookup(PrefixQuery)} found: the consecutive run of stored chunks from
 * the prompt's start, as LMCache's own lookup counts it (a chunk counts only if the keys of all
 * its ranks are present; the first chunk that does not ends the run).
 *
 * @param matchedTokens  tokens covered by the run: the end offset of its last chunk, 0 if the first
 *                       chunk is missing
 * @param matchedChunks  chunks in the run
 * @param hashes         every chunk hash of the prompt, in token order (the run is the first
 *                       {@code matchedChunks})
 * @param matchedKeys    the run's chunk keys, per chunk the keys of ranks {@code 0 .. worldSize-1}
 * @param keysLookedUp   Redis keys asked for (chunks times ranks), all in one round trip per node
 */
public record PrefixMatch(int matchedTokens, int matchedChunks, List<ChunkHash> hashes,
                          List<List<ChunkKey>> matchedKeys, int keysLookedUp) {

    /**
     * Validates and freezes the fields.
     *
     * @throws IllegalArgumentException if the counts are negative or disagree with the lists
     */
    public PrefixMatch {
        Objects.requireNonNull(hashes, "hashes");
        Objects.requireNonNull(matchedKeys, "matchedKeys");
        if (matchedChunks < 0 || matchedChunks > hashes.size() || matchedKeys.size() != matchedChunks) {
            throw new IllegalArgumentException("matched chunks " + matchedChunks + " disagree with " + hashes.size()
                    + " hashes and " + matchedKeys.size() + " matched key lists");
        }
        if (matchedTokens < 0 || keysLookedUp < 0) {
            throw new IllegalArgumentException("matched tokens " + matchedTokens + " and keys looked up "
                    + keysLookedUp + " must be >= 0");
        }
        hashes = List.copyOf(hashes);
        matchedKeys = List.copyOf(matchedKeys);
    }

    /** Chunks the prompt hashes to. */
    public int chunks() {
        return hashes.size();
    }
}
