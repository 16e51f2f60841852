package dev.lmcache.redis.layout;

import dev.lmcache.redis.ChunkKey;
import dev.lmcache.redis.KeyLayout;
import java.util.Optional;

/**
 * LMCache's {@code valkey://} / {@code resp://} names: the key string itself holds the raw KV
 * bytes, no header.
 *
 * <p>{@link #parse} accepts any name that is a valid chunk key string, which includes some
 * names other layouts write (a {@code tagged} key whose last tag value ends in
 * {@code :metadata} is also a valid key string); do not mix layouts under one prefix.
 */
final class SingleNaming extends PrefixedNaming {

    SingleNaming(String prefix) {
        super(KeyLayout.SINGLE, prefix);
    }

    @Override
    public String dataKey(ChunkKey key) {
        return prefix == null ? key.toString() : namespace + key;
    }

    @Override
    public Optional<NamedKey> parse(String redisKey) {
        if (!redisKey.startsWith(namespace)) {
            return Optional.empty();
        }
        ChunkKey k = Names.parseOrNull(redisKey.substring(namespace.length()));
        return k == null ? Optional.empty() : Optional.of(new NamedKey(k, Role.DATA));
    }

    @Override
    public String toString() {
        return "KeyNaming[single" + (prefix == null ? "" : ", prefix=" + prefix) + "]";
    }
}
