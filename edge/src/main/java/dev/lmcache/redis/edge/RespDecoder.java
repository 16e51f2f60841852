package dev.lmcache.redis.edge;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RESP2 requests (arrays of bulk strings, and inline commands such as a probe's {@code PING}) to
 * {@link Request}s. A state machine with one method per state; each argument is copied once, as
 * its bytes arrive, into an array of exactly its size, so a 32 MiB value is never accumulated in
 * Netty's cumulation buffer. An argument over its limit is skipped as it arrives (never buffered)
 * and the command is emitted refused, which keeps the connection in step with the client.
 * Anything that is not RESP closes the connection with a log line: there is no way to find the
 * next command in a stream that broke the protocol.
 */
final class RespDecoder extends ByteToMessageDecoder {
    private static final Logger log = LoggerFactory.getLogger(RespDecoder.class);
    /** Longest header or inline line. */
    static final int MAX_LINE = 64 * 1024;
    /** Most arguments in one command (EXISTS and DEL of many keys). */
    static final int MAX_ARGS = 4096;
    /** Most bytes of the non-value arguments of one command together. */
    static final long MAX_SMALL_ARG_BYTES = 4L << 20;

    private enum State { LINE, ARG_HEADER, ARG_DATA, ARG_END, SKIP, BROKEN }

    private final long maxValueBytes;
    private State state = State.LINE;
    private byte[][] args;
    private int argCount;
    private int argIndex;
    private byte[] current;
    private int filled;
    private long toSkip;
    private long smallBytes;
    private String refusal;

    RespDecoder(long maxValueBytes) {
        this.maxValueBytes = maxValueBytes;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        boolean progress = true;
        while (progress && in.isReadable()) {
            progress = switch (state) {
                case LINE -> line(ctx, in, out);
                case ARG_HEADER -> argHeader(ctx, in);
                case ARG_DATA -> argData(in);
                case ARG_END -> argEnd(ctx, in, out);
                case SKIP -> skip(in, out);
                case BROKEN -> {
                    in.skipBytes(in.readableBytes());
                    yield false;
                }
            };
        }
    }

    /** A command's first line: {@code *<count>} or an inline command. */
    private boolean line(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        int eol = findEol(ctx, in);
        if (eol < 0) {
            return false;
        }
        int start = in.readerIndex();
        int len = eol - start;
        if (in.getByte(start) != '*') {
            String text = in.toString(start, len, StandardCharsets.UTF_8).trim();
            in.readerIndex(eol + 2);
            if (!text.isEmpty()) {
                out.add(inline(text));
            }
            return true;
        }
        long count = parseNumber(in, start + 1, eol);
        in.readerIndex(eol + 2);
        if (count == Long.MIN_VALUE || count > MAX_ARGS) {
            return broken(ctx, count == Long.MIN_VALUE ? "bad array header" : "a command of " + count + " arguments (at most " + MAX_ARGS + ")");
        }
        if (count <= 0) {
            return true; // an empty or null array is no command (Redis ignores it too)
        }
        args = new byte[(int) count][];
        argCount = (int) count;
        argIndex = 0;
        smallBytes = 0;
        refusal = null;
        state = State.ARG_HEADER;
        return true;
    }

    /** {@code $<len>}: allocate the argument, or skip it if it is over its limit. */
    private boolean argHeader(ChannelHandlerContext ctx, ByteBuf in) {
        int eol = findEol(ctx, in);
        if (eol < 0) {
            return false;
        }
        int start = in.readerIndex();
        if (in.getByte(start) != '$') {
            return broken(ctx, "expected a bulk string ($) for argument " + argIndex + ", got '" + (char) in.getByte(start) + "'");
        }
        long len = parseNumber(in, start + 1, eol);
        in.readerIndex(eol + 2);
        if (len < 0) {
            return broken(ctx, "bad bulk length for argument " + argIndex);
        }
        boolean value = isValueArgument();
        long limit = value ? maxValueBytes : EdgeConfig.MAX_KEY_BYTES;
        if (len > limit) {
            refusal = (value ? "value" : "argument " + argIndex) + " of " + len + " bytes is over the limit of " + limit + " bytes";
            toSkip = len + 2;
            state = State.SKIP;
            return true;
        }
        if (!value && (smallBytes += len) > MAX_SMALL_ARG_BYTES) {
            return broken(ctx, "arguments over " + MAX_SMALL_ARG_BYTES + " bytes in all");
        }
        current = new byte[(int) len];
        filled = 0;
        state = len == 0 ? State.ARG_END : State.ARG_DATA;
        return true;
    }

    /** The third argument of SET (its value) may be chunk-sized; everything else is small. */
    private boolean isValueArgument() {
        if (argIndex != 2 || args[0] == null || args[0].length != 3) {
            return false;
        }
        byte[] n = args[0];
        return (n[0] | 0x20) == 's' && (n[1] | 0x20) == 'e' && (n[2] | 0x20) == 't';
    }

    private boolean argData(ByteBuf in) {
        int n = Math.min(in.readableBytes(), current.length - filled);
        in.readBytes(current, filled, n);
        filled += n;
        if (filled == current.length) {
            state = State.ARG_END;
        }
        return true;
    }

    private boolean argEnd(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (in.readableBytes() < 2) {
            return false;
        }
        if (in.readByte() != '\r' || in.readByte() != '\n') {
            return broken(ctx, "argument " + argIndex + " is not followed by CRLF (its length header was wrong)");
        }
        args[argIndex] = current;
        current = null;
        nextArgument(out);
        return true;
    }

    private boolean skip(ByteBuf in, List<Object> out) {
        int n = (int) Math.min(in.readableBytes(), toSkip);
        in.skipBytes(n);
        toSkip -= n;
        if (toSkip == 0) {
            // the skipped bytes included the CRLF; a wrong one is not checked (the value is refused anyway)
            nextArgument(out);
        }
        return true;
    }

    private void nextArgument(List<Object> out) {
        argIndex++;
        if (argIndex < argCount) {
            state = State.ARG_HEADER;
            return;
        }
        byte[][] rest = new byte[argCount - 1][];
        System.arraycopy(args, 1, rest, 0, rest.length);
        out.add(new Request(args[0], rest, refusal));
        args = null;
        state = State.LINE;
    }

    private static Request inline(String text) {
        String[] parts = text.split("\\s+");
        byte[][] rest = new byte[parts.length - 1][];
        for (int i = 1; i < parts.length; i++) {
            rest[i - 1] = parts[i].getBytes(StandardCharsets.UTF_8);
        }
        return new Request(parts[0].getBytes(StandardCharsets.UTF_8), rest, null);
    }

    /** The index of the CR of the next CRLF, or -1 if not there yet (a line too long breaks the connection). */
    private int findEol(ChannelHandlerContext ctx, ByteBuf in) {
        int start = in.readerIndex();
        int end = in.writerIndex();
        int searchEnd = Math.min(end, start + MAX_LINE + 2);
        int lf = in.indexOf(start, searchEnd, (byte) '\n');
        if (lf < 0) {
            if (end - start > MAX_LINE) {
                broken(ctx, "a line of more than " + MAX_LINE + " bytes without CRLF");
            }
            return -1;
        }
        if (lf == start || in.getByte(lf - 1) != '\r') {
            broken(ctx, "a line ending in LF without CR");
            return -1;
        }
        return lf - 1;
    }

    /** A decimal number (optionally negative) in {@code [from, to)}; Long.MIN_VALUE if it is not one. */
    private static long parseNumber(ByteBuf in, int from, int to) {
        if (from >= to || to - from > 19) {
            return Long.MIN_VALUE;
        }
        boolean negative = in.getByte(from) == '-';
        int i = negative ? from + 1 : from;
        if (i >= to) {
            return Long.MIN_VALUE;
        }
        long v = 0;
        for (; i < to; i++) {
            byte c = in.getByte(i);
            if (c < '0' || c > '9') {
                return Long.MIN_VALUE;
            }
            v = v * 10 + (c - '0');
        }
        return negative ? -v : v;
    }

    private boolean broken(ChannelHandlerContext ctx, String why) {
        if (state != State.BROKEN) {
            state = State.BROKEN;
            log.warn("closing client connection {}: malformed RESP ({})", ctx.channel().remoteAddress(), why);
            ctx.close();
        }
        return false;
    }
}
