package dev.lmcache.redis.fault;

import static dev.lmcache.redis.fault.Faults.assertHitsExact;
import static dev.lmcache.redis.fault.Faults.config;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lmcache.redis.ChunkKey;
import dev.lmcache.redis.KvCacheStore;
import dev.lmcache.redis.KvChunk;
import dev.lmcache.redis.StoreConfig;
import dev.lmcache.redis.TestChunks;
import dev.lmcache.redis.embedded.EmbeddedRedis;
import dev.lmcache.redis.embedded.Fresh;
import dev.lmcache.redis.embedded.RedisExtension;
import io.netty.util.internal.PlatformDependent;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A batch far larger than {@code max_inflight_bytes} goes through in slices: the bytes accounted
 * in flight never exceed the limit, and the memory the client uses for it (Netty's direct buffers,
 * the heap) grows by a bounded amount, not by the size of the batch.
 */
@ExtendWith(RedisExtension.class)
class BoundedMemoryTest {
    private static final long MIB = 1024 * 1024;
    private static final long LIMIT = 4 * MIB;
    private static final int CHUNKS = 96;
    private static final int CHUNK_BYTES = (int) MIB;
    private static final long BATCH = CHUNKS * MIB;

    /** Samples memory in the background while an operation runs. */
    private static final class MemoryPeak implements AutoCloseable {
        private static final BufferPoolMXBean DIRECT = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)
                .stream().filter(b -> b.getName().equals("direct")).findFirst().orElseThrow();
        private static final MemoryMXBean HEAP = ManagementFactory.getMemoryMXBean();

        private final long directBase = direct();
        private final long heapBase = heap();
        private final AtomicLong directPeak = new AtomicLong(directBase);
        private final AtomicLong heapPeak = new AtomicLong(heapBase);
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread sampler = new Thread(() -> {
            while (running.get()) {
                sample();
                Faults.sleep(1);
            }
        }, "memory-sampler");

        MemoryPeak() {
            sampler.setDaemon(true);
            sampler.start();
        }

        static long direct() {
            long netty = PlatformDependent.usedDirectMemory();
            return DIRECT.getMemoryUsed() + Math.max(0, netty);
        }

        static long heap() {
            return HEAP.getHeapMemoryUsage().getUsed();
        }

        private void sample() {
            directPeak.accumulateAndGet(direct(), Math::max);
            heapPeak.accumulateAndGet(heap(), Math::max);
        }

        long directGrowth() {
            return directPeak.get() - directBase;
        }

        long heapGrowth() {
            return heapPeak.get() - heapBase;
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            sampler.join();
            sample();
        }
    }

    /**
     * Runs {@code op} while sampling memory, then checks the in-flight peak and the client's direct
     * memory growth; {@code heapBound} bounds heap growth (negative: not checked, when the results
     * themselves are on the heap and the collector rounds them up to whole regions).
     */
    private static <T> T measured(String what, Supplier<T> op, KvCacheStore store, long heapBound)
            throws InterruptedException {
        System.gc();
        MemoryPeak peak = new MemoryPeak();
        T result;
        try {
            result = op.get();
        } finally {
            peak.close();
        }
        assertThat(store.stats().peakInFlightBytes()).as("%s: peak bytes in flight", what).isLessThanOrEqualTo(LIMIT);
        assertThat(peak.directGrowth()).as("%s: direct memory growth for a %d MiB batch", what, BATCH / MIB)
                .isLessThan(BATCH / 4);
        if (heapBound >= 0) {
            assertThat(peak.heapGrowth()).as("%s: heap growth for a %d MiB batch", what, BATCH / MIB)
                    .isLessThan(heapBound);
        }
        return result;
    }

    @Test
    void batchesLargerThanMaxInflightBytesStayWithinItAndUseBoundedMemory(@Fresh EmbeddedRedis redis) throws Exception {
        // max_bytes_per_command must not exceed max_inflight_bytes (the config refuses it)
        StoreConfig config = config(redis.url()).maxInflightBytes(LIMIT).maxBytesPerCommand(LIMIT)
                .requestTimeout(Duration.ofSeconds(5)).build();
        List<ChunkKey> keys = TestChunks.keys("fault/memory", CHUNKS);
        List<KvChunk> chunks = TestChunks.chunks(CHUNKS, CHUNK_BYTES);

        try (KvCacheStore writer = KvCacheStore.open(config)) {
            measured("batchedPut", () -> {
                writer.sync().batchedPut(keys, chunks);
                return null;
            }, writer, BATCH / 4);
        }
        // a reader that has never seen these chunks cannot know their size in advance
        try (KvCacheStore reader = KvCacheStore.open(config)) {
            List<Optional<KvChunk>> got = measured("batchedGet", () -> reader.sync().batchedGet(keys), reader, -1);
            assertThat(assertHitsExact(got, chunks)).isEqualTo(CHUNKS);
        }
    }
}
