package dev.lmcache.redis.edge;

import dev.lmcache.redis.KvCacheStore;
import dev.lmcache.redis.RawObjects;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One store behind the edge (the target, or the target as a tenant's ACL user) with the tiers in
 * front of it: values queued for write-behind, the memory tier and its leases, then Redis, with
 * concurrent fetches of one key merged into one. All Redis traffic goes through {@link Batcher}s
 * into {@link RawObjects}, so requests from every client connection travel together.
 */
final class Upstream implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Upstream.class);
    private static final int MAX_BATCH_ITEMS = 512;
    private static final long MAX_BATCH_BYTES = 256L << 20;

    final int id;
    final KvCacheStore store;
    private final MemoryTier memory;
    private final ChunkSize chunkSize;
    private final EdgeMetrics metrics;
    private final boolean behind;
    private final Batcher<byte[], Optional<ByteBuffer>> gets;
    private final Batcher<Write, Void> puts;
    private final Batcher<byte[], Boolean> lookups;
    private final Batcher<byte[], Boolean> deletes;
    /** Fetches from Redis under way, so concurrent reads of one key (EXISTS then GET, or many GETs) share one. */
    private final ConcurrentHashMap<Name, CompletableFuture<Optional<ByteBuffer>>> fetching = new ConcurrentHashMap<>();
    /** Write-behind: the latest queued value of each name, read before anything else. */
    private final ConcurrentHashMap<Name, Queued> queued = new ConcurrentHashMap<>();
    private final long queueCapacity;
    private long queuedBytes;
    private final ArrayDeque<Waiter> waiting = new ArrayDeque<>();
    private final AtomicLong queuedGauge = new AtomicLong();

    /** A write; ttl -1 means the store's TTL. */
    private record Write(byte[] name, ByteBuffer value, long ttl) {
    }

    private record Queued(ByteBuffer value, CompletableFuture<Void> flushed) {
    }

    private record Waiter(Name name, ByteBuffer value, CompletableFuture<Void> admitted) {
    }

    Upstream(int id, KvCacheStore store, MemoryTier memoryOrNull, ChunkSize chunkSize, EdgeConfig config, EdgeMetrics metrics) {
        this.id = id;
        this.store = store;
        this.memory = memoryOrNull;
        this.chunkSize = chunkSize;
        this.metrics = metrics;
        this.behind = config.writeMode() == WriteMode.BEHIND;
        this.queueCapacity = config.writeQueueBytes();
        RawObjects o = store.objects();
        int n = config.batchesInFlight();
        this.gets = new Batcher<>(names -> o.get(names, expected()), n, MAX_BATCH_ITEMS, MAX_BATCH_BYTES, x -> 1);
        this.puts = new Batcher<>(ws -> write(o, ws), n, MAX_BATCH_ITEMS, MAX_BATCH_BYTES, w -> w.value().remaining());
        this.lookups = new Batcher<>(o::exists, n, MAX_BATCH_ITEMS, Long.MAX_VALUE, x -> 1);
        this.deletes = new Batcher<>(o::delete, n, MAX_BATCH_ITEMS, Long.MAX_VALUE, x -> 1);
    }

    /** One put per distinct TTL (LMCache's SETs all have none, so one in practice), results in order. */
    private static List<CompletableFuture<Void>> write(RawObjects o, List<Write> ws) {
        java.util.Map<Long, List<Integer>> byTtl = new java.util.LinkedHashMap<>();
        for (int i = 0; i < ws.size(); i++) {
            byTtl.computeIfAbsent(ws.get(i).ttl(), t -> new ArrayList<>()).add(i);
        }
        List<CompletableFuture<Void>> out = new ArrayList<>(java.util.Collections.nCopies(ws.size(), null));
        byTtl.forEach((ttl, idx) -> {
            List<byte[]> names = idx.stream().map(i -> ws.get(i).name()).toList();
            List<ByteBuffer> values = idx.stream().map(i -> ws.get(i).value()).toList();
            List<CompletableFuture<Void>> r = ttl < 0 ? o.put(names, values) : o.put(names, values, ttl);
            for (int j = 0; j < idx.size(); j++) {
                out.set(idx.get(j), r.get(j));
            }
        });
        return out;
    }

    private int expected() {
        int n = chunkSize.get();
        return n > 0 ? n : RawObjects.ANY_SIZE;
    }

    Name name(byte[] bytes) {
        return new Name(id, bytes);
    }

    /** The value, or empty on a miss; fails if Redis could not be asked. */
    CompletableFuture<Optional<ByteBuffer>> get(Name n) {
        ByteBuffer local = local(n, true);
        if (local != null) {
            metrics.memoryHits.increment();
            return CompletableFuture.completedFuture(Optional.of(local));
        }
        return fetch(n).thenApply(v -> {
            if (v.isPresent()) {
                metrics.upstreamHits.increment();
                return Optional.of(v.get().duplicate());
            }
            metrics.misses.increment();
            return v;
        });
    }

    /**
     * Whether the key can be read. With the memory tier, a 1 is answered only for a value the
     * edge holds (fetched now if need be) and keeps under a lease for the GET that follows.
     */
    CompletableFuture<Boolean> exists(Name n) {
        ByteBuffer local = local(n, false);
        if (local != null) {
            if (memory != null && memory.lease(n, local)) {
                metrics.leases.increment();
            }
            return CompletableFuture.completedFuture(true);
        }
        if (memory == null) {
            return lookups.submit(n.bytes);
        }
        return fetch(n).thenApply(v -> {
            if (v.isPresent() && memory.lease(n, v.get())) {
                metrics.leases.increment();
            }
            return v.isPresent();
        });
    }

    /**
     * Stores the value: acknowledged by Redis (through), or admitted to the write queue (behind).
     * {@code ttlSeconds} -1 uses the store's TTL.
     */
    CompletableFuture<Void> set(Name n, ByteBuffer value, long ttlSeconds) {
        if (!behind || ttlSeconds >= 0) {
            // a SET with its own expiry is written through: the queue has no notion of time
            return puts.submit(new Write(n.bytes, value, ttlSeconds)).thenRun(() -> {
                // a value that expires stays out of the memory tier, which would outlive its TTL
                if (memory != null && ttlSeconds < 0) {
                    memory.put(n, value);
                }
            });
        }
        if (memory != null) {
            memory.put(n, value);
        }
        CompletableFuture<Void> admitted = new CompletableFuture<>();
        boolean now;
        synchronized (this) {
            // a value larger than the whole queue is admitted alone
            now = waiting.isEmpty() && (queuedBytes == 0 || queuedBytes + value.remaining() <= queueCapacity);
            if (now) {
                queuedBytes += value.remaining();
            } else {
                waiting.add(new Waiter(n, value, admitted));
            }
        }
        if (now) {
            enqueue(n, value);
            admitted.complete(null);
        }
        return admitted;
    }

    private void enqueue(Name n, ByteBuffer value) {
        int len = value.remaining();
        queuedGauge.addAndGet(len);
        CompletableFuture<Void> flushed = new CompletableFuture<>();
        Queued q = new Queued(value, flushed);
        queued.put(n, q);
        puts.submit(new Write(n.bytes, value, -1)).whenComplete((v, e) -> {
            if (e != null) {
                metrics.writesLost.increment();
                log.warn("write-behind of {} failed, the value is lost: {}", n, e.getMessage());
            }
            queued.remove(n, q);
            flushed.complete(null);
            queuedGauge.addAndGet(-len);
            release(len);
        });
    }

    private void release(int len) {
        List<Waiter> admit = new ArrayList<>();
        synchronized (this) {
            queuedBytes -= len;
            while (!waiting.isEmpty()) {
                Waiter w = waiting.peek();
                if (queuedBytes != 0 && queuedBytes + w.value().remaining() > queueCapacity) {
                    break;
                }
                waiting.poll();
                queuedBytes += w.value().remaining();
                admit.add(w);
            }
        }
        for (Waiter w : admit) {
            enqueue(w.name(), w.value());
            w.admitted().complete(null);
        }
    }

    /** Deletes the key everywhere: memory, queue (after a write of it already sent), Redis. */
    CompletableFuture<Boolean> delete(Name n) {
        if (memory != null) {
            memory.invalidate(n);
        }
        Queued q = queued.get(n);
        // a queued write goes first, so the DEL is not overtaken by the write it should undo
        CompletableFuture<Void> before = q == null ? CompletableFuture.completedFuture(null) : q.flushed();
        return before.thenCompose(v -> deletes.submit(n.bytes));
    }

    /** Bytes in the write-behind queue (admitted, not yet acknowledged by Redis). */
    long queuedBytes() {
        return queuedGauge.get();
    }

    /** A value the edge has without asking Redis: queued for write-behind, leased or in the memory tier. */
    private ByteBuffer local(Name n, boolean take) {
        Queued q = queued.get(n);
        if (q != null) {
            return q.value().duplicate();
        }
        if (memory == null) {
            return null;
        }
        return take ? memory.take(n) : memory.peek(n);
    }

    private CompletableFuture<Optional<ByteBuffer>> fetch(Name n) {
        CompletableFuture<Optional<ByteBuffer>> mine = new CompletableFuture<>();
        CompletableFuture<Optional<ByteBuffer>> running = fetching.putIfAbsent(n, mine);
        if (running != null) {
            metrics.leaseWaits.increment();
            return running;
        }
        gets.submit(n.bytes).whenComplete((v, e) -> {
            fetching.remove(n, mine);
            if (e != null) {
                mine.completeExceptionally(e);
                return;
            }
            if (v.isPresent() && memory != null) {
                memory.put(n, v.get());
            }
            mine.complete(v);
        });
        return mine;
    }

    /** Waits (up to the timeout) until every queued write was flushed; true if none is left. */
    boolean drain(long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (System.nanoTime() < deadline) {
            synchronized (this) {
                if (queuedBytes == 0 && waiting.isEmpty()) {
                    return true;
                }
            }
            Thread.sleep(10);
        }
        synchronized (this) {
            return queuedBytes == 0 && waiting.isEmpty();
        }
    }

    @Override
    public void close() {
        store.close();
    }
}
