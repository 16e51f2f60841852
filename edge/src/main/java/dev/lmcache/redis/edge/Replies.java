package dev.lmcache.redis.edge;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * RESP2 replies, including the errors of exactly the length LMCache's client reads (see
 * LMCACHE-RESP-CLIENT.md): such an error fails that key or batch and keeps the connection in
 * step, where any other length desyncs it for good.
 */
final class Replies {
    static final byte[] CRLF = {'\r', '\n'};
    static final ByteBuf OK = constant("+OK\r\n");
    static final ByteBuf PONG = constant("+PONG\r\n");
    static final ByteBuf ZERO = constant(":0\r\n");
    static final ByteBuf ONE = constant(":1\r\n");
    /** A refused or failed SET: 5 bytes, as many as {@code +OK\r\n}. */
    static final ByteBuf SET_FAILED = constant("-NO\r\n");
    /** A failed EXISTS or DEL: 4 bytes, as many as {@code :0\r\n}. */
    static final ByteBuf INTEGER_FAILED = constant("-E\r\n");
    static final ByteBuf EMPTY_ARRAY = constant("*0\r\n");
    static final ByteBuf NIL = constant("$-1\r\n");
    static final ByteBuf WRONGPASS = constant("-WRONGPASS invalid username-password pair or user is disabled.\r\n");
    static final ByteBuf NOAUTH = constant("-NOAUTH Authentication required.\r\n");

    private Replies() {
    }

    private static ByteBuf constant(String s) {
        return Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(s.getBytes(StandardCharsets.US_ASCII)).asReadOnly());
    }

    /** A shared constant reply, ready to write (each write gets its own reader index). */
    static ByteBuf of(ByteBuf constant) {
        return constant.duplicate();
    }

    static ByteBuf integer(long n) {
        return n == 0 ? of(ZERO) : n == 1 ? of(ONE) : ascii(":" + n + "\r\n");
    }

    static ByteBuf simple(String s) {
        return ascii("+" + s + "\r\n");
    }

    /** A RESP error; {@code message} must not contain CR or LF. */
    static ByteBuf error(String message) {
        return ascii("-" + message.replace('\r', ' ').replace('\n', ' ') + "\r\n");
    }

    static ByteBuf bulk(byte[] bytes) {
        return Unpooled.wrappedBuffer(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.US_ASCII), bytes, CRLF);
    }

    /** A bulk reply of the value, without copying it (the buffer is not modified; its position is kept). */
    static ByteBuf bulk(ByteBuffer value) {
        return Unpooled.wrappedBuffer(Unpooled.wrappedBuffer(("$" + value.remaining() + "\r\n").getBytes(StandardCharsets.US_ASCII)),
                Unpooled.wrappedBuffer(value.duplicate()), Unpooled.wrappedBuffer(CRLF));
    }

    /** The length of the header {@code $<n>\r\n} that LMCache's client reads before a GET's value. */
    static int getHeaderLength(int chunkBytes) {
        return 3 + Integer.toString(chunkBytes).length();
    }

    /**
     * A GET error of exactly {@link #getHeaderLength} bytes: {@code -} + a code cut or padded to
     * fill + CRLF, e.g. {@code -NOCHUNK\r\n} for 1 MiB chunks, {@code -NOCHUNK_\r\n} for 32 MiB.
     */
    static ByteBuf getError(String code, int chunkBytes) {
        int width = getHeaderLength(chunkBytes) - 3;
        StringBuilder sb = new StringBuilder("-");
        for (int i = 0; i < width; i++) {
            sb.append(i < code.length() ? code.charAt(i) : '_');
        }
        return ascii(sb.append("\r\n").toString());
    }

    private static ByteBuf ascii(String s) {
        return Unpooled.wrappedBuffer(s.getBytes(StandardCharsets.US_ASCII));
    }
}
