package dev.lmcache.redis.batch;

import dev.lmcache.redis.BufferAllocator;
import dev.lmcache.redis.ChunkMetadata;
import dev.lmcache.redis.KvCacheException;
import dev.lmcache.redis.RawObjects;
import dev.lmcache.redis.StoreConfig;
import dev.lmcache.redis.codec.BulkReply;
import dev.lmcache.redis.codec.ValueLease;
import dev.lmcache.redis.metrics.StoreMetrics;
import dev.lmcache.redis.schedule.ByteBudget;
import dev.lmcache.redis.schedule.Priority;
import dev.lmcache.redis.schedule.PriorityScheduler;
import dev.lmcache.redis.topology.RedisTopology;
import io.lettuce.core.protocol.CommandType;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link RawObjects} over the store's own engine: its scheduler, byte budget, dispatcher (one
 * pipelined burst per node) and allocator. Kept apart from {@link RedisKvCacheStore}, which only
 * builds it and hands it out, because names here bypass the key layout entirely.
 */
final class RawObjectView implements RawObjects {
    private static final Logger log = LoggerFactory.getLogger(RawObjectView.class);
    /** Longest part of a name shown in messages; MP object names are about 110 bytes. */
    private static final int SHOWN_NAME_CHARS = 160;

    private final StoreConfig config;
    private final RedisTopology topology;
    private final Dispatcher dispatcher;
    private final PriorityScheduler scheduler;
    private final ByteBudget budget;
    private final StoreMetrics metrics;
    private final BufferAllocator allocator;
    private final BooleanSupplier closed;
    private final long refreshTtlSeconds;
    /** Largest value seen: what a read of unknown size is charged to the byte budget (as the store does). */
    private final AtomicLong readEstimate = new AtomicLong(64 * 1024);

    RawObjectView(StoreConfig config, RedisTopology topology, Dispatcher dispatcher, PriorityScheduler scheduler,
                  ByteBudget budget, StoreMetrics metrics, BufferAllocator allocator, BooleanSupplier closed) {
        this.config = config;
        this.topology = topology;
        this.dispatcher = dispatcher;
        this.scheduler = scheduler;
        this.budget = budget;
        this.metrics = metrics;
        this.allocator = allocator;
        this.closed = closed;
        this.refreshTtlSeconds = config.ttlSeconds() > 0 && config.ttlRefreshOnHit() ? config.ttlSeconds() : 0;
    }

    @Override
    public List<CompletableFuture<Optional<ByteBuffer>>> get(List<byte[]> names, int expectedSize) {
        checkNames(names);
        if (expectedSize < ANY_SIZE) {
            throw new IllegalArgumentException("expectedSize is " + expectedSize + "; expected a size >= 0 or RawObjects.ANY_SIZE (-1)");
        }
        List<CompletableFuture<Optional<ByteBuffer>>> out = futures(names.size());
        long estimate = expectedSize >= 0 ? Math.max(1, expectedSize) : readEstimate.get();
        submit(Priority.GET, Math.min(PriorityScheduler.CHUNKS_PER_SLOT, names.size()), out,
                () -> read(names, expectedSize, estimate, out));
        return out;
    }

    @Override
    public List<CompletableFuture<Void>> put(List<byte[]> names, List<ByteBuffer> values) {
        return put(names, values, config.ttlSeconds());
    }

    @Override
    public List<CompletableFuture<Void>> put(List<byte[]> names, List<ByteBuffer> values, long ttlSeconds) {
        if (ttlSeconds < 0) {
            throw new IllegalArgumentException("ttlSeconds is " + ttlSeconds + "; expected 0 (no expiry) or a positive number of seconds");
        }
        checkNames(names);
        if (values == null || values.size() != names.size()) {
            throw new IllegalArgumentException("put got " + names.size() + " names but "
                    + (values == null ? "no values" : values.size() + " values") + "; expected one value per name");
        }
        long max = topology.maxValueBytes();
        long bytes = 0;
        for (int i = 0; i < values.size(); i++) {
            ByteBuffer v = values.get(i);
            if (v == null) {
                throw new IllegalArgumentException("values[" + i + "] (" + show(names.get(i)) + ") is null");
            }
            if (v.remaining() > max) {
                throw new IllegalArgumentException("value of " + show(names.get(i)) + " is " + v.remaining()
                        + " bytes; the server accepts values up to " + max + " bytes (proto-max-bulk-len)");
            }
            bytes += v.remaining();
        }
        List<CompletableFuture<Void>> out = futures(names.size());
        submit(Priority.PUT, PriorityScheduler.units(names.size(), bytes), out, () -> write(names, values, ttlSeconds, out));
        return out;
    }

