package dev.lmcache.redis.edge;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** A raw socket to the edge for byte-exact checks: send bytes, read exactly so many back. */
final class Resp implements AutoCloseable {
    final Socket socket;
    private final InputStream in;

    Resp(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        in = socket.getInputStream();
    }

    static byte[] command(Object... args) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (Object a : args) {
            byte[] v = a instanceof byte[] bytes ? bytes : String.valueOf(a).getBytes(StandardCharsets.UTF_8);
            b.writeBytes(("$" + v.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            b.writeBytes(v);
            b.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        return b.toByteArray();
    }

    Resp send(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
        return this;
    }

    Resp send(Object... args) throws IOException {
        return send(command(args));
    }

    byte[] read(int n) throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length < n) {
            throw new IOException("connection closed after " + b.length + " of " + n + " bytes");
        }
        return b;
    }

    String readText(int n) throws IOException {
        return new String(read(n), StandardCharsets.ISO_8859_1);
    }

    /** The reply to a command, read as exactly as many bytes as {@code expected} has. */
    String call(String expected, Object... args) throws IOException {
        send(args);
        return readText(expected.getBytes(StandardCharsets.ISO_8859_1).length);
    }

    /** Nothing more arrives within {@code millis} (the last reply had exactly the length read). */
    boolean quietFor(int millis) throws IOException {
        int old = socket.getSoTimeout();
        socket.setSoTimeout(millis);
        try {
            return in.read() < 0 ? false : false;
        } catch (SocketTimeoutException e) {
            return true;
        } finally {
            socket.setSoTimeout(old);
        }
    }

    /** True once the edge closed the connection. */
    boolean closedByPeer() throws IOException {
        try {
            return in.read() < 0;
        } catch (IOException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
