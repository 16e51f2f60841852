package dev.lmcache.redis.batch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lmcache.redis.ChunkKey;
import dev.lmcache.redis.CountingAllocator;
import dev.lmcache.redis.KvCacheException;
import dev.lmcache.redis.KvCacheStore;
import dev.lmcache.redis.KvChunk;
import dev.lmcache.redis.StoreConfig;
import dev.lmcache.redis.TestChunks;
import dev.lmcache.redis.codec.ReplySplitter;
import dev.lmcache.redis.embedded.EmbeddedRedis;
import dev.lmcache.redis.embedded.Fresh;
import dev.lmcache.redis.embedded.RedisExtension;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A connection that breaks while the socket is reading a large value straight into the
 * caller's buffer: the call ends (with the value's bytes or an error, never wrong bytes, never a
 * hang), every buffer handed out is either in a returned chunk or given back, and the store reads
 * exactly once it has reconnected.
 */
@ExtendWith(RedisExtension.class)
class SocketReadCutTest {
    private static final int SIZE = 8 << 20;

    /**
     * Forwards connections to Redis; once {@link #cutAfter} is armed, closes the connection that
     * carries that many more bytes from the server, in the middle of whatever it was sending.
     */
    private static final class CuttingForwarder implements AutoCloseable {
        private final ServerSocket listener;
        private final List<Socket> sockets = new CopyOnWriteArrayList<>();
        private final AtomicLong cutAfter = new AtomicLong(-1);
        private final AtomicInteger cuts = new AtomicInteger();

        CuttingForwarder(int redisPort) throws IOException {
            listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread accept = new Thread(() -> {
                while (!listener.isClosed()) {
                    try {
                        Socket client = listener.accept();
                        Socket server = new Socket(InetAddress.getLoopbackAddress(), redisPort);
                        sockets.add(client);
                        sockets.add(server);
                        pump(client, server, false);
                        pump(server, client, true);
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "cutting-forwarder");
            accept.setDaemon(true);
            accept.start();
        }

        int port() {
            return listener.getLocalPort();
        }

        private void pump(Socket from, Socket to, boolean fromServer) {
            Thread t = new Thread(() -> {
                byte[] buf = new byte[64 * 1024];
                try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                    int n;
                    while ((n = in.read(buf)) > 0) {
                        long left = fromServer ? cutAfter.get() : -1;
                        if (left >= 0 && left < n) {
                            out.write(buf, 0, (int) left);
                            out.flush();
                            cutAfter.set(-1);
                            cuts.incrementAndGet();
                            to.close();
                            from.close();
                            return;
                        }
                        if (left >= 0) {
                            cutAfter.addAndGet(-n);
                        }
                        out.write(buf, 0, n);
                    }
                } catch (IOException e) {
                    // the other side closed: so does this one
                } finally {
                    closeQuietly(from);
                    closeQuietly(to);
                }
            }, "cutting-forwarder-pump");
            t.setDaemon(true);
            t.start();
        }

        private static void closeQuietly(Socket s) {
            try {
                s.close();
            } catch (IOException e) {
                // closing
            }
        }

        @Override
        public void close() throws IOException {
            listener.close();
            for (Socket s : sockets) {
                closeQuietly(s);
            }
        }
    }

    @Test
    void aConnectionCutInTheMiddleOfAValueTheSocketReadsIntoTheCallersBufferEndsTheCallAndLeaksNoBuffer(
            @Fresh EmbeddedRedis redis) throws Exception {
        CountingAllocator allocator = CountingAllocator.direct();
        try (CuttingForwarder forwarder = new CuttingForwarder(redis.port())) {
            StoreConfig config = StoreConfig.builder().url("redis://127.0.0.1:" + forwarder.port())
                    .requestTimeout(Duration.ofSeconds(3)).build();
            List<ChunkKey> keys = TestChunks.keys("socket-read-cut", 4);
            List<KvChunk> chunks = TestChunks.chunks(4, SIZE);
            try (KvCacheStore store = KvCacheStore.open(config, allocator)) {
                store.sync().batchedPut(keys, chunks);
                long socketBefore = ReplySplitter.socketReadBytes();
                // the cut falls 3 MiB into the second value (the first is whole, with its header)
                forwarder.cutAfter.set(SIZE + (3L << 20));
                CompletableFuture<List<Optional<KvChunk>>> cut = store.batchedGet(keys);
                List<Optional<KvChunk>> got = null;
                Throwable failure = null;
                try {
                    got = cut.get(20, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException e) {
                    failure = e.getCause();
                }
                assertThat(forwarder.cuts.get()).as("the connection was cut").isEqualTo(1);
                assertThat(ReplySplitter.socketReadBytes() - socketBefore)
                        .as("bytes the socket read into the caller's buffers before the cut").isPositive();
                int returned = 0;
                if (got != null) {
                    // Lettuce may have sent the unanswered commands again on its new connection
                    for (int i = 0; i < got.size(); i++) {
                        if (got.get(i).isPresent()) {
                            returned++;
                            assertThat(TestChunks.bytes(got.get(i).get().data())).as("chunk %d", i)
                                    .isEqualTo(TestChunks.bytes(chunks.get(i).data()));
                        }
                    }
                } else {
                    assertThat(failure).as("the cut read fails with the store's exception, naming the cause")
                            .isInstanceOf(KvCacheException.class).hasMessageContaining("disconnected");
                }
                int inChunks = returned;
                awaitTrue(() -> allocator.allocated.get() - allocator.released.get() == inChunks,
                        () -> "buffers handed out " + allocator.allocated.get() + ", given back " + allocator.released.get()
                                + ", in returned chunks " + inChunks);

                List<Optional<KvChunk>> again = readAfterReconnect(store, keys);
                for (int i = 0; i < keys.size(); i++) {
                    assertThat(TestChunks.bytes(again.get(i).orElseThrow().data())).as("chunk %d after the reconnect", i)
                            .isEqualTo(TestChunks.bytes(chunks.get(i).data()));
                }
            }
        }
    }

    private static List<Optional<KvChunk>> readAfterReconnect(KvCacheStore store, List<ChunkKey> keys) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (true) {
            try {
                return store.batchedGet(keys).get(10, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                if (System.nanoTime() > end) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition, java.util.function.Supplier<String> what)
            throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError(what.get());
            }
            Thread.sleep(50);
        }
    }
}
