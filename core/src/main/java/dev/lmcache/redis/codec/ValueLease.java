package dev.lmcache.redis.codec;

import io.netty.channel.Channel;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * A caller's buffer lent to the network without a copy: {@link WireEncoder} hands the buffer
 * itself to the socket, so the caller must not reuse it while a write still reads it.
 *
 * <p>Each write of the buffer {@linkplain #borrow borrows} it and gives it back when Netty is done
 * with the bytes (written or failed). {@link #close} ends the lease: no later write may borrow it
 * (such a write fails instead of sending bytes the caller may be changing), and the returned
 * future completes once every write gave the buffer back. An aborting close also closes the
 * connection of a write still in progress (a request that timed out half-written), so the lease
 * always ends; that connection is reopened by Lettuce.
 */
public final class ValueLease {
    /** Values from this size up are lent; smaller ones are cheaper to copy than to track. */
    public static final int MIN_BYTES = 64 * 1024;

    private final ByteBuffer value;
    private final CompletableFuture<Void> returned = new CompletableFuture<>();
    private int writers;
    private boolean closed;
    private Channel channel;

    private ValueLease(ByteBuffer value) {
        this.value = value;
    }

    /**
     * A lease for {@code value} if it can be sent without a copy (a direct buffer of at least
     * {@link #MIN_BYTES}), else null: heap buffers must be copied to native memory anyway.
     */
    public static ValueLease of(ByteBuffer value) {
        return value.isDirect() && value.remaining() >= MIN_BYTES ? new ValueLease(value) : null;
    }

    /** The lent bytes, as a duplicate (the caller's position and limit never move). */
    ByteBuffer value() {
        return value.duplicate();
    }

    synchronized boolean borrow(Channel ch) {
        if (closed) {
            return false;
        }
        writers++;
        channel = ch;
        return true;
    }

    synchronized void giveBack() {
        if (--writers == 0) {
            channel = null;
            if (closed) {
                returned.complete(null);
            }
        }
    }

    /**
     * Ends the lease; the future completes when no write reads the buffer any more.
     *
     * @param abort close the connection of a write still in progress instead of waiting for it
     */
    public CompletableFuture<Void> close(boolean abort) {
        Channel stuck;
        synchronized (this) {
            closed = true;
            if (writers == 0) {
                returned.complete(null);
                return returned;
            }
            stuck = abort ? channel : null;
        }
        if (stuck != null) {
            stuck.close();
        }
        return returned;
    }
}
