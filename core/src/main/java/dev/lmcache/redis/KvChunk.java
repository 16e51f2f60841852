package dev.lmcache.redis;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * One KV-cache chunk: its header ({@link ChunkMetadata}) and its bytes.
 *
 * <p>{@code data} holds exactly {@code metadata.length()} bytes between its position and limit.
 * The store never modifies the position or limit of a buffer it is given for writing, and reads
 * land in buffers the caller's {@link BufferAllocator} provided.
 */
public record KvChunk(ChunkMetadata metadata, ByteBuffer data) {
    public KvChunk {
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(data, "data");
        if (data.remaining() != metadata.length()) {
            throw new IllegalArgumentException("chunk data has " + data.remaining()
                    + " bytes but its metadata says length=" + metadata.length());
        }
    }

    /** The number of KV bytes. */
    public int length() {
        return metadata.length();
    }
}
