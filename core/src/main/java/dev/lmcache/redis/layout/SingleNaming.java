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
final class SingleNaming implements KeyNaming {
    private final String prefix;
    private final String lead;

    SingleNaming(String prefix) {
        this.prefix = prefix;
        this.lead = prefix == null ? "" : prefix + "@";
    }

    @Override
    public KeyLayout layout() {
        return KeyLayout.SINGLE;
    }

    @Override
    public Optional<String> keyPrefix() {
        return Optional.ofNullable(prefix);
    }

    @Override
    public boolean hasMetadataKey() {
        return false;
    }

    @Override
    public String dataKey(ChunkKey key) {
        return prefix == null ? key.toString() : lead + key;
    }

    @Override
    public String metadataKey(ChunkKey key) {
        throw new IllegalStateException("the single key layout stores no metadata key");
    }

    @Override
    public String chunkScanPattern(String modelOrNull) {
        return lead + Names.modelGlob(modelOrNull);
    }

    @Override
    public String allKeysScanPattern() {
        return lead + "*";
    }

    @Override
    public Optional<NamedKey> parse(String redisKey) {
        if (!redisKey.startsWith(lead)) {
            return Optional.empty();
        }
        ChunkKey k = Names.parseOrNull(redisKey.substring(lead.length()));
        return k == null ? Optional.empty() : Optional.of(new NamedKey(k, Role.DATA));
    }

    @Override
    public String toString() {
        return "KeyNaming[single" + (prefix == null ? "" : ", prefix=" + prefix) + "]";
    }
}
