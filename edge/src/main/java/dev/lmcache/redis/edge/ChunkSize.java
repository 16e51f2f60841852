package dev.lmcache.redis.edge;

import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The size every value of the deployment has: configured, or learned from the first SET. The
 * exact-length GET errors and the size check of values read from Redis depend on it.
 */
final class ChunkSize {
    private static final Logger log = LoggerFactory.getLogger(ChunkSize.class);
    private final AtomicInteger bytes;
    private final boolean configured;

    ChunkSize(int configuredOrZero) {
        this.bytes = new AtomicInteger(configuredOrZero);
        this.configured = configuredOrZero > 0;
    }

    /** The chunk size, or 0 while unknown. */
    int get() {
        return bytes.get();
    }

    /**
     * Whether a SET of {@code size} bytes fits the deployment's chunk size; the first SET of an
     * edge without a configured size fixes it.
     */
    boolean admits(int size) {
        int n = bytes.get();
        if (n == 0 && size > 0 && bytes.compareAndSet(0, size)) {
            log.info("chunk size learned from the first SET: {} bytes (every value must now have this size;"
                    + " --chunk-bytes fixes it at startup)", size);
            return true;
        }
        return bytes.get() == size;
    }

    boolean configured() {
        return configured;
    }
}
