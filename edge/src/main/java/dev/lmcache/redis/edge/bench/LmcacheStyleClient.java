package dev.lmcache.redis.edge.bench;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A client that talks the way LMCache's C++ {@code resp} client does (LMCACHE-RESP-CLIENT.md):
 * {@code workers} threads, each with one blocking TCP connection opened once and never reopened
 * (no TCP_NODELAY); a batch is cut into {@code min(workers, n)} contiguous tiles and each worker
 * does one round trip per key; every reply is read as a FIXED number of bytes and compared: 5 for
 * SET and AUTH ({@code +OK\r\n}), 4 for EXISTS and DEL ({@code :0\r\n} / {@code :1\r\n}),
 * {@code len("$<n>\r\n")} then n then 2 for GET. A reply of another length is not detected as
 * such: its extra bytes are read as the next reply (desync), exactly as with LMCache's client.
 *
 * <p>Where LMCache's client would wait forever (a {@code $-1} nil to a GET), this one gives up
 * after {@code readTimeoutMillis} and counts that worker dead, so a test fails instead of hanging.
 * A worker whose AUTH is refused exits, as LMCache's does. For tests and the {@code bench edge}
 * benchmark; not thread-safe (one batch at a time).
 */
public final class LmcacheStyleClient implements AutoCloseable {
    private static final byte[] OK = "+OK\r\n".getBytes(StandardCharsets.US_ASCII);

    /** One worker's connection. */
    private static final class Worker {
        final Socket socket;
        final InputStream in;
        final OutputStream out;
        boolean dead;
        private byte[] frame = new byte[0];

        /** header + value + CRLF in one reused array (the worker's "writev"). */
        byte[] frame(byte[] head, ByteBuffer value) {
            int n = head.length + value.remaining() + 2;
            if (frame.length != n) {
                frame = new byte[n];
            }
            System.arraycopy(head, 0, frame, 0, head.length);
            value.duplicate().get(frame, head.length, value.remaining());
            frame[n - 2] = '\r';
            frame[n - 1] = '\n';
            return frame;
        }

        Worker(Socket socket) throws IOException {
            this.socket = socket;
            this.in = socket.getInputStream();
            this.out = socket.getOutputStream();
        }
    }

    private final List<Worker> workers = new ArrayList<>();
    private final ExecutorService pool;
    private final int chunkBytes;
    private final byte[] getHeader;

