package dev.lmcache.redis;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

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
 *   <li>{@code mp}: the {@link MpKey} of the chunk (data only), see
 *       {@link MpKey#fromChunkKey}.</li>
 * </ul>
 * A key prefix {@code P} (a tenant namespace that Redis ACL patterns such as {@code ~P@*} can
 * enforce) leads every name: {@code P@K metadata}, {@code P@K:metadata},
 * {@code {P@K}:metadata}, {@code P@K}; for {@code mp} it is the MP name's own prefix field.
 *
 * <p>This is how tools outside the store (inspection, ACL rules, a naive client to compare with)
 * name a chunk's keys exactly as the store does: {@link #of(StoreConfig, boolean)}.
 */
public interface KeyNaming {

    /**
     * The naming a store with this configuration uses: its {@link StoreConfig#keyLayout()},
     * {@link StoreConfig#keyPrefix()} and {@link StoreConfig#mpObjectGroup()}.
     *
     * @param cluster whether the server is a Redis Cluster (only {@code tagged} names differ)
     */
    static KeyNaming of(StoreConfig config, boolean cluster) {
        Objects.requireNonNull(config, "config");
        return of(config.keyLayout(), cluster, config.keyPrefix().orElse(null),
                config.mpObjectGroup().isPresent() ? config.mpObjectGroup().getAsInt() : null);
    }

    /**
     * The naming for a layout.
     *
     * @param cluster         whether the server is a Redis Cluster (only {@code tagged} names differ)
     * @param keyPrefixOrNull tenant namespace, or {@code null} / {@code ""} for none; must not
     *                        contain {@code '@'} or the glob characters {@code * ? [ ] \ { }}
     * @throws IllegalArgumentException naming the invalid prefix and what is accepted
     */
    static KeyNaming of(KeyLayout layout, boolean cluster, @Nullable String keyPrefixOrNull) {
        return of(layout, cluster, keyPrefixOrNull, DEFAULT_MP_OBJECT_GROUP);
    }

    /** The object group id current LMCache puts in MP names of ordinary models. */
    int DEFAULT_MP_OBJECT_GROUP = 0;

    /**
     * The naming for a layout, with the object group {@code mp} names carry.
     *
     * @param mpObjectGroupOrNull the object group id of {@code mp} names that have no
     *                            {@code object_group} tag ({@value #DEFAULT_MP_OBJECT_GROUP} for
     *                            LMCache since 2026-06-09), or {@code null} for the form before,
     *                            which has none; ignored by the other layouts
     * @throws IllegalArgumentException naming the invalid prefix or group and what is accepted
     * @see #of(KeyLayout, boolean, String)
     */
    static KeyNaming of(KeyLayout layout, boolean cluster, @Nullable String keyPrefixOrNull,
                        @Nullable Integer mpObjectGroupOrNull) {
        Objects.requireNonNull(layout, "layout");
        if (mpObjectGroupOrNull != null && mpObjectGroupOrNull < 0) {
            throw new IllegalArgumentException("mp object group " + mpObjectGroupOrNull + " is negative; expected >= 0");
        }
        return dev.lmcache.redis.layout.Namings.of(layout, cluster, keyPrefixOrNull, mpObjectGroupOrNull);
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
     * Every Redis key name of the chunk: the metadata key first (two-key layouts), then the data
     * key. Deleting these names removes the chunk.
     */
    default List<String> keyNames(ChunkKey key) {
        return hasMetadataKey() ? List.of(metadataKey(key), dataKey(key)) : List.of(dataKey(key));
    }

    /**
     * A {@code SCAN MATCH} glob for the key that marks a stored chunk (the metadata key, or the
     * data key for single-key layouts), optionally limited to one model (glob-escaped here). It
     * may match foreign keys too; {@link #parse} tells them apart. Keys in the older form with a
     * leading format field ({@code vllm@model@...}) are matched only when {@code modelOrNull} is null.
     */
    String chunkScanPattern(@Nullable String modelOrNull);

    /** A {@code SCAN MATCH} glob covering every key this naming may write (for inspection and orphan detection). */
    String allKeysScanPattern();

    /**
     * Which chunk, and which of its keys, a Redis key name is under this naming; empty if the
     * name is not one this naming writes. Chunk keys in the older form with a leading format
     * field are recognised too. For {@code mp} the chunk key is the lossy mapping of
     * {@link MpKey#toChunkKey(Integer)}; its {@link #dataKey} is the parsed name again.
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
