package dev.lmcache.redis.codec;

import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.CommandWrapper;
import io.lettuce.core.protocol.ProtocolKeyword;
import io.lettuce.core.protocol.RedisCommand;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandler;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.flush.FlushConsolidationHandler;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

/**
 * Takes large values off a connection's inbound stream before Lettuce decodes it, so that a value
 * is copied once in user space: from the socket's buffer into the caller's. Lettuce's decoder
 * first appends everything it reads to its own buffer, then the output copies the value out of it:
 * two copies, and a read buffer that grows to the largest value and stays that big.
 *
 * <p>Sits in front of Lettuce's {@code CommandHandler}. {@link WireEncoder} tells it, in write
 * order, the output of every command sent ({@link #expect}); Redis answers each command with one
 * reply, in order. The splitter follows reply boundaries (RESP2 and RESP3 framing, no decoding)
 * and, when the reply to a {@link BulkOutput} command is a bulk string of at least
 * {@link #MIN_DIVERT_BYTES}, copies its bytes into the output's destination as they arrive and
 * passes an empty bulk string ({@code $0}) to Lettuce in its place; Lettuce then completes the
 * command with the delivered value. Everything else passes through untouched, unsliced when an
 * input holds no such value.
 *
 * <p>On a connection whose bytes reach the splitter as the socket delivers them (no TLS), with a
 * {@link ValueReadAllocator} installed, and a writable direct destination, the rest of a large value
 * is not even copied by the splitter: the channel's next reads go straight into the destination
 * ({@link #socketReadTarget}), so the kernel's copy from the socket is the value's only one. The
 * bytes still arrive in stream order on the event loop, within the same {@code divert} /
 * {@code diverted} window, so the destination's ownership is the same either way.
 *
 * <p>The replies of a {@link PipelineCommand} (several commands Lettuce handles as one) are
 * announced to Lettuce as one array: the splitter inserts {@code *n} before the first of them.
 *
 * <p>When the pairing of replies with commands cannot be trusted — a RESP3 push or attribute at
 * the top level, a reply with no command waiting, a subscription or MONITOR, a non-command write,
 * an unknown type byte — the splitter stops for the rest of the connection's life and passes all
 * bytes through: Lettuce then decodes every value itself (two copies, still correct). If a
 * command group is still waiting for replies then, or a value is halfway through being diverted,
 * the connection is closed instead (Lettuce fails its commands and reconnects): only the splitter
 * can deliver a group's replies or the rest of a diverted value.
 *
 * <p>One instance per channel; all methods run on its event loop.
 */
public final class ReplySplitter extends ChannelInboundHandlerAdapter {
    /** Values from this size up are diverted; smaller ones cost less to copy twice than to split. */
    public static final int MIN_DIVERT_BYTES = 64 * 1024;

    private static final Object PLAIN = new Object();
    /**
     * A diverted value's remaining bytes from this size up are read from the socket into the
     * destination; a smaller tail is read with what follows it (fewer system calls) and copied.
     */
    static final int MIN_SOCKET_READ_BYTES = 64 * 1024;

    /** Values diverted in this JVM, all connections (a diagnostic: shows the fast path is taken). */
    private static final LongAdder DIVERTED = new LongAdder();
    /** Value bytes the socket read straight into destinations in this JVM (a diagnostic). */
    private static final LongAdder SOCKET_READ_BYTES = new LongAdder();
    private static final byte[] PLACEHOLDER = "$0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final long MAX_LENGTH = Integer.MAX_VALUE;

    private enum State { TYPE, LINE, NUMBER, BODY, DIVERT, DIVERT_CRLF }

    /**
     * Outputs of the commands sent and not yet answered (PLAIN for any other command); a {@link
     * Group} marker precedes the commands of a {@link PipelineCommand}.
     */
    private final ArrayDeque<Object> expected = new ArrayDeque<>();
    private boolean stopped;
    private ChannelHandlerContext context;
    /** Replies still owed to command groups, which only this splitter can deliver to Lettuce. */
    private long owedToGroups;
    /** Replies of the group being answered not yet started. */
    private int inGroup;

