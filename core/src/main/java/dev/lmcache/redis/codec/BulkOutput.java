package dev.lmcache.redis.codec;

import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.output.CommandOutput;
import java.nio.ByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Output of a GET-like command whose bulk reply lands in a buffer from a {@link BulkDestination}
 * (the caller's memory). The result is null for a missing key, else a {@link BulkReply}.
 *
 * <p>Small values are copied from Lettuce's read buffer when Lettuce decodes the reply. A value of
 * {@link ReplySplitter#MIN_DIVERT_BYTES} or more is taken off the connection before Lettuce sees
 * it: the {@link ReplySplitter} copies it straight from the socket's buffers ({@link #divert},
 * {@link #diverted}), or over plain TCP into a direct destination has the socket read most of it
 * into the buffer itself, and Lettuce decodes an empty placeholder instead, which completes the
 * command with the value delivered. Either way each byte is copied at most once in user space.
 *
 * <p>Never throws from the protocol callbacks (that would break the connection's parser): a
 * failing destination is recorded in the reply instead.
 */
public final class BulkOutput extends CommandOutput<byte[], ByteBuffer, BulkReply> {
    private static final Logger log = LoggerFactory.getLogger(BulkOutput.class);

    private final BulkDestination destination;
    /** Why {@link #open} returned null, if it failed rather than skipped. */
    private RuntimeException failure;
    /** The reply of a diverted value, taken by the next {@link #set} (the placeholder's). */
    private BulkReply diverted;

    public BulkOutput(RedisCodec<byte[], ByteBuffer> codec, BulkDestination destination) {
        super(codec, null);
        this.destination = destination;
    }

    @Override
    public void set(ByteBuffer bytes) {
        if (diverted != null) {
            output = diverted;
            diverted = null;
            return;
        }
        if (bytes == null) {
            output = null;
            return;
        }
        int size = bytes.remaining();
        ByteBuffer slice = open(size);
        if (slice != null) {
            try {
                slice.put(bytes);
            } catch (RuntimeException e) {
                copyFailed(e);
                slice = null;
            }
        }
        output = finish(slice, size);
    }

    /**
     * Called by the {@link ReplySplitter} when this command's reply is a value of {@code size}
     * bytes that it copies itself: the buffer to copy into (position 0, limit {@code size}), or
     * null to drop the bytes. Then {@link #diverted} or {@link #divertAborted} follows.
     */
    ByteBuffer divert(int size) {
        return open(size);
    }

    /** The splitter copied all {@code size} bytes into {@code slice} (null: dropped them). */
    void diverted(ByteBuffer slice, int size) {
        diverted = finish(slice, size);
    }

    /** Writing into the destination's buffer failed: the value is skipped, with {@code e} as the reason. */
    void copyFailed(RuntimeException e) {
        failure = e;
        try {
            destination.close();
        } catch (RuntimeException suppressed) {
            e.addSuppressed(suppressed);
        }
    }

    /** The connection closed while the splitter was copying into {@code slice}. */
    void divertAborted(ByteBuffer slice) {
        if (slice != null) {
            try {
                destination.close();
            } catch (RuntimeException e) {
                // the connection is gone and the command fails with it: only the log can tell
                log.warn("releasing the buffer of a value cut short by a closed connection failed", e);
            }
        }
    }

    /** A slice of exactly {@code size} bytes of the destination's buffer, or null to skip the value. */
    private ByteBuffer open(int size) {
        failure = null;
        try {
            return slice(destination, size);
        } catch (RuntimeException e) {
            failure = e;
            return null;
        }
    }

    private BulkReply finish(ByteBuffer slice, int size) {
        return slice == null ? new BulkReply(null, size, failure) : closed(destination, slice, size);
    }

    /**
     * A slice of exactly {@code size} bytes of the buffer {@code destination} opens, or null if it
     * skips the value.
     *
     * @throws IllegalStateException (after closing the destination) if its buffer is too small
     */
    static ByteBuffer slice(BulkDestination destination, int size) {
        ByteBuffer dst = destination.open(size);
        if (dst == null) {
            return null;
        }
        if (dst.remaining() < size) {
            destination.close();
            throw new IllegalStateException("allocator returned a buffer with " + dst.remaining()
                    + " bytes remaining for a " + size + "-byte value");
        }
        ByteBuffer slice = dst.slice();
        slice.limit(size);
        return slice;
    }

    /** The value written into {@code slice}: the destination closed, the slice flipped for reading. */
    static BulkReply closed(BulkDestination destination, ByteBuffer slice, int size) {
        try {
            destination.close();
        } catch (RuntimeException e) {
            return new BulkReply(null, size, e);
        }
        slice.flip();
        return new BulkReply(slice, size, null);
    }
}
