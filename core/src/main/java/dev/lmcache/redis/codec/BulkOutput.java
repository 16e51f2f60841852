package dev.lmcache.redis.codec;

import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.output.CommandOutput;
import java.nio.ByteBuffer;
import java.util.function.IntFunction;

/**
 * Output of a GET-like command whose bulk reply is copied once, straight from Lettuce's read
 * buffer into a buffer from {@code destination} (the caller's memory). The result is null for a
 * missing key, else a {@link BulkReply}. The destination may return null to skip the copy (for
 * example when the size is already known to be wrong).
 *
 * <p>Never throws from the protocol callbacks (that would break the connection's parser): a
 * failing allocation is recorded in the reply instead.
 */
public final class BulkOutput extends CommandOutput<byte[], ByteBuffer, BulkReply> {

    private final IntFunction<ByteBuffer> destination;

    public BulkOutput(RedisCodec<byte[], ByteBuffer> codec, IntFunction<ByteBuffer> destination) {
        super(codec, null);
        this.destination = destination;
    }

    @Override
    public void set(ByteBuffer bytes) {
        if (bytes == null) {
            output = null;
            return;
        }
        int size = bytes.remaining();
        try {
            ByteBuffer dst = destination.apply(size);
            if (dst == null) {
                output = new BulkReply(null, size, null);
                return;
            }
            if (dst.remaining() < size) {
                throw new IllegalStateException("allocator returned a buffer with " + dst.remaining()
                        + " bytes remaining for a " + size + "-byte value");
            }
            ByteBuffer slice = dst.slice();
            slice.limit(size);
            slice.put(bytes);
            slice.flip();
            output = new BulkReply(slice, size, null);
        } catch (RuntimeException e) {
            output = new BulkReply(null, size, e);
        }
    }
}
