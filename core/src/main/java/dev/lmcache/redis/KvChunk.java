package dev.lmcache.redis;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * One KV-cache chunk: its header ({@link ChunkMetadata}) and its bytes.
 *
 * <p>{@code data} holds exactly {@code metadata.length()} bytes between its position and limit.
 * The store never modifies the position or limit of a buffer it is given for writing, and reads
 * land in buffers the caller's {@link BufferAllocator} provided.
 *
 * <p>A buffer given to a put is read until that put's future completes, successfully or not: a
 * direct buffer of 64 KiB or more is handed to the socket as it is, without a copy, so its bytes
 * must not change before then. Afterwards the store holds no reference to it.
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
