package dev.lmcache.redis.batch;

import dev.lmcache.redis.BufferAllocator;
import dev.lmcache.redis.ChunkKey;
import dev.lmcache.redis.ChunkMetadata;
import dev.lmcache.redis.KvChunk;
import dev.lmcache.redis.codec.BulkDestination;
import java.nio.ByteBuffer;

/**
 * The decoder step for one chunk: the metadata and data replies of one key, decoded into a
 * chunk, a miss, or an invalid value (a miss with a warning). Replies arrive on event-loop threads; the metadata
 * reply of a two-key layout usually arrives first on the same connection, which lets the data
 * output skip copying a value whose size is already known to be wrong.
 */
final class ChunkRead implements BulkDestination {
    /** What the read of one chunk came to. */
    enum Kind { HIT, MISS, ORPHAN, INVALID, FAILED }

    final int index;
    final ChunkKey key;
    private final BufferAllocator allocator;
    private final HeaderCache headers;
    /** The expected geometry: from the metadata reply, or configured for raw layouts (may be null). */
    private volatile ChunkMetadata metadata;
    private volatile String invalidReason;
    /**
     * Guarded by this: the buffer handed out for the value, whether the output still writes into
     * it, and whether the read has ended without it.
     */
    private ByteBuffer allocated;
    private boolean writing;
    private boolean abandoned;

    Kind kind;
    KvChunk chunk;
    Throwable failure;
    String reason;

    ChunkRead(int index, ChunkKey key, BufferAllocator allocator, ChunkMetadata fixedGeometry) {
        this(index, key, allocator, fixedGeometry, null);
    }

    /** @param headers decodes metadata replies, sharing the result for identical headers (null: decode each) */
    ChunkRead(int index, ChunkKey key, BufferAllocator allocator, ChunkMetadata fixedGeometry, HeaderCache headers) {
        this.index = index;
        this.key = key;
        this.allocator = allocator;
        this.metadata = fixedGeometry;
        this.headers = headers;
    }

    /**
     * Where the metadata value goes: a heap buffer, decoded as soon as the value is complete, on
     * the event loop, before the data reply that follows it on the connection is read (the data
     * output can then skip a value whose size is wrong, and a group of commands completes only
     * after its last reply).
     */
    BulkDestination metadataSink() {
        return new BulkDestination() {
            private ByteBuffer header;

            @Override
            public ByteBuffer open(int size) {
                header = ByteBuffer.allocate(size);
                return header;
            }

            @Override
            public void close() {
                metadataReply(header.duplicate());
            }
        };
    }

    /** Decodes the header bytes; remembers why it is invalid instead of throwing. */
    private void metadataReply(ByteBuffer header) {
        try {
            metadata = headers != null ? headers.decode(header) : ChunkMetadata.decode(header);
        } catch (IllegalArgumentException e) {
            invalidReason = "corrupt metadata: " + e.getMessage();
        }
    }

    /**
     * Destination for the data value (called on the event loop by the output). A reply that
     * arrives after the read has failed (timed out) still reaches the output: it gets no buffer,
     * since nobody would receive or release it.
     */
    @Override
    public synchronized ByteBuffer open(int size) {
        ChunkMetadata m = metadata;
        if (abandoned || invalidReason != null || (m != null && m.length() != size)) {
            return null;
        }
        if (allocated != null && !writing) {
            // a command sent again after its connection was cut halfway through the value: the
            // first attempt's buffer goes back before the second gets its own
            allocator.release(key, allocated);
            allocated = null;
        }
        ByteBuffer b = allocator.allocate(key, size);
        allocated = b;
        writing = b != null;
        return b;
    }

    /**
     * The output stopped writing into the buffer. A read that ended meanwhile (timed out while a
     * large value was still arriving) releases the buffer now rather than under the writer.
     */
    @Override
    public synchronized void close() {
        writing = false;
        if (abandoned) {
            releaseBuffer();
        }
    }

    /**
     * Releases a buffer handed out by the allocator that the caller will not receive. While the
     * output still writes into it (a large value arriving for a read that already timed out), the
     * release waits for {@link #close}.
     */
    synchronized void releaseBuffer() {
        if (writing) {
            abandoned = true;
            return;
        }
        if (allocated != null) {
            allocator.release(key, allocated);
            allocated = null;
        }
        chunk = null;
    }

    /** Ends the read without a chunk: any buffer is released now, and none is handed out later. */
    private synchronized void abandon() {
        abandoned = true;
        releaseBuffer();
    }

    ChunkMetadata metadata() {
        return metadata;
    }

    String invalidReason() {
        return invalidReason;
    }

    void hit(KvChunk c) {
        kind = Kind.HIT;
        chunk = c;
    }

    void miss() {
        kind = Kind.MISS;
    }

    void orphan() {
        kind = Kind.ORPHAN;
    }

    void invalid(String why) {
        kind = Kind.INVALID;
        reason = why;
        abandon();
    }

    void failed(Throwable t) {
        kind = Kind.FAILED;
        failure = t;
        abandon();
    }
}
