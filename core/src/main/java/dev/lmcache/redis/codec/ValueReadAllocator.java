package dev.lmcache.redis.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelConfig;
import io.netty.channel.MaxMessagesRecvByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.util.UncheckedBooleanSupplier;

/**
 * A connection's receive-buffer allocator that lets its {@link ReplySplitter} have the socket read
 * a large value's bytes straight into the caller's buffer: while the splitter is in the middle of
 * such a value, the channel's next read goes into what is left of the destination (the kernel's
 * copy is then the only one) instead of into a Netty buffer the splitter would copy from. Every
 * other read, and every decision about how much to read and when to stop, is the wrapped
 * allocator's (Netty's default), so small replies see no change.
 *
 * <p>Only for channels whose inbound bytes reach the splitter untransformed (no TLS): the splitter
 * checks its pipeline for itself and otherwise never offers a destination.
 */
public final class ValueReadAllocator implements MaxMessagesRecvByteBufAllocator {
    private final MaxMessagesRecvByteBufAllocator delegate;
    private final ReplySplitter splitter;

    /**
     * Wraps the channel's allocator {@code delegate} for the channel whose splitter is
     * {@code splitter}; the result serves that one channel.
     */
    public ValueReadAllocator(MaxMessagesRecvByteBufAllocator delegate, ReplySplitter splitter) {
        this.delegate = delegate;
        this.splitter = splitter;
    }

    @Override
    public Handle newHandle() {
        return new ValueReadHandle(delegate.newHandle(), splitter);
    }

    @Override
    public int maxMessagesPerRead() {
        return delegate.maxMessagesPerRead();
    }

    @Override
    public MaxMessagesRecvByteBufAllocator maxMessagesPerRead(int maxMessagesPerRead) {
        delegate.maxMessagesPerRead(maxMessagesPerRead);
        return this;
    }

    /** The wrapped handle, except that {@link #allocate} offers the splitter's destination when it has one. */
    private static final class ValueReadHandle implements RecvByteBufAllocator.ExtendedHandle {
        private final Handle delegate;
        private final ReplySplitter splitter;

        ValueReadHandle(Handle delegate, ReplySplitter splitter) {
            this.delegate = delegate;
            this.splitter = splitter;
        }

        @Override
        public ByteBuf allocate(ByteBufAllocator alloc) {
            ByteBuf target = splitter.socketReadTarget();
            return target != null ? target : delegate.allocate(alloc);
        }

        @Override
        public int guess() {
            return delegate.guess();
        }

        @Override
        public void reset(ChannelConfig config) {
            delegate.reset(config);
        }

        @Override
        public void incMessagesRead(int numMessages) {
            delegate.incMessagesRead(numMessages);
        }

        @Override
        public void lastBytesRead(int bytes) {
            delegate.lastBytesRead(bytes);
        }

        @Override
        public int lastBytesRead() {
            return delegate.lastBytesRead();
        }

        @Override
        public void attemptedBytesRead(int bytes) {
            delegate.attemptedBytesRead(bytes);
        }

        @Override
        public int attemptedBytesRead() {
            return delegate.attemptedBytesRead();
        }

        @Override
        public boolean continueReading() {
            return delegate.continueReading();
        }

        @Override
        public boolean continueReading(UncheckedBooleanSupplier maybeMoreDataSupplier) {
            return delegate instanceof ExtendedHandle e ? e.continueReading(maybeMoreDataSupplier) : delegate.continueReading();
        }

        @Override
        public void readComplete() {
            delegate.readComplete();
        }
    }
}
