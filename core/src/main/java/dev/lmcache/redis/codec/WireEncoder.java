package dev.lmcache.redis.codec;

import io.lettuce.core.protocol.CommandWrapper;
import io.lettuce.core.protocol.RedisCommand;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.EncoderException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Encodes commands to RESP in place of Lettuce's {@code CommandEncoder}, with one difference: the
 * value of a {@link LentSet} is not copied into the outbound buffer but handed to the socket as
 * it is (a composite of framing, the caller's buffer, framing), so a chunk's bytes go from the
 * caller's memory to the kernel with no copy in user space. Other commands are encoded exactly as
 * Lettuce does; a {@link PipelineCommand} is encoded as its commands. Every command encoded is
 * also announced to the channel's {@link ReplySplitter}, which takes large replies off the
 * inbound stream the same way and hands a group's replies to Lettuce as one.
 *
 * <p>Why it matters: Lettuce encodes a command into one buffer, which for a 32 MiB value is a
 * 32 MiB buffer that Netty allocates outside its pool, the JVM zeroes and the kernel faults in,
 * for every chunk. That, not the copy, held batched puts of 16 x 32 MiB at 1.0-1.2 GB/s on
 * loopback, with the client's event loop busy zeroing pages.
 */
public final class WireEncoder extends ChannelOutboundHandlerAdapter {
    /** Copied commands go into buffers of about this size (a value larger than it takes one of its own). */
    private static final int ROLL_OVER_BYTES = 64 * 1024;

    /**
     * The lent values of the write being encoded. Reused: a handler instance serves one channel
     * and runs on its event loop only, and most writes lend nothing.
     */
    private final List<LentSet> lent = new ArrayList<>();
    /** Told every command written, in order, to pair replies with their outputs. */
    private final ReplySplitter replies;

    /** @param replies the splitter of the same channel's inbound stream */
    public WireEncoder(ReplySplitter replies) {
        this.replies = replies;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        lent.clear();
        ByteBuf out;
        Collection<?> commands;
        try {
            if (msg instanceof RedisCommand<?, ?, ?> command) {
                commands = List.of(command);
            } else if (msg instanceof Collection<?> c) {
                commands = c;
            } else {
                replies.unpairedWrite();
                ctx.write(msg, promise);
                return;
            }
            out = encode(ctx, commands);
        } catch (LeaseEnded | Unpaired e) {
            // nothing was written: the connection is fine, the command is dropped from its stack
            promise.tryFailure(e);
            return;
        } catch (Throwable e) {
            // as Lettuce does: the connection state is unknown after a failed encode
            ctx.close();
            promise.tryFailure(new EncoderException(
                    "Cannot encode command. Closing the connection as the connection state may be out of sync.", e));
            return;
        }
        for (Object command : commands) {
            replies.expect((RedisCommand<?, ?, ?>) command);
        }
        if (!lent.isEmpty()) {
            List<LentSet> borrowed = List.copyOf(lent);
            promise.addListener(f -> borrowed.forEach(s -> s.lease().giveBack()));
        }
        ctx.write(out, promise);
    }

    /** Encodes the commands into one buffer, or a composite around the lent values among them. */
    private ByteBuf encode(ChannelHandlerContext ctx, Collection<?> commands) {
        Encoding e = new Encoding(ctx);
        try {
            for (Object o : commands) {
                RedisCommand<?, ?, ?> command = (RedisCommand<?, ?, ?>) o;
                PipelineCommand group = CommandWrapper.unwrap(command, PipelineCommand.class);
                if (group == null) {
                    e.add(command);
                    continue;
                }
                if (!replies.active()) {
                    throw new Unpaired();
                }
                for (RedisCommand<?, ?, ?> c : group.commands()) {
                    e.add(c);
                }
            }
        } catch (Throwable t) {
            e.discard();
            throw t;
        }
        return e.finish();
    }

    /** The buffers of one write: framing and small commands copied, lent values referenced. */
    private final class Encoding {
        private final ChannelHandlerContext ctx;
        private ByteBuf current;
        private CompositeByteBuf parts;

        Encoding(ChannelHandlerContext ctx) {
            this.ctx = ctx;
            this.current = ctx.alloc().ioBuffer();
        }

        void add(RedisCommand<?, ?, ?> command) {
            if (current.readableBytes() >= ROLL_OVER_BYTES) {
                // a group of copied values: a buffer per 64 KiB or so, not one that keeps doubling
                rollOver();
            }
            LentSet set = CommandWrapper.unwrap(command, LentSet.class);
            if (set == null) {
                command.encode(current);
                return;
            }
            if (!set.lease().borrow(ctx.channel())) {
                throw new LeaseEnded();
            }
            lent.add(set);
            ByteBuffer value = set.lease().value();
            set.writeHead(current, value.remaining());
            rollOver();
            parts.addComponent(true, Unpooled.wrappedBuffer(value));
            set.writeTail(current);
        }

        /** Moves what is encoded so far into the composite and starts a new buffer. */
        private void rollOver() {
            if (parts == null) {
                parts = ctx.alloc().compositeDirectBuffer(Integer.MAX_VALUE);
            }
            parts.addComponent(true, current);
            current = ctx.alloc().ioBuffer();
        }

        void discard() {
            current.release();
            if (parts != null) {
                parts.release();
            }
            lent.forEach(s -> s.lease().giveBack());
            lent.clear();
        }

        ByteBuf finish() {
            if (parts == null) {
                return current;
            }
            parts.addComponent(true, current);
            return parts;
        }
    }

    /** A command group reached a connection whose replies can no longer be paired: it is not sent. */
    static final class Unpaired extends IllegalStateException {
        Unpaired() {
            super("not sent: replies on this connection can no longer be paired with commands");
        }
    }

    /** A SET whose request already ended (timed out) reached the encoder: it must not be sent. */
    static final class LeaseEnded extends IllegalStateException {
        LeaseEnded() {
            super("not sent: the request of this SET already ended (timed out or cancelled)");
        }
    }
}
