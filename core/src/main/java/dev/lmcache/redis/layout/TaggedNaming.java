package dev.lmcache.redis.layout;

import dev.lmcache.redis.ChunkKey;
import dev.lmcache.redis.KeyLayout;
import java.util.Optional;

/**
 * The Python enhanced connector's names: {@code K:metadata} / {@code K:kv_bytes}, and in a
 * cluster {@code {K}:metadata} / {@code {K}:kv_bytes} so both keys share a slot.
 */
final class TaggedNaming extends PrefixedNaming {
    private static final String METADATA = ":metadata";
    private static final String KV_BYTES = ":kv_bytes";

    private final boolean cluster;
    /** What precedes the chunk key string: the optional opening brace (cluster), then the optional "P@". */
    private final String lead;
    /** What follows it before the role suffix: the closing brace in a cluster, else nothing. */
    private final String close;

    TaggedNaming(String prefix, boolean cluster) {
        super(KeyLayout.TAGGED, prefix);
        this.cluster = cluster;
        this.lead = cluster ? "{" + namespace : namespace;
        this.close = cluster ? "}" : "";
    }

    @Override
    public String dataKey(ChunkKey key) {
        return lead + key + close + KV_BYTES;
    }

    @Override
    public String metadataKey(ChunkKey key) {
        return lead + key + close + METADATA;
    }

    @Override
    public String chunkScanPattern(String modelOrNull) {
        return lead + Names.modelGlob(modelOrNull) + close + METADATA;
    }

    @Override
    public String allKeysScanPattern() {
        return lead + "*" + close + ":*";
    }

    @Override
    public Optional<NamedKey> parse(String redisKey) {
        return Names.parseTwoKey(redisKey, lead, close, METADATA, KV_BYTES);
    }

    @Override
    public String toString() {
        return "KeyNaming[tagged, " + (cluster ? "cluster" : "standalone")
                + (prefix == null ? "" : ", prefix=" + prefix) + "]";
    }
}
