package dev.lmcache.redis.batch;

import dev.lmcache.redis.ChunkMetadata;
import java.nio.ByteBuffer;

/**
 * The last metadata header a store decoded, kept with its bytes: the chunks of one model share
 * one geometry, so their headers are byte for byte the same and one immutable {@link
 * ChunkMetadata} serves them all (decoding one cost about 5% of a batched read of small
 * {@code lmcache} chunks). Racy by design: any entry is a correct decoding of its own bytes.
 */
final class HeaderCache {
    private record Entry(ByteBuffer bytes, ChunkMetadata metadata) {
    }

    private volatile Entry last;

    /**
     * The header in {@code bytes} (position to limit, not moved).
     *
     * @throws IllegalArgumentException as {@link ChunkMetadata#decode} for a corrupt header
     */
    ChunkMetadata decode(ByteBuffer bytes) {
        Entry e = last;
        if (e != null && e.bytes.equals(bytes)) {
            return e.metadata;
        }
        ChunkMetadata m = ChunkMetadata.decode(bytes.duplicate());
        ByteBuffer copy = ByteBuffer.allocate(bytes.remaining()).put(bytes.duplicate()).flip();
        last = new Entry(copy, m);
        return m;
    }
}
