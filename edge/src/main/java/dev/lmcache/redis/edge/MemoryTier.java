package dev.lmcache.redis.edge;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The local memory tier: a byte-weighted Caffeine cache of recently written and read values,
 * plus leases: a value an {@code EXISTS} answered 1 for is held (outside the cache's weight, up to
 * as many bytes again as the cache's capacity) until the GET that follows takes it or the lease expires, so that
 * GET cannot miss because of an eviction in between. Values are never modified once stored; a
 * reader gets a duplicate.
 */
final class MemoryTier {
    /** Per-entry bookkeeping counted against the capacity besides the key and value bytes. */
    private static final int ENTRY_OVERHEAD = 96;

    private record Lease(ByteBuffer value, long expiresAt) {
    }

    private final Cache<Name, ByteBuffer> cache;
    private final ConcurrentHashMap<Name, Lease> leases = new ConcurrentHashMap<>();
    private final AtomicLong leaseBytes = new AtomicLong();
    private final long maxLeaseBytes;
    private final long leaseNanos;

    MemoryTier(long capacityBytes, Duration lease) {
        this.cache = Caffeine.newBuilder()
                .maximumWeight(capacityBytes)
                .weigher((Name k, ByteBuffer v) -> (int) Math.min(Integer.MAX_VALUE, (long) v.remaining() + k.bytes.length + ENTRY_OVERHEAD))
                .executor(Runnable::run)
                .build();
        // leases are short and few (about one per outstanding EXISTS), but bounded all the same:
        // they may hold as much again as the cache, so a value evicted from a full cache stays leased
        this.maxLeaseBytes = capacityBytes;
        this.leaseNanos = lease.toNanos();
    }

    /** The value, from a lease or the cache; a lease is taken (the GET it was kept for has come). */
    ByteBuffer take(Name n) {
        Lease l = leases.remove(n);
        if (l != null) {
            leaseBytes.addAndGet(-l.value().remaining());
            return l.value().duplicate();
        }
        ByteBuffer v = cache.getIfPresent(n);
        return v == null ? null : v.duplicate();
    }

    /** The value if held, without taking a lease (for EXISTS). */
    ByteBuffer peek(Name n) {
        Lease l = leases.get(n);
        if (l != null) {
            return l.value();
        }
        return cache.getIfPresent(n);
    }

    void put(Name n, ByteBuffer value) {
        cache.put(n, value.duplicate());
    }

    /** Holds the value for the lease time; false (no lease) if the leases are at their byte limit. */
    boolean lease(Name n, ByteBuffer value) {
        int len = value.remaining();
        if (leaseBytes.addAndGet(len) > maxLeaseBytes) {
            leaseBytes.addAndGet(-len);
            return false;
        }
        Lease old = leases.put(n, new Lease(value.duplicate(), System.nanoTime() + leaseNanos));
        if (old != null) {
            leaseBytes.addAndGet(-old.value().remaining());
        }
        return true;
    }

    void invalidate(Name n) {
        Lease l = leases.remove(n);
        if (l != null) {
            leaseBytes.addAndGet(-l.value().remaining());
        }
        cache.invalidate(n);
    }

    /** Drops expired leases; run periodically. */
    void expireLeases() {
        long now = System.nanoTime();
        leases.forEach((n, l) -> {
            if (now - l.expiresAt() > 0 && leases.remove(n, l)) {
                leaseBytes.addAndGet(-l.value().remaining());
            }
        });
    }

    /** Bytes held by the cache (weighted) and by leases. */
    long bytes() {
        return cache.policy().eviction().map(e -> e.weightedSize().orElse(0)).orElse(0L) + leaseBytes.get();
    }

    long leaseBytes() {
        return leaseBytes.get();
    }
}