    private State state = State.TYPE;
    /** Elements of the current top-level reply not yet started (0: the next byte starts a reply). */
    private long pending;
    /** The type byte of the header being read. */
    private byte type;
    /** The header being read is the top-level one of a reply whose command has a BulkOutput. */
    private boolean candidate;
    private long number;
    private boolean negative;
    private boolean digits;
    /** Bytes of a body still to skip or to divert (value bytes; the CRLF after it separately). */
    private long remaining;

    /** The output of the reply being read (null unless it is a BulkOutput command's). */
    private BulkOutput output;
    /** Where the diverted value goes (null: dropped). */
    private ByteBuffer slice;
    private int divertSize;
    /** A candidate header begun in an earlier input, not yet forwarded (it may be dropped). */
    private ByteBuf held;
    /** Whether the value being diverted may be read from the socket into its destination. */
    private boolean socketReads;
    /** The destination's remainder handed to the channel's read, until that read comes back. */
    private ByteBuf socketRead;

    /** The start of a command group's replies: announced to Lettuce as an array of {@code size}. */
    private record Group(int size) {
    }

    /**
     * Records a command just encoded for this channel; its reply will be the next one after those
     * of the commands recorded before it. A {@link PipelineCommand} is recorded as its commands,
     * whose replies are announced to Lettuce as one array.
     */
    public void expect(RedisCommand<?, ?, ?> command) {
        if (stopped) {
            return;
        }
        PipelineCommand group = CommandWrapper.unwrap(command, PipelineCommand.class);
        if (group != null) {
            expected.add(new Group(group.commands().size()));
            owedToGroups += group.commands().size();
            for (RedisCommand<?, ?, ?> c : group.commands()) {
                expectOne(c);
            }
            return;
        }
        expectOne(command);
    }

    private void expectOne(RedisCommand<?, ?, ?> command) {
        ProtocolKeyword t = command.getType();
        if (t == CommandType.SUBSCRIBE || t == CommandType.PSUBSCRIBE || t == CommandType.SSUBSCRIBE
                || t == CommandType.MONITOR) {
            stop();
            return;
        }
        expected.add(command.getOutput() instanceof BulkOutput o ? o : PLAIN);
    }

    /** Something other than a command was written: replies can no longer be paired with commands. */
    void unpairedWrite() {
        stop();
    }

    /** How many values all connections in this JVM have copied straight into their destinations. */
    public static long divertedValues() {
        return DIVERTED.sum();
    }

    /**
     * How many value bytes all connections in this JVM have had the socket read straight into
     * their destinations (without the splitter's copy).
     */
    public static long socketReadBytes() {
        return SOCKET_READ_BYTES.sum();
    }

    /** Whether values are still diverted on this connection (false once pairing was given up). */
    public boolean active() {
        return !stopped;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        context = ctx;
    }

    /**
     * Called by the {@link ValueReadAllocator} on the event loop before each socket read: while a
     * large value is being diverted into a writable direct buffer on a connection without TLS, a
     * buffer over the rest of that destination (its writer index at 0, its capacity exactly the
     * value bytes still to come, so the read cannot run past the value); else null, and the read
     * goes into a buffer of Netty's as usual.
     */
    ByteBuf socketReadTarget() {
        if (stopped || state != State.DIVERT || !socketReads || slice == null || remaining < MIN_SOCKET_READ_BYTES) {
            return null;
        }
        ByteBuffer rest = slice.duplicate();
        rest.limit(rest.position() + (int) remaining);
        socketRead = Unpooled.wrappedBuffer(rest).clear();
        return socketRead;
    }

    /** The socket read {@code n} bytes of the value straight into the destination. */
    private void readFromSocket(ByteBuf read) {
        socketRead = null;
        int n = read.writerIndex();
        read.release();
        if (state != State.DIVERT || n > remaining) {
            throw new IllegalStateException("a socket read into a value's buffer arrived outside that value");
        }
        slice.position(slice.position() + n);
        remaining -= n;
        SOCKET_READ_BYTES.add(n);
        if (remaining == 0) {
            state = State.DIVERT_CRLF;
            remaining = 2;
        }
    }

