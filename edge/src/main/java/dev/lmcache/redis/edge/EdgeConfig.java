package dev.lmcache.redis.edge;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;

/**
 * How an {@link EdgeServer} runs: where it listens, what it accepts and how it keeps chunks.
 * Immutable; built with {@link #builder()}, which validates every setting and names the bad one.
 */
public final class EdgeConfig {
    /** Largest value accepted when no chunk size is configured: {@value} bytes (512 MiB, Redis's own limit). */
    public static final long DEFAULT_MAX_VALUE_BYTES = 512L << 20;
    /** Default size of the {@link WriteMode#BEHIND} queue: {@value} bytes. */
    public static final long DEFAULT_WRITE_QUEUE_BYTES = 256L << 20;
    /** Default lease an {@code EXISTS} that answered 1 keeps on the value: 10 seconds. */
    public static final Duration DEFAULT_LEASE = Duration.ofSeconds(10);
    /**
     * Default batches of one kind in flight per upstream: {@value}, LMCache's default worker count,
     * so one LMCache process never waits for a batch; more connections (several processes on one
     * edge) share bursts.
     */
    public static final int DEFAULT_BATCHES_IN_FLIGHT = 8;
    /** Largest key or other non-value argument accepted: {@value} bytes. */
    public static final int MAX_KEY_BYTES = 64 * 1024;

    private final InetSocketAddress listen;
    private final int chunkBytes;
    private final long maxValueBytes;
    private final long memoryBytes;
    private final Duration lease;
    private final WriteMode writeMode;
    private final long writeQueueBytes;
    private final List<Tenant> tenants;
    private final int metricsPort;
    private final int batchesInFlight;

    private EdgeConfig(Builder b) {
        this.listen = b.listen;
        this.chunkBytes = b.chunkBytes;
        this.maxValueBytes = b.maxValueBytes != 0 ? b.maxValueBytes : b.chunkBytes > 0 ? b.chunkBytes : DEFAULT_MAX_VALUE_BYTES;
        this.memoryBytes = b.memoryBytes;
        this.lease = b.lease;
        this.writeMode = b.writeMode;
        this.writeQueueBytes = b.writeQueueBytes;
        this.tenants = b.tenants;
        this.metricsPort = b.metricsPort;
        this.batchesInFlight = b.batchesInFlight;
    }

    /** A builder with the defaults: listen on 127.0.0.1:6380, chunk size learned, no memory tier, write through. */
    public static Builder builder() {
        return new Builder();
    }

    /** The address the edge listens on (port 0: any free port, see {@link EdgeServer#port()}). */
    public InetSocketAddress listen() {
        return listen;
    }

    /** The chunk size every value has, if configured; otherwise the edge learns it from the first SET. */
    public OptionalInt chunkBytes() {
        return chunkBytes > 0 ? OptionalInt.of(chunkBytes) : OptionalInt.empty();
    }

    /** Values larger than this are refused before they are buffered. */
    public long maxValueBytes() {
        return maxValueBytes;
    }

    /** The memory tier's byte capacity; 0 when it is off. */
    public long memoryBytes() {
        return memoryBytes;
    }

    /** How long an {@code EXISTS} that answered 1 keeps the value for the GET that follows. */
    public Duration lease() {
        return lease;
    }

    public WriteMode writeMode() {
        return writeMode;
    }

    /** Bytes the {@link WriteMode#BEHIND} queue holds before SETs wait for room. */
    public long writeQueueBytes() {
        return writeQueueBytes;
    }

    /** The tenants; empty: any client is accepted (AUTH with anything succeeds) and keys are used as sent. */
    public List<Tenant> tenants() {
        return tenants;
    }

    /** The port of the Prometheus text endpoint ({@code /metrics}), 0 when off. */
    public int metricsPort() {
        return metricsPort;
    }

    /** Batches of one kind (reads, writes, lookups) sent to Redis at once, per upstream; more requests wait and go together. */
    public int batchesInFlight() {
        return batchesInFlight;
    }

    @Override
    public String toString() {
        return "EdgeConfig[listen=" + listen.getHostString() + ":" + listen.getPort()
                + ", chunkBytes=" + (chunkBytes > 0 ? chunkBytes : "learned") + ", maxValueBytes=" + maxValueBytes
                + ", memoryBytes=" + memoryBytes + ", lease=" + lease.toMillis() + "ms, write=" + writeMode.optionName()
                + ", writeQueueBytes=" + writeQueueBytes + ", tenants=" + tenants.size() + ", metricsPort=" + metricsPort + "]";
    }

