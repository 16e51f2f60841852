package dev.lmcache.redis.edge;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection: commands run concurrently, replies go out in the order the commands
 * came, and every command sees the effect of the connection's earlier writes, as on a Redis
 * connection: a write ({@code SET}, {@code DEL}) starts only after every earlier command of the
 * connection has completed, and nothing starts while a write, or a command waiting for one, is
 * in progress (the store runs reads and writes on different lanes, so a read sent during a write
 * could overtake it). Reads with no write before them run concurrently. LMCache's client sends
 * one command per round trip per connection, so this never delays it. Nothing is buffered without bound for a slow or pipelining client: the connection stops
 * reading while its output is above Netty's high watermark or {@value #MAX_PENDING} replies are
 * outstanding, and reads again once both have drained. Never closed for idleness (LMCache's client
 * never reconnects).
 */
final class EdgeConnection extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(EdgeConnection.class);
    /** Commands in progress or replies waiting for an earlier one, per connection. */
    static final int MAX_PENDING = 64;

    /** A reply slot, filled when its command completes; confined to the event loop. */
    private static final class Slot {
        ByteBuf reply;
        boolean close;
    }

    private final CommandHandler handler;
    private final Session session;
    private final Runnable onClose;
    private final ArrayDeque<Slot> pending = new ArrayDeque<>();
    /** Completes when every command dispatched so far has completed; event loop only. */
    private CompletableFuture<?> tail = CompletableFuture.completedFuture(null);
    /** The latest write, or command that waited: later commands wait while it runs; event loop only. */
    private CompletableFuture<?> barrier = CompletableFuture.completedFuture(null);
    private ChannelHandlerContext ctx;
    private boolean closing;
    /** Set once the connection will write nothing more (closed, or QUIT answered). */
    private boolean finished;

    EdgeConnection(CommandHandler handler, Runnable onClose) {
        this.handler = handler;
        this.session = handler.newSession();
        this.onClose = onClose;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof Request r)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (closing) {
            return; // after QUIT nothing more is run
        }
        Slot slot = new Slot();
        slot.close = "QUIT".equals(r.command);
        closing |= slot.close;
        pending.add(slot);
        boolean writes = "SET".equals(r.command) || "DEL".equals(r.command) || "UNLINK".equals(r.command);
        boolean waits = !barrier.isDone() || (writes && !tail.isDone());
        CompletableFuture<ByteBuf> f = waits
                // on the event loop, after the earlier commands, with the session as they left it
                ? tail.handle((v, e) -> null).thenComposeAsync(v -> handler.handle(session, r), ctx.executor())
                : handler.handle(session, r);
        tail = tail.isDone() ? f : CompletableFuture.allOf(tail.handle((v, e) -> null), f.handle((v, e) -> null));
        if (writes || waits) {
            barrier = f;
        }
        if (f.isDone() && ctx.executor().inEventLoop()) {
            fill(slot, f);
        } else {
            f.whenComplete((b, e) -> ctx.executor().execute(() -> fill(slot, f)));
        }
        updateReading();
    }

    private void fill(Slot slot, CompletableFuture<ByteBuf> f) {
        ByteBuf b = f.isCompletedExceptionally() ? null : f.join();
        slot.reply = b != null ? b : Replies.error("ERR internal error");
        if (finished || !ctx.channel().isActive()) {
            release(slot);
            releaseAll();
            return;
        }
        boolean wrote = false;
        while (!pending.isEmpty() && pending.peek().reply != null) {
            Slot head = pending.poll();
            wrote = true;
            if (head.close) {
                ctx.writeAndFlush(head.reply).addListener(ChannelFutureListener.CLOSE);
                releaseAll();
                return;
            }
            ctx.write(head.reply, ctx.voidPromise());
        }
        if (wrote) {
            ctx.flush();
        }
        updateReading();
    }

    /** Reads only while the output can take more and few commands are outstanding. */
    private void updateReading() {
        boolean read = !closing && ctx.channel().isWritable() && pending.size() < MAX_PENDING;
        if (ctx.channel().config().isAutoRead() != read) {
            ctx.channel().config().setAutoRead(read);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        updateReading();
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!pending.isEmpty()) {
            log.debug("client {} closed its connection with {} commands outstanding", ctx.channel().remoteAddress(), pending.size());
        }
        releaseAll();
        onClose.run();
        ctx.fireChannelInactive();
    }

    /** No reply will be written any more: the filled ones are released now, the others when they are filled. */
    private void releaseAll() {
        finished = true;
        for (Slot s : pending) {
            release(s);
        }
        pending.clear();
    }

    private static void release(Slot s) {
        if (s.reply != null) {
            s.reply.release();
            s.reply = null;
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.info("closing client connection {}: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