    @Override
    public List<CompletableFuture<Boolean>> exists(List<byte[]> names) {
        checkNames(names);
        List<CompletableFuture<Boolean>> out = futures(names.size());
        submit(Priority.PEEK, Math.min(PriorityScheduler.CHUNKS_PER_SLOT, names.size()), out,
                () -> simple(names, "exists", RedisTopology.Lane.LOOKUP, CommandType.EXISTS, out));
        return out;
    }

    @Override
    public List<CompletableFuture<Boolean>> delete(List<byte[]> names) {
        checkNames(names);
        List<CompletableFuture<Boolean>> out = futures(names.size());
        submit(Priority.PUT, Math.min(PriorityScheduler.CHUNKS_PER_SLOT, names.size()), out,
                () -> simple(names, "delete", RedisTopology.Lane.BULK, CommandType.DEL, out));
        return out;
    }

    // ------------------------------------------------------------------ engine

    /** Schedules a job; if it cannot run (store closed), every future still pending fails. */
    private <T> void submit(Priority priority, int units, List<CompletableFuture<T>> out,
                            java.util.function.Supplier<CompletableFuture<Void>> body) {
        if (out.isEmpty()) {
            return;
        }
        if (closed.getAsBoolean()) {
            KvCacheException e = new KvCacheException("store is closed");
            out.forEach(f -> f.completeExceptionally(e));
            return;
        }
        scheduler.submit(priority, Math.max(1, units), body).whenComplete((v, e) -> {
            if (e != null) {
                Throwable cause = Failures.unwrap(e);
                KvCacheException failure = cause instanceof KvCacheException k ? k
                        : new KvCacheException("raw object batch failed: " + Failures.describe(cause), cause);
                out.forEach(f -> f.completeExceptionally(failure));
            }
        });
    }

    private CompletableFuture<Void> read(List<byte[]> names, int expectedSize, long estimate,
                                         List<CompletableFuture<Optional<ByteBuffer>>> out) {
        ChunkMetadata geometry = expectedSize >= 0 ? ChunkMetadata.binary(expectedSize) : null;
        List<SubBatches.Range> ranges = SubBatches.ofReads(names.size(), config.maxKeysPerCommand(),
                config.maxBytesPerCommand(), estimate);
        return SubBatches.run(budget, Priority.GET, ranges, r -> sendReads(names, r.from(), r.to(), geometry, out),
                (r, e) -> failPending(out, r.from(), r.to(), e, "get"));
    }

    private CompletableFuture<Void> sendReads(List<byte[]> names, int from, int to, ChunkMetadata geometry,
                                              List<CompletableFuture<Optional<ByteBuffer>>> out) {
        boolean cluster = topology.isCluster();
        List<Call<BulkReply>> calls = new ArrayList<>(to - from);
        CompletableFuture<?>[] done = new CompletableFuture<?>[to - from];
        for (int i = from; i < to; i++) {
            byte[] name = names.get(i);
            // the chunk read's buffer bookkeeping (late replies, timeouts) applies unchanged; it has no chunk key
            ChunkRead r = new ChunkRead(i, null, allocator, geometry);
            Call<BulkReply> call = new Call<>(name, cluster, () -> Commands.get(name, refreshTtlSeconds, r));
            calls.add(call);
            CompletableFuture<Optional<ByteBuffer>> target = out.get(i);
            done[i - from] = call.result.handle((reply, e) -> {
                finishRead(name, r, reply, e, geometry, target);
                return null;
            });
        }
        dispatcher.send(calls);
        return CompletableFuture.allOf(done);
    }

    private void finishRead(byte[] name, ChunkRead r, BulkReply reply, Throwable e, ChunkMetadata geometry,
                            CompletableFuture<Optional<ByteBuffer>> target) {
        if (e != null) {
            Throwable cause = Failures.unwrap(e);
            if (isWrongType(cause)) {
                r.invalid("not a string");
                invalid(name, "the key holds a value that is not a string");
                target.complete(Optional.empty());
            } else {
                r.failed(cause);
                target.completeExceptionally(new KvCacheException("get of " + show(name) + " failed: "
                        + Failures.describe(cause), cause));
            }
            return;
        }
        if (reply == null) {
            metrics.miss();
            target.complete(Optional.empty());
        } else if (reply.failure() != null) {
            r.failed(reply.failure());
            target.completeExceptionally(new KvCacheException("get of " + show(name) + " failed: "
                    + Failures.describe(reply.failure()), reply.failure()));
        } else if (reply.data() == null) {
            r.invalid("wrong size");
            invalid(name, "the value is " + reply.size() + " bytes, expected " + (geometry == null ? "?" : geometry.length()));
            target.complete(Optional.empty());
        } else {
            metrics.hit(reply.size());
            readEstimate.accumulateAndGet(reply.size(), Math::max);
            target.complete(Optional.of(reply.data()));
        }
    }

