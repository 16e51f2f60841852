package dev.lmcache.redis.edge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lmcache.redis.StoreConfig;
import dev.lmcache.redis.edge.bench.LmcacheStyleClient;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A client that behaves exactly like LMCache's (8 blocking connections, one key per round trip,
 * fixed-length replies) against the edge, with concurrent writers and readers and every byte
 * verified; run on a standalone server and a 3-master cluster.
 */
abstract class LmcacheClientContract {
    static final int CHUNK = 64 * 1024;
    static final int WORKERS = 8;

    abstract StoreConfig target();

    static List<byte[]> keys(String prefix, int n) {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(("model@01000100@0@" + prefix + String.format("%056x", i * 104729L)).getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }

    /** The value of key i: derived from the key, so a reader can verify it without coordination. */
    static ByteBuffer value(byte[] key) {
        byte[] b = new byte[CHUNK];
        new Random(java.util.Arrays.hashCode(key)).nextBytes(b);
        return ByteBuffer.wrap(b);
    }

    static List<ByteBuffer> buffers(int n) {
        List<ByteBuffer> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(ByteBuffer.allocate(CHUNK));
        }
        return out;
    }

    EdgeConfig.Builder edgeConfig(String variant) {
        EdgeConfig.Builder b = EdgeConfig.builder().listen("127.0.0.1", 0).chunkBytes(CHUNK);
        switch (variant) {
            case "memory" -> b.memoryBytes(8L << 20);
            case "behind" -> b.writeMode(WriteMode.BEHIND).writeQueueBytes(1L << 20);
            case "memory+behind" -> b.memoryBytes(8L << 20).writeMode(WriteMode.BEHIND).writeQueueBytes(1L << 20);
            default -> { }
        }
        return b;
    }

    @ParameterizedTest
    @ValueSource(strings = {"through", "memory", "behind", "memory+behind"})
    void concurrentWritersAndReadersSeeEveryByteAndNoConnectionLosesStep(String variant) throws Exception {
        String prefix = getClass().getSimpleName().charAt(0) + variant.replace("+", "") + "-";
        List<byte[]> keys = keys(prefix, 96);
        try (EdgeServer edge = EdgeServer.start(edgeConfig(variant).build(), target());
             LmcacheStyleClient writer = LmcacheStyleClient.connect("127.0.0.1", edge.port(), WORKERS, CHUNK, null, null, 20_000);
             LmcacheStyleClient reader = LmcacheStyleClient.connect("127.0.0.1", edge.port(), WORKERS, CHUNK, null, null, 20_000)) {
            // the first half is written before, the second half while the reader reads
            List<byte[]> first = keys.subList(0, 48);
            List<byte[]> second = keys.subList(48, 96);
            assertThat(writer.set(first, first.stream().map(LmcacheClientContract::value).toList())).doesNotContain(false);
            CompletableFuture<boolean[]> writes = CompletableFuture.supplyAsync(
                    () -> writer.set(second, second.stream().map(LmcacheClientContract::value).toList()));
            for (int round = 0; round < 3; round++) {
                List<ByteBuffer> into = buffers(first.size());
                boolean[] hits = reader.get(first, into);
                for (int i = 0; i < first.size(); i++) {
                    assertThat(hits[i]).as("hit %d round %d", i, round).isTrue();
                    assertThat(into.get(i)).as("bytes of %d", i).isEqualTo(value(first.get(i)));
                }
                int[] present = reader.exists(first);
                assertThat(present).containsOnly(1);
            }
            assertThat(writes.get(30, TimeUnit.SECONDS)).doesNotContain(false);
            List<ByteBuffer> into = buffers(second.size());
            boolean[] hits = reader.get(second, into);
            for (int i = 0; i < second.size(); i++) {
                assertThat(hits[i]).isTrue();
                assertThat(into.get(i)).isEqualTo(value(second.get(i)));
            }
            // misses and deletes: exact-length answers, the connections stay in step
            List<byte[]> absent = keys(prefix + "absent-", 16);
            assertThat(reader.get(absent, buffers(16))).containsOnly(false);
            assertThat(reader.exists(absent)).containsOnly(0);
            assertThat(reader.delete(first.subList(0, 8))).containsOnly(1);
            assertThat(reader.exists(first.subList(0, 8))).containsOnly(0);
            assertThat(reader.get(first.subList(0, 8), buffers(8))).containsOnly(false);
            assertThat(reader.liveWorkers()).isEqualTo(WORKERS);
            assertThat(writer.liveWorkers()).isEqualTo(WORKERS);
            assertThat(reader.leftoverBytes()).isZero();
            assertThat(writer.leftoverBytes()).isZero();
        }
    }
}
