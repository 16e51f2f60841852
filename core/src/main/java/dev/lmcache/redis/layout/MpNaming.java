package dev.lmcache.redis.layout;

import dev.lmcache.redis.ChunkKey;
import dev.lmcache.redis.KeyLayout;
import dev.lmcache.redis.MpKey;
import java.util.Optional;

/**
 * LMCache multiprocess-server names ({@link MpKey}), one key of raw KV bytes per chunk: the
 * chunk key's world size and worker id packed into the kv rank, its {@code cache_salt} and
 * {@code object_group} tags as salt and group, the deployment's object group otherwise (none:
 * the form before LMCache 2026-06-09).
 */
final class MpNaming extends PrefixedNaming {
    /** The deployment's object group id, or null for names without one. */
    private final Integer objectGroupId;

    MpNaming(String prefix, Integer objectGroupId) {
        super(KeyLayout.MP, prefix);
        this.objectGroupId = objectGroupId;
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException for a layer-wise key or one with tags other than {@code cache_salt} and {@code object_group}
     */
    @Override
    public String dataKey(ChunkKey key) {
        return MpKey.fromChunkKey(key, prefix, objectGroupId).toString();
    }

    @Override
    public Optional<NamedKey> parse(String redisKey) {
        try {
            ChunkKey k = MpKey.parse(redisKey, prefix, objectGroupId != null).toChunkKey(objectGroupId);
            return Optional.of(new NamedKey(k, Role.DATA));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return "KeyNaming[mp" + (prefix == null ? "" : ", prefix=" + prefix)
                + (objectGroupId == null ? ", no object group" : ", object group " + objectGroupId) + "]";
    }
}