    /** Builds an {@link EdgeConfig}; each setter validates its value and names the setting in its message. */
    public static final class Builder {
        private InetSocketAddress listen = new InetSocketAddress("127.0.0.1", 6380);
        private int chunkBytes;
        private long maxValueBytes;
        private long memoryBytes;
        private Duration lease = DEFAULT_LEASE;
        private WriteMode writeMode = WriteMode.THROUGH;
        private long writeQueueBytes = DEFAULT_WRITE_QUEUE_BYTES;
        private List<Tenant> tenants = List.of();
        private int metricsPort;
        private int batchesInFlight = DEFAULT_BATCHES_IN_FLIGHT;

        private Builder() {
        }

        /** Where to listen; port 0 picks a free port. */
        public Builder listen(String host, int port) {
            if (host == null || host.isBlank()) {
                throw new IllegalArgumentException("listen host is empty; expected a host name or address such as 127.0.0.1");
            }
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("listen port must be 0..65535, got " + port);
            }
            this.listen = new InetSocketAddress(host, port);
            return this;
        }

        /**
         * The size of every value (one full chunk); 0 to learn it from the first SET. Needed to answer a
         * GET miss with an error of exactly the length LMCache's client reads before any SET was seen.
         */
        public Builder chunkBytes(long bytes) {
            if (bytes < 0 || bytes > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("chunk-bytes must be 0 (learn from SETs) or 1.." + (Integer.MAX_VALUE - 8) + ", got " + bytes);
            }
            this.chunkBytes = (int) bytes;
            return this;
        }

        /** Values above this are refused before being buffered; 0 for the default (the chunk size, or 512 MiB). */
        public Builder maxValueBytes(long bytes) {
            if (bytes < 0 || bytes > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("max-value-bytes must be 1.." + (Integer.MAX_VALUE - 8) + " (or 0 for the default), got " + bytes);
            }
            this.maxValueBytes = bytes;
            return this;
        }

        /** The memory tier's capacity in bytes; 0 turns it off (the default). */
        public Builder memoryBytes(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("memory must be >= 0 bytes (0: off), got " + bytes);
            }
            this.memoryBytes = bytes;
            return this;
        }

        /** The lease of an {@code EXISTS} that answered 1 (with the memory tier); at least 1 ms. */
        public Builder lease(Duration lease) {
            if (lease == null || lease.toMillis() < 1 || lease.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException("lease must be 1 ms .. 1 h, got " + lease);
            }
            this.lease = lease;
            return this;
        }

        public Builder writeMode(WriteMode mode) {
            if (mode == null) {
                throw new IllegalArgumentException("write mode is null; expected through or behind");
            }
            this.writeMode = mode;
            return this;
        }

        /** The {@link WriteMode#BEHIND} queue's capacity in bytes; at least one value fits regardless. */
        public Builder writeQueueBytes(long bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("write-queue must be at least 1 byte, got " + bytes);
            }
            this.writeQueueBytes = bytes;
            return this;
        }

        public Builder tenants(List<Tenant> tenants) {
            if (tenants == null) {
                throw new IllegalArgumentException("tenants is null; expected a list (empty: no tenants)");
            }
            this.tenants = List.copyOf(tenants);
            return this;
        }

        /** Reads the tenants from a YAML file (see the README's "LMCache edge" section for the format). */
        public Builder tenantsFile(Path file) {
            return tenants(Tenants.load(file));
        }

        /** The Prometheus endpoint's port; 0 turns it off. */
        public Builder metricsPort(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("metrics-port must be 1..65535 (or 0: off), got " + port);
            }
            this.metricsPort = port;
            return this;
        }

        /** Batches of one kind sent at once per upstream (1..64, default {@value #DEFAULT_BATCHES_IN_FLIGHT}). */
        public Builder batchesInFlight(int n) {
            if (n < 1 || n > 64) {
                throw new IllegalArgumentException("batches in flight must be 1..64, got " + n);
            }
            this.batchesInFlight = n;
            return this;
        }

        public EdgeConfig build() {
            if (chunkBytes > 0 && maxValueBytes > 0 && maxValueBytes < chunkBytes) {
                throw new IllegalArgumentException("max-value-bytes (" + maxValueBytes + ") is smaller than chunk-bytes ("
                        + chunkBytes + "): no chunk could be stored");
            }
            return new EdgeConfig(this);
        }
    }
}
