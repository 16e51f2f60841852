package dev.lmcache.redis.layout;

import dev.lmcache.redis.ChunkKey;
import dev.lmcache.redis.KeyLayout;
import java.util.Objects;
import java.util.Optional;

/**
 * How chunk keys become Redis key names under one {@link KeyLayout} ({@code docs/LMCACHE-FORMAT.md}
 * sections 3 and 6), and back. Implementations are immutable and thread-safe; rendering
 * ({@link #dataKey}, {@link #metadataKey}) is on the hot path and does no parsing or regex.
 *
 * <p>Without a key prefix the names are exactly LMCache's ({@code K} = {@link ChunkKey#toString()}):
 * <ul>
 *   <li>{@code lmcache}: {@code K + "metadata"}, {@code K + "kv_bytes"};</li>
 *   <li>{@code tagged}: {@code K:metadata}, {@code K:kv_bytes} standalone; {@code {K}:metadata},
 *       {@code {K}:kv_bytes} in a cluster (one slot per chunk);</li>
 *   <li>{@code single}: {@code K} (data only);</li>
 *   <li>{@code mp}: the {@link dev.lmcache.redis.MpKey} of the chunk (data only), see
 *       {@link dev.lmcache.redis.MpKey#fromChunkKey}.</li>
 * </ul>
 * A key prefix {@code P} (a tenant namespace that Redis ACL patterns such as {@code ~P@*} can
 * enforce) leads every name: {@code P@K metadata}, {@code P@K:metadata},
 * {@code {P@K}:metadata}, {@code P@K}; for {@code mp} it is the MP name's own prefix field.
 */
public interface KeyNaming {

    /**
     * The naming for a layout.
     *
     * @param cluster         whether the server is a Redis Cluster (only {@code tagged} names differ)
     * @param keyPrefixOrNull tenant namespace, or {@code null} / {@code ""} for none; must not
     *                        contain {@code '@'} or the glob characters {@code * ? [ ] \ { }}
     * @throws IllegalArgumentException naming the invalid prefix and what is accepted
     */
    static KeyNaming of(KeyLayout layout, boolean cluster, String keyPrefixOrNull) {
        Objects.requireNonNull(layout, "layout");
        String prefix = Names.validatePrefix(keyPrefixOrNull);
        return switch (layout) {
            case LMCACHE -> new LmcacheNaming(prefix);
            case TAGGED -> new TaggedNaming(prefix, cluster);
            case SINGLE -> new SingleNaming(prefix);
            case MP -> new MpNaming(prefix);
        };
    }

    /** The layout this naming implements. */
    KeyLayout layout();

    /** The key prefix, or empty when there is none. */
    Optional<String> keyPrefix();

    /** Whether each chunk has a metadata key besides its data key ({@code lmcache}, {@code tagged}). */
    boolean hasMetadataKey();

    /** The name of the key holding the chunk's KV bytes. */
    String dataKey(ChunkKey key);

    /**
     * The name of the key holding the chunk's header.
     *
     * @throws IllegalStateException for layouts without a metadata key ({@code single}, {@code mp})
     */
    String metadataKey(ChunkKey key);

    /**
     * A {@code SCAN MATCH} glob for the key that marks a stored chunk (the metadata key, or the
     * data key for single-key layouts), optionally limited to one model (glob-escaped here). It
     * may match foreign keys too; {@link #parse} tells them apart. Keys in the older form with a
     * leading format field ({@code vllm@model@...}) are matched only when {@code modelOrNull} is null.
     */
    String chunkScanPattern(String modelOrNull);

    /** A {@code SCAN MATCH} glob covering every key this naming may write (for inspection and orphan detection). */
    String allKeysScanPattern();

    /**
     * Which chunk, and which of its keys, a Redis key name is under this naming; empty if the
     * name is not one this naming writes. Chunk keys in the older form with a leading format
     * field are recognised too. For {@code mp} the chunk key is the lossy mapping of
     * {@link dev.lmcache.redis.MpKey#toChunkKey()}; its {@link #dataKey} is the parsed name again.
     */
    Optional<NamedKey> parse(String redisKey);

    /** A Redis key name resolved to its chunk and role. */
    record NamedKey(ChunkKey key, Role role) {
        public NamedKey {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(role, "role");
        }
    }

    /** Which of a chunk's keys a name is. */
    enum Role {
        /** The header ({@code RemoteMetadata}). */
        METADATA,
        /** The KV bytes. */
        DATA
    }
}
