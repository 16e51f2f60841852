package dev.lmcache.redis.codec;

import io.lettuce.core.output.CommandOutput;
import java.nio.ByteBuffer;

/**
 * Output of an MGET whose values land in caller memory: element {@code i} of the array reply is
 * copied into the buffer {@code destinations[i]} returns, as {@link BulkOutput} does for one GET.
 * The result holds one entry per key: null for a nil element (a missing key, or one that holds
 * another type: MGET does not tell them apart), else a {@link BulkReply}; the result itself is
 * null if the reply did not have one element per key.
 *
 * <p>Elements of an array reply are never diverted by the {@link ReplySplitter}: every value is
 * copied out of Lettuce's read buffer, so this is for values expected below {@link
 * ReplySplitter#MIN_DIVERT_BYTES}. A larger one is still delivered whole and correct, at the cost
 * of that second copy.
 *
 * <p>Never throws from the protocol callbacks (that would break the connection's parser): a
 * failing destination is recorded in that element's reply. Not for a {@link PipelineCommand}
 * group, whose elements must not be arrays.
 */
public final class MultiBulkOutput extends CommandOutput<byte[], ByteBuffer, BulkReply[]> {
    private final BulkDestination[] destinations;
    private int received;

    /** @param destinations one per key of the MGET, in the order of its keys */
    public MultiBulkOutput(BulkDestination[] destinations) {
        super(BytesCodec.INSTANCE, new BulkReply[destinations.length]);
        this.destinations = destinations;
    }

    /** Whether the reply had exactly one element per key (false if it was cut short or not an array). */
    public boolean complete() {
        return received == destinations.length;
    }

    /** The replies, one per key; null if the reply did not have exactly one element per key. */
    @Override
    public BulkReply[] get() {
        return complete() ? output : null;
    }

    @Override
    public void set(ByteBuffer bytes) {
        int i = received++;
        if (i >= destinations.length || bytes == null) {
            // more elements than keys cannot come from MGET; complete() then reports the mismatch
            return;
        }
        output[i] = copy(destinations[i], bytes);
    }

    /** Copies the whole value into the destination's buffer; what went wrong is in the reply. */
    private static BulkReply copy(BulkDestination destination, ByteBuffer bytes) {
        int size = bytes.remaining();
        ByteBuffer slice;
        try {
            slice = BulkOutput.slice(destination, size);
            if (slice == null) {
                return new BulkReply(null, size, null);
            }
        } catch (RuntimeException e) {
            return new BulkReply(null, size, e);
        }
        try {
            slice.put(bytes);
        } catch (RuntimeException e) {
            try {
                destination.close();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            return new BulkReply(null, size, e);
        }
        return BulkOutput.closed(destination, slice, size);
    }
}
