package dev.lmcache.redis.layout;

import dev.lmcache.redis.ChunkKey;
import dev.lmcache.redis.KeyLayout;
import dev.lmcache.redis.MpKey;
import java.util.Optional;

/**
 * LMCache multiprocess-server names ({@link MpKey}), one key of raw KV bytes per chunk. Names
 * are written without an object group id (that field belongs to other MP adapters).
 */
final class MpNaming extends PrefixedNaming {

    MpNaming(String prefix) {
        super(KeyLayout.MP, prefix);
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException for a layer-wise key or one with tags other than {@code cache_salt}
     */
    @Override
    public String dataKey(ChunkKey key) {
        return MpKey.fromChunkKey(key, prefix).toString();
    }

    @Override
    public Optional<NamedKey> parse(String redisKey) {
        try {
            ChunkKey k = MpKey.parse(redisKey, prefix, false).toChunkKey();
            return Optional.of(new NamedKey(k, Role.DATA));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return "KeyNaming[mp" + (prefix == null ? "" : ", prefix=" + prefix) + "]";
    }
}
