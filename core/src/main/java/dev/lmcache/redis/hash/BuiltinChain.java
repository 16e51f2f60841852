package dev.lmcache.redis.hash;

import dev.lmcache.redis.ChunkHash;
import java.util.List;

/**
 * LMCache's in-process {@code builtin}: Python's {@code hash((prev, tuple(tokens), extra))}, where
 * {@code prev} is the previous chunk's hash (a signed 64-bit int) and {@code extra} the tuple of
 * extra keys ({@code ()} without any). The chain starts at {@code hash(seed)} of the seed string,
 * which is what vLLM's {@code init_none_hash} gives for Python's hash, or at 0 when LMCache could
 * not use vLLM's {@code NONE_HASH}.
 */
final class BuiltinChain extends HashChain {
    private final long third;
    private final ChunkHash start;

    /**
     * @param seed the PYTHONHASHSEED, an integer string; not read (and may be {@code null}) when no
     *        string is hashed: a chain starting at 0 without extra keys
     */
    BuiltinChain(String seed, List<String> extraKeys, boolean startAtZero) {
        long[] key = startAtZero && extraKeys.isEmpty() ? null : PythonHash.key(Long.parseLong(seed));
        long acc = PythonHash.tupleStart();
        for (String k : extraKeys) {
            acc = PythonHash.tupleAdd(acc, PythonHash.ofStr(k, key[0], key[1]));
        }
        third = PythonHash.tupleEnd(acc, extraKeys.size());
        long startValue = startAtZero ? 0 : PythonHash.ofStr(seed, key[0], key[1]);
        start = ChunkHash.ofValue(0, 0, false, ChunkHash.Form.SIGNED_64, startValue);
    }

    @Override
    public ChunkHash start() {
        return start;
    }

    @Override
    Cursor cursor(int longestChunk) {
        return new Cursor() {
            private long prev = start.value();

            @Override
            public ChunkHash next(int[] tokens, int from, int to, boolean partial) {
                long inner = PythonHash.tupleStart();
                for (int i = from; i < to; i++) {
                    // a token id (below 2^32) is its own int hash
                    inner = PythonHash.tupleAdd(inner, Integer.toUnsignedLong(tokens[i]));
                }
                inner = PythonHash.tupleEnd(inner, to - from);
                long outer = PythonHash.tupleStart();
                outer = PythonHash.tupleAdd(outer, PythonHash.ofInt(prev));
                outer = PythonHash.tupleAdd(outer, inner);
                outer = PythonHash.tupleAdd(outer, third);
                prev = PythonHash.tupleEnd(outer, 3);
                return ChunkHash.ofValue(from, to, partial, ChunkHash.Form.SIGNED_64, prev);
            }
        };
    }
}
