package dev.lmcache.redis.layout;

import dev.lmcache.redis.ChunkKey;
import dev.lmcache.redis.KeyLayout;
import dev.lmcache.redis.KeyNaming;
import java.util.Optional;

/**
 * What every layout's naming shares: its {@link KeyLayout}, the optional tenant prefix and the
 * {@code "P@"} namespace it puts in front of names, and, for the raw layouts, the absence of a
 * metadata key and the scan patterns.
 */
abstract class PrefixedNaming implements KeyNaming {
    private final KeyLayout layout;
    /** The tenant prefix, or null. */
    final String prefix;
    /** {@code prefix + "@"}, or "" without a prefix. */
    final String namespace;

    PrefixedNaming(KeyLayout layout, String prefix) {
        this.layout = layout;
        this.prefix = prefix;
        this.namespace = prefix == null ? "" : prefix + "@";
    }

    @Override
    public final KeyLayout layout() {
        return layout;
    }

    @Override
    public final Optional<String> keyPrefix() {
        return Optional.ofNullable(prefix);
    }

    @Override
    public final boolean hasMetadataKey() {
        return layout.hasMetadataKey();
    }

    /** Raw layouts have none; the two-key layouts override this. */
    @Override
    public String metadataKey(ChunkKey key) {
        throw new IllegalStateException("the " + layout.configName() + " key layout stores no metadata key");
    }

    /** Names that start with the namespace and the model (raw layouts); two-key layouts add the metadata suffix. */
    @Override
    public String chunkScanPattern(String modelOrNull) {
        return namespace + Names.modelGlob(modelOrNull);
    }

    /** Everything in the namespace; the tagged layout narrows this to its hash-tagged names. */
    @Override
    public String allKeysScanPattern() {
        return namespace + "*";
    }
}
