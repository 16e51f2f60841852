package dev.lmcache.redis;

/**
 * How much the store does at once, part of {@link StoreConfig#limits()}: the calls executing at
 * once and the bytes in flight, and where a batch is cut into sub-batches. Defaults suit most
 * deployments; each {@code DEFAULT_*} constant is the default the builder starts from.
 *
 * @param workers            batches executing at once, at least 1; default {@value #DEFAULT_WORKERS}
 * @param maxInflightBytes   the bound on bytes in flight, at least {@value #MIN_INFLIGHT_BYTES};
 *                           default {@value #DEFAULT_MAX_INFLIGHT_BYTES} (1 GiB)
 * @param maxKeysPerCommand  a sub-batch is cut at this many keys, at least 1; default
 *                           {@value #DEFAULT_MAX_KEYS_PER_COMMAND}
 * @param maxBytesPerCommand a sub-batch is cut at this many bytes (a larger chunk still goes alone),
 *                           at most {@code maxInflightBytes}; default the smaller of
 *                           {@value #DEFAULT_MAX_BYTES_PER_COMMAND} (64 MiB) and {@code maxInflightBytes}
 */
public record Limits(int workers, long maxInflightBytes, int maxKeysPerCommand, long maxBytesPerCommand) {
    /** Default of {@link #workers()}. */
    public static final int DEFAULT_WORKERS = 4;
    /** Default of {@link #maxInflightBytes()}: 1 GiB. */
    public static final long DEFAULT_MAX_INFLIGHT_BYTES = 1L << 30;
    /** The smallest {@link #maxInflightBytes()}: 1 MiB. */
    public static final long MIN_INFLIGHT_BYTES = 1L << 20;
    /** Default of {@link #maxKeysPerCommand()}. */
    public static final int DEFAULT_MAX_KEYS_PER_COMMAND = 256;
    /** Default of {@link #maxBytesPerCommand()} when the in-flight bound is not smaller: 64 MiB. */
    public static final long DEFAULT_MAX_BYTES_PER_COMMAND = 64L << 20;

    /** The defaults. */
    public static final Limits DEFAULTS = new Limits(DEFAULT_WORKERS, DEFAULT_MAX_INFLIGHT_BYTES,
            DEFAULT_MAX_KEYS_PER_COMMAND, DEFAULT_MAX_BYTES_PER_COMMAND);

    /**
     * Checks the limits together.
     *
     * @throws ConfigException naming the setting that is out of range, or
     *     {@code max_bytes_per_command} when it exceeds {@code max_inflight_bytes}
     */
    public Limits {
        checkWorkers(workers);
        checkInflightBytes(maxInflightBytes);
        checkKeysPerCommand(maxKeysPerCommand);
        checkBytesPerCommand(maxBytesPerCommand);
        if (maxBytesPerCommand > maxInflightBytes) {
            throw new ConfigException("maxBytesPerCommand (max_bytes_per_command) " + maxBytesPerCommand
                    + " exceeds maxInflightBytes (max_inflight_bytes) " + maxInflightBytes
                    + "; accepted: max_bytes_per_command <= max_inflight_bytes, since one command's bytes are in"
                    + " flight at once");
        }
    }

    static int checkWorkers(int workers) {
        if (workers < 1) {
            throw StoreConfig.invalid("workers", workers, "an integer >= 1 (default " + DEFAULT_WORKERS + ")");
        }
        return workers;
    }

    static long checkInflightBytes(long bytes) {
        if (bytes < MIN_INFLIGHT_BYTES) {
            throw StoreConfig.invalid("maxInflightBytes", bytes, "at least " + MIN_INFLIGHT_BYTES
                    + " (1 MiB), e.g. 1073741824 or 1g");
        }
        return bytes;
    }

    static int checkKeysPerCommand(int keys) {
        if (keys < 1) {
            throw StoreConfig.invalid("maxKeysPerCommand", keys, "an integer >= 1 (default "
                    + DEFAULT_MAX_KEYS_PER_COMMAND + ")");
        }
        return keys;
    }

    static long checkBytesPerCommand(long bytes) {
        if (bytes < 1) {
            throw StoreConfig.invalid("maxBytesPerCommand", bytes, "an integer >= 1 (default: "
                    + DEFAULT_MAX_BYTES_PER_COMMAND + ", 64 MiB, or max_inflight_bytes if smaller)");
        }
        return bytes;
    }
}
