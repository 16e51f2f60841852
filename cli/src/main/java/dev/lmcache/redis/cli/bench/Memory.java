package dev.lmcache.redis.cli.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * JVM memory as the bench commands report it: heap in use, heap in use right after the last GC, NIO
 * direct buffers (the {@code direct} BufferPoolMXBean) and Netty's own direct memory (which
 * the NIO pool does not see).
 */
final class Memory {
    private static final BufferPoolMXBean DIRECT = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
            .filter(b -> b.getName().equals("direct")).findFirst().orElse(null);
    private static final List<MemoryPoolMXBean> HEAP_POOLS = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getType() == MemoryType.HEAP).toList();
    private static final Set<String> HEAP_POOL_NAMES = HEAP_POOLS.stream().map(MemoryPoolMXBean::getName)
            .collect(Collectors.toSet());
    /** Heap in use right after the most recent collection (young or full), -1 before the first. */
    private static final AtomicLong HEAP_AFTER_LAST_GC = new AtomicLong(-1);

    static {
        // Pools' own "collection usage" is only updated by collections of that pool (G1 old gen: mixed or
        // full GCs), so it lags; a GC notification gives the whole heap right after every collection.
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter emitter) {
                try {
                    emitter.addNotificationListener(Memory::onGc, null, null);
                } catch (RuntimeException e) {
                    // Not supported on this JVM: sample() falls back to the pools' collection usage.
                }
            }
        }
    }

    private Memory() {
    }

    /**
     * One reading, in bytes; -1 where the JVM does not tell.
     *
     * @param heapUsed        heap in use now (includes garbage not yet collected)
     * @param heapAfterGc     heap in use right after the most recent collection: what survived it
     * @param directUsed      NIO direct buffers (ByteBuffer.allocateDirect)
     * @param nettyDirectUsed direct memory Netty allocated itself (its pooled buffers)
     */
    record Sample(long heapUsed, long heapAfterGc, long directUsed, long nettyDirectUsed) {
        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("heap_used_bytes", heapUsed);
            m.put("heap_after_gc_bytes", heapAfterGc);
            m.put("direct_bytes", directUsed);
            m.put("netty_direct_bytes", nettyDirectUsed);
            return m;
        }

        Sample max(Sample o) {
            return new Sample(Math.max(heapUsed, o.heapUsed), Math.max(heapAfterGc, o.heapAfterGc),
                    Math.max(directUsed, o.directUsed), Math.max(nettyDirectUsed, o.nettyDirectUsed));
        }
    }

    static final Sample NONE = new Sample(-1, -1, -1, -1);

    static Sample sample() {
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        long afterGc = HEAP_AFTER_LAST_GC.get();
        if (afterGc < 0) {
            afterGc = 0;
            for (MemoryPoolMXBean p : HEAP_POOLS) {
                MemoryUsage u = p.getCollectionUsage();
                if (u != null) {
                    afterGc += u.getUsed();
                }
            }
        }
        return new Sample(heap.getUsed(), afterGc, DIRECT == null ? -1 : DIRECT.getMemoryUsed(), nettyDirect());
    }

    /**
     * Runs a full collection and returns the heap in use right after it: the live set. Used twice
     * per load run (end of warm-up, end), since heap use between collections is mostly garbage.
     */
    static long liveHeapAfterFullGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static void onGc(Notification n, Object handback) {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
            return;
        }
        GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
        if (info.getGcName().contains("Concurrent")) {
            // G1's concurrent-cycle pauses (remark, cleanup) free nothing themselves: "after" would be plain heap use.
            return;
        }
        long used = 0;
        for (Map.Entry<String, MemoryUsage> e : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
            if (HEAP_POOL_NAMES.contains(e.getKey())) {
                used += e.getValue().getUsed();
            }
        }
        HEAP_AFTER_LAST_GC.set(used);
    }

    private static long nettyDirect() {
        try {
            return io.netty.util.internal.PlatformDependent.usedDirectMemory();
        } catch (Throwable e) {
            // Netty's internal counter is optional (absent or disabled): report it as unknown.
            return -1;
        }
    }

    /** Megabytes for tables, "-" when unknown. */
    static String mb(long bytes) {
        return bytes < 0 ? "-" : String.format(java.util.Locale.ROOT, "%.0f", bytes / 1048576.0);
    }

    /**
     * Samples memory on a daemon thread every {@code periodMillis}, keeping the peak; cheap enough
     * to run beside a throughput measurement.
     */
    static final class PeakSampler implements AutoCloseable {
        private final Thread thread;
        private volatile Sample peak;
        private volatile boolean running = true;

        PeakSampler(long periodMillis) {
            peak = sample();
            thread = new Thread(() -> {
                while (running) {
                    peak = peak.max(sample());
                    try {
                        Thread.sleep(periodMillis);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "bench-memory-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        Sample peak() {
            return peak.max(sample());
        }

        @Override
        public void close() {
            running = false;
            thread.interrupt();
        }
    }
}
