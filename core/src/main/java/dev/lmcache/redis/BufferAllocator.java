package dev.lmcache.redis;

import java.nio.ByteBuffer;

/**
 * Supplies the buffer a read chunk is copied into, so that reads land in memory the caller owns
 * (for example pinned or pooled buffers).
 */
@FunctionalInterface
public interface BufferAllocator {
    /** Heap buffers. */
    BufferAllocator HEAP = (key, size) -> ByteBuffer.allocate(size);
    /** Direct (off-heap) buffers. */
    BufferAllocator DIRECT = (key, size) -> ByteBuffer.allocateDirect(size);

    /**
     * Returns a buffer with at least {@code size} bytes remaining; the store writes {@code size}
     * bytes from its position and hands back a slice of exactly that size.
     */
    ByteBuffer allocate(ChunkKey key, int size);

    /**
     * Called for a buffer the store obtained from {@link #allocate} but will not hand to the
     * caller (a chunk past the prefix of a non-blocking get, or a failed read). Default: nothing.
     */
    default void release(ChunkKey key, ByteBuffer buffer) {
    }
}