    private LmcacheStyleClient(int chunkBytes, int n) {
        this.chunkBytes = chunkBytes;
        this.getHeader = ("$" + chunkBytes + "\r\n").getBytes(StandardCharsets.US_ASCII);
        this.pool = Executors.newFixedThreadPool(n, r -> {
            Thread t = new Thread(r, "lmcache-style-worker");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Opens {@code workers} connections and, if {@code password} is not null, AUTHs each ({@code
     * AUTH user pass}, or {@code AUTH pass} when {@code user} is null). Workers whose AUTH is not
     * answered {@code +OK} are dead from the start.
     */
    public static LmcacheStyleClient connect(String host, int port, int workers, int chunkBytes, String user,
                                             String password, int readTimeoutMillis) throws IOException {
        if (workers < 1 || chunkBytes < 1) {
            throw new IllegalArgumentException("workers and chunkBytes must be positive, got " + workers + " and " + chunkBytes);
        }
        LmcacheStyleClient c = new LmcacheStyleClient(chunkBytes, workers);
        try {
            for (int i = 0; i < workers; i++) {
                Socket s = new Socket(host, port);
                s.setSoTimeout(readTimeoutMillis);
                Worker w = new Worker(s);
                c.workers.add(w);
                if (password != null) {
                    List<byte[]> args = new ArrayList<>();
                    args.add(b("AUTH"));
                    if (user != null) {
                        args.add(b(user));
                    }
                    args.add(b(password));
                    try {
                        w.out.write(command(args, -1));
                        w.out.flush();
                        w.dead = !Arrays.equals(readExactly(w.in, 5), OK);
                    } catch (IOException e) {
                        w.dead = true;
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
        return c;
    }

    /** Workers still usable (not refused at AUTH, no connection lost, no read given up). */
    public int liveWorkers() {
        return (int) workers.stream().filter(w -> !w.dead).count();
    }

    /** SET of each key: true where the reply was exactly {@code +OK\r\n}. Values are read from position to limit, unchanged. */
    public boolean[] set(List<byte[]> keys, List<ByteBuffer> values) {
        return tiles(keys.size(), (w, i) -> {
            ByteBuffer v = values.get(i);
            byte[] head = command(List.of(b("SET"), keys.get(i)), v.remaining());
            // one write, as LMCache's single writev: with Nagle on, split writes would wait for ACKs
            w.out.write(w.frame(head, v));
            w.out.flush();
            return Arrays.equals(readExactly(w.in, 5), OK);
        });
    }

    /**
     * GET of each key into {@code into.get(i)} (chunkBytes from its position): true where the
     * header was exactly {@code $<chunkBytes>\r\n}, after which the value and CRLF are read.
     */
    public boolean[] get(List<byte[]> keys, List<ByteBuffer> into) {
        return tiles(keys.size(), (w, i) -> {
            w.out.write(command(List.of(b("GET"), keys.get(i)), -1));
            w.out.flush();
            if (!Arrays.equals(readExactly(w.in, getHeader.length), getHeader)) {
                return false;
            }
            byte[] value = readExactly(w.in, chunkBytes);
            into.get(i).duplicate().put(value);
            return Arrays.equals(readExactly(w.in, 2), new byte[] {'\r', '\n'});
        });
    }

    /** EXISTS of each key: 1 or 0 where the reply was {@code :1} / {@code :0}, -1 where it was anything else. */
    public int[] exists(List<byte[]> keys) {
        return integers("EXISTS", keys);
    }

    /** DEL of each key, as {@link #exists}. */
    public int[] delete(List<byte[]> keys) {
        return integers("DEL", keys);
    }

    private int[] integers(String cmd, List<byte[]> keys) {
        int[] out = new int[keys.size()];
        Arrays.fill(out, -1);
        tiles(keys.size(), (w, i) -> {
            w.out.write(command(List.of(b(cmd), keys.get(i)), -1));
            w.out.flush();
            byte[] r = readExactly(w.in, 4);
            if (r[0] == ':' && (r[1] == '0' || r[1] == '1') && r[2] == '\r' && r[3] == '\n') {
                out[i] = r[1] - '0';
                return true;
            }
            return false;
        });
        return out;
    }

    /** Bytes that arrived on any connection and were not read as a reply: nonzero means the client lost step. */
    public int leftoverBytes() throws IOException {
        int n = 0;
        for (Worker w : workers) {
            if (!w.dead) {
                n += w.in.available();
            }
        }
        return n;
    }

    @FunctionalInterface
    private interface KeyOp {
        boolean run(Worker w, int index) throws IOException;
    }

    /** Contiguous tiles, one per worker (as many as keys at most); each worker sends one key at a time. */
    private boolean[] tiles(int n, KeyOp op) {
        boolean[] ok = new boolean[n];
        if (n == 0) {
            return ok;
        }
        int tiles = Math.min(workers.size(), n);
        List<Future<?>> running = new ArrayList<>();
        for (int t = 0; t < tiles; t++) {
            int from = (int) ((long) n * t / tiles);
            int to = (int) ((long) n * (t + 1) / tiles);
            Worker w = workers.get(t);
            running.add(pool.submit(() -> {
                for (int i = from; i < to; i++) {
                    if (w.dead) {
                        continue; // a dead worker fails its keys at once
                    }
                    try {
                        ok[i] = op.run(w, i);
                    } catch (SocketTimeoutException e) {
                        w.dead = true; // LMCache's client would wait here forever
                    } catch (IOException e) {
                        w.dead = true;
                    }
                }
            }));
        }
        for (Future<?> f : running) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
        }
        return ok;
    }

    /** {@code *N\r\n$len\r\narg...}; with {@code valueLength >= 0} the last bulk header for a value that follows. */
    private static byte[] command(List<byte[]> args, int valueLength) {
        StringBuilder sb = new StringBuilder();
        int count = args.size() + (valueLength >= 0 ? 1 : 0);
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        sb.append('*').append(count).append("\r\n");
        bytes.writeBytes(b(sb.toString()));
        for (byte[] a : args) {
            bytes.writeBytes(b("$" + a.length + "\r\n"));
            bytes.writeBytes(a);
            bytes.writeBytes(b("\r\n"));
        }
        if (valueLength >= 0) {
            bytes.writeBytes(b("$" + valueLength + "\r\n"));
        }
        return bytes.toByteArray();
    }

    private static byte[] readExactly(InputStream in, int n) throws IOException {
        byte[] b = new byte[n];
        int off = 0;
        while (off < n) {
            int r = in.read(b, off, n - off);
            if (r < 0) {
                throw new EOFException("connection closed after " + off + " of " + n + " bytes");
            }
            off += r;
        }
        return b;
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        pool.shutdownNow();
        for (Worker w : workers) {
            try {
                w.socket.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }
}