    private void invalid(byte[] name, String why) {
        metrics.invalidValue();
        metrics.miss();
        log.warn("invalid value for {} (treated as a miss): {}", show(name), why);
    }

    private CompletableFuture<Void> write(List<byte[]> names, List<ByteBuffer> values, long ttl,
                                          List<CompletableFuture<Void>> out) {
        List<SubBatches.Range> ranges = SubBatches.ofWrites(names.size(), i -> values.get(i).remaining(),
                config.maxKeysPerCommand(), config.maxBytesPerCommand());
        return SubBatches.run(budget, Priority.PUT, ranges, r -> sendWrites(names, values, ttl, r.from(), r.to(), out),
                (r, e) -> failPending(out, r.from(), r.to(), e, "put"));
    }

    private CompletableFuture<Void> sendWrites(List<byte[]> names, List<ByteBuffer> values, long ttl, int from, int to,
                                               List<CompletableFuture<Void>> out) {
        boolean cluster = topology.isCluster();
        List<Call<String>> calls = new ArrayList<>(to - from);
        CompletableFuture<?>[] done = new CompletableFuture<?>[to - from];
        for (int i = from; i < to; i++) {
            byte[] name = names.get(i);
            ByteBuffer value = values.get(i);
            int len = value.remaining();
            ValueLease lease = ValueLease.of(value);
            Call<String> call = new Call<>(name, cluster, () -> Commands.set(name, value, lease, ttl));
            calls.add(call);
            CompletableFuture<String> written = call.result;
            CompletableFuture<?> settled = written;
            if (lease != null) {
                // the outcome is reported only once the socket gave the caller's buffer back
                settled = written.handle((v, e) -> lease.close(e != null)).thenCompose(returned -> returned);
            }
            CompletableFuture<Void> target = out.get(i);
            done[i - from] = settled.handle((v, e) -> {
                Throwable cause = written.isCompletedExceptionally() ? causeOf(written) : null;
                if (cause != null) {
                    target.completeExceptionally(new KvCacheException("put of " + show(name) + " failed: "
                            + Failures.describe(cause), cause));
                } else {
                    metrics.wrote(len);
                    readEstimate.accumulateAndGet(len, Math::max);
                    target.complete(null);
                }
                return null;
            });
        }
        dispatcher.send(calls);
        return CompletableFuture.allOf(done);
    }

    /**
     * EXISTS or DEL of each name: an integer reply, true if positive. No values travel, so each
     * node's share goes as one group whatever its size (see {@link Dispatcher#integers}).
     */
    private CompletableFuture<Void> simple(List<byte[]> names, String what, RedisTopology.Lane lane, CommandType command,
                                           List<CompletableFuture<Boolean>> out) {
        return dispatcher.integers(command, names, lane).thenAccept(r -> {
            for (int i = 0; i < names.size(); i++) {
                Throwable cause = r.errors()[i];
                if (cause != null) {
                    out.get(i).completeExceptionally(new KvCacheException(what + " of " + show(names.get(i)) + " failed: "
                            + Failures.describe(cause), cause));
                } else {
                    out.get(i).complete(r.values()[i] > 0);
                }
            }
        });
    }

    // ------------------------------------------------------------------ helpers

    /** A sub-batch that could not even be sent fails its names; none is left pending. */
    private static <T> void failPending(List<CompletableFuture<T>> out, int from, int to, Throwable cause, String what) {
        for (int i = from; i < to; i++) {
            out.get(i).completeExceptionally(new KvCacheException(what + " failed: " + Failures.describe(cause), cause));
        }
    }

    private static <T> List<CompletableFuture<T>> futures(int n) {
        List<CompletableFuture<T>> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new CompletableFuture<>());
        }
        return List.copyOf(out);
    }

    private static void checkNames(List<byte[]> names) {
        if (names == null) {
            throw new IllegalArgumentException("names is null; expected a list of names (byte arrays, may be empty)");
        }
        for (int i = 0; i < names.size(); i++) {
            byte[] name = names.get(i);
            if (name == null || name.length == 0) {
                throw new IllegalArgumentException("names[" + i + "] is " + (name == null ? "null" : "empty")
                        + "; expected a non-empty name");
            }
        }
    }

    private static Throwable causeOf(CompletableFuture<?> f) {
        try {
            f.join();
            return null;
        } catch (RuntimeException e) {
            return Failures.unwrap(e);
        }
    }

    private static boolean isWrongType(Throwable e) {
        String m = e.getMessage();
        return m != null && m.startsWith("WRONGTYPE");
    }

    /** A name for messages: UTF-8, cut to a readable length. */
    static String show(byte[] name) {
        String s = new String(name, StandardCharsets.UTF_8);
        return s.length() <= SHOWN_NAME_CHARS ? s : s.substring(0, SHOWN_NAME_CHARS) + "...(" + name.length + " bytes)";
    }
}
