package dev.lmcache.redis.cli.target;

import dev.lmcache.redis.ChunkMetadata;
import dev.lmcache.redis.KvDtype;
import dev.lmcache.redis.StoreConfig;
import java.util.List;
import java.util.Optional;

/** The chunk geometry a configuration gives the raw layouts ({@code single}, {@code mp}), which store no header. */
public final class RawGeometry {
    private RawGeometry() {
    }

    /**
     * The raw-layout geometry of {@code config} ({@code single_chunk_shape}, {@code _dtype},
     * {@code _fmt}) as the header the store gives chunks it reads; empty for layouts with a
     * metadata key or when no shape is configured.
     */
    public static Optional<ChunkMetadata> of(StoreConfig config) {
        if (config.keyLayout().hasMetadataKey() || config.singleChunkShape().isEmpty()) {
            return Optional.empty();
        }
        KvDtype dtype = KvDtype.fromName(config.singleChunkDtype().orElse("bfloat16"));
        int[] shape = config.singleChunkShape().get().stream().mapToInt(Integer::intValue).toArray();
        ChunkMetadata.TensorGroup g = ChunkMetadata.TensorGroup.of(dtype, shape);
        return Optional.of(ChunkMetadata.of((int) Math.min(Integer.MAX_VALUE, g.byteSize()), config.singleChunkFmt(),
                List.of(g)));
    }
}
