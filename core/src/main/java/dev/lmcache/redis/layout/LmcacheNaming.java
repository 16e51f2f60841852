package dev.lmcache.redis.layout;

import dev.lmcache.redis.ChunkKey;
import dev.lmcache.redis.KeyLayout;
import java.util.Optional;

/** Upstream LMCache's names: {@code K + "metadata"} and {@code K + "kv_bytes"}, no separator. */
final class LmcacheNaming implements KeyNaming {
    private static final String METADATA = "metadata";
    private static final String KV_BYTES = "kv_bytes";

    private final String prefix;
    private final String lead;

    LmcacheNaming(String prefix) {
        this.prefix = prefix;
        this.lead = prefix == null ? "" : prefix + "@";
    }

    @Override
    public KeyLayout layout() {
        return KeyLayout.LMCACHE;
    }

    @Override
    public Optional<String> keyPrefix() {
        return Optional.ofNullable(prefix);
    }

    @Override
    public boolean hasMetadataKey() {
        return true;
    }

    @Override
    public String dataKey(ChunkKey key) {
        return lead + key + KV_BYTES;
    }

    @Override
    public String metadataKey(ChunkKey key) {
        return lead + key + METADATA;
    }

    @Override
    public String chunkScanPattern(String modelOrNull) {
        return lead + Names.modelGlob(modelOrNull) + METADATA;
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
        Role role;
        String suffix;
        if (redisKey.endsWith(METADATA)) {
            role = Role.METADATA;
            suffix = METADATA;
        } else if (redisKey.endsWith(KV_BYTES)) {
            role = Role.DATA;
            suffix = KV_BYTES;
        } else {
            return Optional.empty();
        }
        int end = redisKey.length() - suffix.length();
        if (end < lead.length()) {
            return Optional.empty();
        }
        ChunkKey k = Names.parseOrNull(redisKey.substring(lead.length(), end));
        return k == null ? Optional.empty() : Optional.of(new NamedKey(k, role));
    }

    @Override
    public String toString() {
        return "KeyNaming[lmcache" + (prefix == null ? "" : ", prefix=" + prefix) + "]";
    }
}
