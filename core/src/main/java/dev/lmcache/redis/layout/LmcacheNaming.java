package dev.lmcache.redis.layout;

import dev.lmcache.redis.ChunkKey;
import dev.lmcache.redis.KeyLayout;
import java.util.Optional;

/** Upstream LMCache's names: {@code K + "metadata"} and {@code K + "kv_bytes"}, no separator. */
final class LmcacheNaming extends PrefixedNaming {
    private static final String METADATA = "metadata";
    private static final String KV_BYTES = "kv_bytes";


    LmcacheNaming(String prefix) {
        super(KeyLayout.LMCACHE, prefix);
    }

    @Override
    public String dataKey(ChunkKey key) {
        return namespace + key + KV_BYTES;
    }

    @Override
    public String metadataKey(ChunkKey key) {
        return namespace + key + METADATA;
    }

    @Override
    public String chunkScanPattern(String modelOrNull) {
        return super.chunkScanPattern(modelOrNull) + METADATA;
    }

    @Override
    public Optional<NamedKey> parse(String redisKey) {
        return Names.parseTwoKey(redisKey, namespace, "", METADATA, KV_BYTES);
    }

    @Override
    public String toString() {
        return "KeyNaming[lmcache" + (prefix == null ? "" : ", prefix=" + prefix) + "]";
    }
}
