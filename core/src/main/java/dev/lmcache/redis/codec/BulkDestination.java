package dev.lmcache.redis.codec;

import java.nio.ByteBuffer;

/**
 * Where a {@link BulkOutput} puts a value: asked for a buffer once the value's size is known, and
 * told when nothing writes into that buffer any more. Called on a connection's event loop; a value
 * may be written into the buffer over several socket reads between the two calls, so the buffer
 * must not be recycled in between.
 */
@FunctionalInterface
public interface BulkDestination {

    /**
     * A buffer with at least {@code size} bytes remaining, written from its position; or null to
     * skip the value (it is then not copied anywhere).
     */
    ByteBuffer open(int size);

    /** The output stopped writing into the buffer {@link #open} returned: the value is complete, or abandoned. */
    default void close() {
    }
}