    /**
     * Inbound handlers known to pass the socket's bytes on untouched (they handle connection
     * events only): Netty's flush consolidation and Lettuce's channel group listener, which Lettuce
     * puts before the splitter. Any other inbound handler there (TLS, a decoder, one a later Lettuce
     * adds) turns socket reads into values off: the splitter then copies, as it always did.
     */
    private static final Set<String> PASS_THROUGH = Set.of(FlushConsolidationHandler.class.getName(),
            "io.lettuce.core.ChannelGroupListener");

    /** True if the bytes this splitter sees are the socket's: only {@link #PASS_THROUGH} handlers before it. */
    private boolean seesSocketBytes() {
        if (context == null) {
            return false;
        }
        for (Map.Entry<String, ChannelHandler> e : context.pipeline()) {
            ChannelHandler h = e.getValue();
            if (h == this) {
                return true;
            }
            if (h instanceof ChannelInboundHandler && !PASS_THROUGH.contains(h.getClass().getName())) {
                return false;
            }
        }
        return false;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg == socketRead && msg != null) {
            try {
                readFromSocket((ByteBuf) msg);
            } catch (RuntimeException e) {
                stop();
                ctx.fireExceptionCaught(e);
                ctx.close();
            }
            return;
        }
        if (stopped || !(msg instanceof ByteBuf in)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            scan(ctx, in);
        } catch (RuntimeException e) {
            // not expected (outputs do not throw), but then where the stream stands is unknown:
            // the connection cannot be trusted, so it is closed; Lettuce fails its commands and
            // reconnects
            stop();
            ctx.fireExceptionCaught(e);
            ctx.close();
        }
    }

    private void scan(ChannelHandlerContext ctx, ByteBuf in) {
        final int start = in.readerIndex();
        final int end = in.writerIndex();
        int i = start;
        int from = start;        // first byte of this input not yet forwarded (or dropped)
        int heldAt = -1;         // where a candidate header starts in this input
        boolean sliced = false;  // parts of the input were forwarded as slices
        while (i < end && !stopped) {
            switch (state) {
                case TYPE -> {
                    byte b = in.getByte(i);
                    candidate = false;
                    if (pending == 0) {
                        Object next = b == '>' || b == '|' ? null : expected.poll();
                        if (next instanceof Group g) {
                            // a command group's first reply: Lettuce reads the group's replies as one array
                            sliced |= forward(ctx, in, from, i);
                            from = i;
                            ctx.fireChannelRead(Unpooled.wrappedBuffer(
                                    ("*" + g.size() + "\r\n").getBytes(StandardCharsets.US_ASCII)));
                            inGroup = g.size();
                            next = expected.poll();
                        }
                        if (next == null) {
                            stop();
                            break;
                        }
                        if (inGroup > 0) {
                            inGroup--;
                            owedToGroups--;
                        }
                        output = next instanceof BulkOutput o ? o : null;
                        candidate = output != null && b == '$';
                        if (candidate) {
                            heldAt = i;
                        }
                        pending = 1;
                    }
                    type = b;
                    i++;
                    switch (b) {
                        case '$', '!', '=', '*', '~', '%', '>' -> {
                            pending--;
                            beginNumber();
                        }
                        case '|' -> beginNumber();
                        case '+', '-', ':', '_', ',', '#', '(' -> {
                            pending--;
                            state = State.LINE;
                        }
                        default -> stop();
                    }
                }
                case LINE -> {
                    int nl = in.indexOf(i, end, (byte) '\n');
                    if (nl < 0) {
                        i = end;
                    } else {
                        i = nl + 1;
                        state = State.TYPE;
                    }
                }
                case NUMBER -> {
                    byte b = in.getByte(i++);
                    if (b >= '0' && b <= '9') {
                        number = number * 10 + (b - '0');
                        digits = true;
                        if (number > MAX_LENGTH) {
                            stop();
                        }
                    } else if (b == '-' && !digits && !negative) {
                        negative = true;
                    } else if (b == '\r') {
                        // the line ends at the LF
                    } else if (b == '\n' && digits) {
                        if (header()) {
                            // divert: what came before the reply goes on first (it may be the reply
                            // the destination depends on, such as the chunk's metadata); the
                            // header goes nowhere
                            if (held != null) {
                                held.release();
                                held = null;
                            } else {
                                sliced |= forward(ctx, in, from, heldAt);
                            }
                            from = i;
                            slice = output.divert(divertSize);
                            socketReads = slice != null && slice.isDirect() && !slice.isReadOnly()
                                    && seesSocketBytes();
                        } else {
                            forwardHeld(ctx);
                        }
                        heldAt = -1;
                    } else {
                        stop();
                    }
                }
                case BODY -> {
                    int n = (int) Math.min(remaining, end - i);
                    i += n;
                    remaining -= n;
                    if (remaining == 0) {
                        state = State.TYPE;
                    }
                }
                case DIVERT -> {
                    int n = (int) Math.min(remaining, end - i);
                    if (slice != null) {
                        try {
                            slice.limit(slice.position() + n);
                            in.getBytes(i, slice);
                            slice.limit(divertSize);
                        } catch (RuntimeException e) {
                            output.copyFailed(e);
                            slice = null;
                        }
                    }
                    i += n;
                    from = i;
                    remaining -= n;
                    if (remaining == 0) {
                        state = State.DIVERT_CRLF;
                        remaining = 2;
                    }
                }
                case DIVERT_CRLF -> {
                    int n = (int) Math.min(remaining, end - i);
                    i += n;
                    from = i;
                    remaining -= n;
                    if (remaining == 0) {
                        output.diverted(slice, divertSize);
                        DIVERTED.increment();
                        slice = null;
                        output = null;
                        state = State.TYPE;
                        ctx.fireChannelRead(Unpooled.wrappedBuffer(PLACEHOLDER));
                    }
                }
            }
        }
        if (stopped) {
            forwardHeld(ctx);
            heldAt = -1;
        }
        if (!stopped && state == State.NUMBER && candidate) {
            // the header of a reply that may be diverted is cut by the end of this input: hold it back
            int holdFrom = heldAt >= 0 ? heldAt : from;
            sliced |= forward(ctx, in, from, holdFrom);
            if (held == null) {
                held = ctx.alloc().heapBuffer(32);
            }
            held.writeBytes(in, holdFrom, end - holdFrom);
            from = end;
        }
        if (from == start && !sliced) {
            ctx.fireChannelRead(in);
            return;
        }
        forward(ctx, in, from, end);
        in.release();
    }

    /** Forwards {@code [from, to)} of {@code in}; true if that was a slice of it. */
    private static boolean forward(ChannelHandlerContext ctx, ByteBuf in, int from, int to) {
        if (to <= from) {
            return false;
        }
        ctx.fireChannelRead(in.retainedSlice(from, to - from));
        return true;
    }

    private void forwardHeld(ChannelHandlerContext ctx) {
        if (held != null) {
            ByteBuf h = held;
            held = null;
            ctx.fireChannelRead(h);
        }
    }

    private void beginNumber() {
        number = 0;
        negative = false;
        digits = false;
        state = State.NUMBER;
    }

    /** A length or count header ended; returns true when the value that follows is diverted. */
    private boolean header() {
        long n = negative ? -number : number;
        state = State.TYPE;
        switch (type) {
            case '$', '!', '=' -> {
                if (n < 0) {
                    return false;
                }
                if (candidate && n >= MIN_DIVERT_BYTES) {
                    divertSize = (int) n;
                    remaining = n;
                    state = State.DIVERT;
                    return true;
                }
                remaining = n + 2;
                state = State.BODY;
            }
            case '*', '~', '>' -> pending += Math.max(n, 0);
            case '%', '|' -> pending += 2 * Math.max(n, 0);
            default -> throw new IllegalStateException("not a length header: " + (char) type);
        }
        return false;
    }

    private void stop() {
        stopped = true;
        expected.clear();
        boolean midValue = state == State.DIVERT || state == State.DIVERT_CRLF;
        if (owedToGroups > 0 || midValue) {
            // Lettuce would read the rest of a group's replies as replies to later commands, and the
            // rest of a value being diverted (its reply already stands in for it) as a reply
            owedToGroups = 0;
            if (context != null) {
                context.close();
            }
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        release();
        super.channelInactive(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        release();
    }

    private void release() {
        if (state == State.DIVERT || state == State.DIVERT_CRLF) {
            output.divertAborted(slice);
            slice = null;
            output = null;
            state = State.TYPE;
        }
        if (held != null) {
            held.release();
            held = null;
        }
        owedToGroups = 0;
        stop();
    }
}
