package dev.lmcache.redis.bench.peers;

import dev.lmcache.redis.HostAndPort;
import dev.lmcache.redis.StoreConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The server's ceiling, not a client one would use: the least a client can do to move a batch
 * of large values over one connection, so that what it reaches is what the server can send (or
 * take). One blocking {@link SocketChannel} to a standalone server, the same connection count as
 * the store's data lane (one per node). A get writes every GET of the batch at once, then reads
 * the replies: each bulk header is parsed from a small staging buffer and the value's bytes are
 * read by the kernel straight into a direct buffer kept for that position of the batch and reused
 * by every repetition (one copy, socket to destination, no allocation). A put writes each SET's
 * header and the value's direct buffer with one gathering write per value, then reads the
 * {@code +OK}s.
 *
 * <p>The values it reads are returned and checked byte for byte like every peer's. Standalone
 * over TCP only (no TLS, no cluster routing); {@link #supports} says whether it applies.
 */
final class RawSocketPeer implements Peer {
    /** The name in tables and JSON. */
    static final String NAME = "ceiling";
    private static final byte[] CRLF = {'\r', '\n'};
    private static final int STAGING_BYTES = 64 * 1024;

    private final StoreConfig config;
    private SocketChannel channel;
    /** Reply bytes read but not yet consumed, between position and limit. */
    private final ByteBuffer staging = ByteBuffer.allocateDirect(STAGING_BYTES);
    /** One destination per position of the batch, reused while the size stays the same. */
    private final List<ByteBuffer> destinations = new ArrayList<>();

    RawSocketPeer(Server server) {
        if (!supports(server)) {
            throw new IllegalArgumentException("the ceiling reader needs a standalone server over plain TCP");
        }
        this.config = server.config();
    }

    /** True for a standalone server over plain TCP (the reader knows no TLS and no slots). */
    static boolean supports(Server server) {
        return !server.isCluster() && !server.config().tls() && server.config().unixSocket().isEmpty();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean isCeiling() {
        return true;
    }

    @Override
    public boolean blocking() {
        return true;
    }

    @Override
    public synchronized void prepare(int callers) {
        if (callers != 1) {
            throw new IllegalArgumentException("the ceiling reader serves one caller, was asked for " + callers);
        }
        if (channel != null) {
            return;
        }
        HostAndPort hp = config.endpoints().get(0);
        try {
            channel = SocketChannel.open(new InetSocketAddress(hp.host(), hp.port()));
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            staging.clear().limit(0);
            if (config.password().isPresent()) {
                String pw = new String(config.password().get());
                send(config.username().map(u -> command("AUTH", u, pw)).orElseGet(() -> command("AUTH", pw)));
                expectSimple();
            }
            if (config.database() != 0) {
                send(command("SELECT", Integer.toString(config.database())));
                expectSimple();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("ceiling reader: cannot connect to " + hp, e);
        }
    }

    @Override
    public CompletableFuture<Void> batchedPut(int caller, List<BenchKey> keys, List<Payloads.Value> values) {
        try {
            for (int i = 0; i < keys.size(); i++) {
                ByteBuffer value = values.get(i).direct();
                byte[] key = keys.get(i).name();
                ByteBuffer head = ByteBuffer.wrap(concat(("*3\r\n$3\r\nSET\r\n$" + key.length + "\r\n").getBytes(StandardCharsets.US_ASCII),
                        key, ("\r\n$" + value.remaining() + "\r\n").getBytes(StandardCharsets.US_ASCII)));
                write(head, value, ByteBuffer.wrap(CRLF));
            }
            for (int i = 0; i < keys.size(); i++) {
                expectSimple();
            }
            return CompletableFuture.completedFuture(null);
        } catch (IOException | RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public CompletableFuture<List<ByteBuffer>> batchedGet(int caller, List<BenchKey> keys) {
        try {
            ByteArrayBuilder all = new ByteArrayBuilder();
            for (BenchKey k : keys) {
                all.add(command("GET", k.name()));
            }
            send(all.bytes());
            List<ByteBuffer> out = new ArrayList<>(keys.size());
            for (int i = 0; i < keys.size(); i++) {
                out.add(readBulk(i));
            }
            return CompletableFuture.completedFuture(out);
        } catch (IOException | RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public void delete(List<BenchKey> keys) {
        prepare(1);
        try {
            ByteArrayBuilder all = new ByteArrayBuilder();
            for (BenchKey k : keys) {
                all.add(command("DEL", k.name()));
            }
            send(all.bytes());
            for (int i = 0; i < keys.size(); i++) {
                expectSimple();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized void close() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // closing a socket we are done with; nothing to keep
            }
            channel = null;
        }
    }

    /** Reads one bulk reply into the destination of position {@code index}; null for a missing key. */
    private ByteBuffer readBulk(int index) throws IOException {
        String header = line();
        if (header.startsWith("-")) {
            throw new IOException("server error: " + header.substring(1));
        }
        if (!header.startsWith("$")) {
            throw new IOException("expected a bulk reply, got '" + header + "'");
        }
        int size = Integer.parseInt(header.substring(1));
        if (size < 0) {
            return null;
        }
        ByteBuffer dst = destination(index, size);
        int staged = Math.min(size, staging.remaining());
        if (staged > 0) {
            ByteBuffer part = staging.slice();
            part.limit(staged);
            dst.put(part);
            staging.position(staging.position() + staged);
        }
        while (dst.hasRemaining()) {
            // all the value's remaining bytes asked for at once: the kernel returns what has arrived
            if (channel.read(dst) < 0) {
                throw new IOException("connection closed in the middle of a " + size + "-byte value");
            }
        }
        fill(2);
        if (staging.get() != '\r' || staging.get() != '\n') {
            throw new IOException("a " + size + "-byte bulk value not followed by CRLF");
        }
        return dst.flip();
    }

    private ByteBuffer destination(int index, int size) {
        while (destinations.size() <= index) {
            destinations.add(null);
        }
        ByteBuffer b = destinations.get(index);
        if (b == null || b.capacity() != size) {
            b = ByteBuffer.allocateDirect(size);
            destinations.set(index, b);
        }
        return b.clear();
    }

    /** A simple, integer or error reply; throws for an error. */
    private void expectSimple() throws IOException {
        String reply = line();
        if (reply.startsWith("-")) {
            throw new IOException("server error: " + reply.substring(1));
        }
        if (!reply.startsWith("+") && !reply.startsWith(":")) {
            throw new IOException("expected a status or integer reply, got '" + reply + "'");
        }
    }

    /** The next reply line, without its CRLF. */
    private String line() throws IOException {
        int from = staging.position();
        while (true) {
            for (int i = from; i < staging.limit(); i++) {
                if (staging.get(i) == '\n') {
                    int start = staging.position();
                    byte[] b = new byte[Math.max(0, i - 1 - start)];
                    staging.get(start, b);
                    staging.position(i + 1);
                    return new String(b, StandardCharsets.US_ASCII);
                }
            }
            from = staging.limit() - staging.position();
            readMore();
            from += staging.position();
        }
    }

    /** Ensures {@code n} bytes are staged. */
    private void fill(int n) throws IOException {
        while (staging.remaining() < n) {
            readMore();
        }
    }

    /** Moves the staged bytes to the front and reads more after them. */
    private void readMore() throws IOException {
        staging.compact();
        if (!staging.hasRemaining()) {
            throw new IOException("a reply line longer than " + STAGING_BYTES + " bytes");
        }
        int n = channel.read(staging);
        staging.flip();
        if (n < 0) {
            throw new IOException("connection closed by the server");
        }
    }

    private void send(byte[] bytes) throws IOException {
        write(ByteBuffer.wrap(bytes));
    }

    private void write(ByteBuffer... parts) throws IOException {
        long left = 0;
        for (ByteBuffer p : parts) {
            left += p.remaining();
        }
        while (left > 0) {
            left -= channel.write(parts);
        }
    }

    private static byte[] command(Object... args) {
        ByteArrayBuilder b = new ByteArrayBuilder();
        b.add(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (Object a : args) {
            byte[] v = a instanceof byte[] bytes ? bytes : a.toString().getBytes(StandardCharsets.UTF_8);
            b.add(("$" + v.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            b.add(v);
            b.add(CRLF);
        }
        return b.bytes();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayBuilder b = new ByteArrayBuilder();
        for (byte[] p : parts) {
            b.add(p);
        }
        return b.bytes();
    }

    /** A growing byte array (the commands here are small). */
    private static final class ByteArrayBuilder {
        private byte[] bytes = new byte[256];
        private int size;

        void add(byte[] b) {
            if (size + b.length > bytes.length) {
                bytes = java.util.Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + b.length));
            }
            System.arraycopy(b, 0, bytes, size, b.length);
            size += b.length;
        }

        byte[] bytes() {
            return java.util.Arrays.copyOf(bytes, size);
        }
    }
}
