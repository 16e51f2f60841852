package dev.lmcache.redis.batch;

import dev.lmcache.redis.BatchException;
import dev.lmcache.redis.BufferAllocator;
import dev.lmcache.redis.ChunkKey;
import dev.lmcache.redis.ChunkMetadata;
import dev.lmcache.redis.KeyNaming;
import dev.lmcache.redis.KvCacheStore;
import dev.lmcache.redis.KvChunk;
import dev.lmcache.redis.RawObjects;
import dev.lmcache.redis.StoreConfig;
import dev.lmcache.redis.StoreStats;
import dev.lmcache.redis.StoreStats.Operation;
import dev.lmcache.redis.SyncKvCacheStore;
import dev.lmcache.redis.metrics.StoreMetrics;
import dev.lmcache.redis.schedule.ByteBudget;
import dev.lmcache.redis.schedule.Priority;
import dev.lmcache.redis.schedule.PriorityScheduler;
import dev.lmcache.redis.topology.NodeLink;
import dev.lmcache.redis.topology.RedisTopology;
import dev.lmcache.redis.topology.Topologies;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store: one batching engine for standalone, sentinel and cluster. This class holds the
 * scheduler step (every call is validated, queued by priority and measured in {@link #run}) and
 * the semantics step (what each public operation makes of the results: prefix cuts, batch
 * failures); {@link Reads} and {@link Writes} take a call through the layout, planner, transport
 * and decoder steps, {@link SubBatches} cuts it, and {@link Failures} words what went wrong.
 */
final class RedisKvCacheStore implements KvCacheStore {
    /** The engine's logger (warnings about invalid values, drain timeouts), shared by its classes. */
    static final Logger LOG = LoggerFactory.getLogger(RedisKvCacheStore.class);
    private static final Logger log = LOG;
    /** Runs topology lookups that may block (see {@link #masters()}); daemon threads, created on demand. */
    private static final Executor MASTERS_LOOKUP = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "lmcache-redis-topology");
        t.setDaemon(true);
        return t;
    });

    private final StoreConfig config;
    private final RedisTopology topology;
    private final Dispatcher dispatcher;
    private final KeyNaming naming;
    private final PriorityScheduler scheduler;
    private final StoreMetrics metrics;
    /** Geometry of raw values (single/mp layouts), null if not configured. */
    private final ChunkMetadata rawChunk;
    private final Reads reads;
    private final Writes writes;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Removes the store's meters from Micrometer's global registry ({@code metrics: true}), else null. */
    private volatile AutoCloseable metricsBinding;
    private final SyncKvCacheStore sync = new SyncView(this);
    private final RawObjects objects;

    private RedisKvCacheStore(StoreConfig config, RedisTopology topology, BufferAllocator allocator) {
        this.config = config;
        this.topology = topology;
        this.dispatcher = new Dispatcher(topology, config.requestTimeout());
        this.naming = KeyNaming.of(config, topology.isCluster());
        this.scheduler = new PriorityScheduler(config.workers());
        ByteBudget budget = new ByteBudget(config.maxInflightBytes());
        this.metrics = new StoreMetrics(budget, scheduler);
        this.rawChunk = config.rawChunk().orElse(null);
        /*
         * Largest chunk seen (written or read), -1 until one is: whether reads may use MGET, and what
         * a read is charged to the byte budget before its size is known (see Reads#readEstimate).
         */
        AtomicLong largestValue = new AtomicLong(rawChunk != null ? rawChunk.length() : -1);
        boolean cluster = topology.isCluster();
        this.reads = new Reads(dispatcher, naming, cluster, budget, metrics, allocator, config.maxKeysPerCommand(),
                config.maxBytesPerCommand(), rawChunk, config.expiry().refreshSeconds(), largestValue);
        this.writes = new Writes(dispatcher, naming, cluster, budget, metrics, config.maxKeysPerCommand(),
                config.maxBytesPerCommand(), config.ttlSeconds(), largestValue);
        this.objects = new RawObjectView(config, topology, dispatcher, scheduler, budget, metrics, allocator, closed::get);
    }

    /** Opens a store whose reads land in buffers from {@code allocator} (see {@link StoreFactory}). */
    static KvCacheStore open(StoreConfig config, BufferAllocator allocator) {
        RedisTopology topology = Topologies.open(config);
        try {
            RedisKvCacheStore store = new RedisKvCacheStore(config, topology, allocator);
            if (config.metricsEnabled()) {
                store.metricsBinding = publishToMicrometer(store, config);
            }
            return store;
        } catch (RuntimeException e) {
            topology.close();
            throw e;
        }
    }

    /**
     * {@code metrics: true}: the stats go to Micrometer's global registry, if Micrometer is present.
     * Only {@link dev.lmcache.redis.micrometer.MicrometerBinder} names Micrometer types, and it is
     * loaded only after Micrometer was found, so the store works without Micrometer.
     */
    private static AutoCloseable publishToMicrometer(KvCacheStore store, StoreConfig config) {
        try {
            Class.forName("io.micrometer.core.instrument.Metrics");
        } catch (ClassNotFoundException e) {
            log.warn("metrics is true but Micrometer (io.micrometer:micrometer-core) is not on the classpath;"
                    + " the stats stay available through KvCacheStore.stats()");
            return null;
        }
        // the store tag: where it stores and under which prefix (no secret: the URL is redacted)
        String name = config.redactedUrl() + config.keyPrefix().map(p -> " prefix=" + p).orElse("");
        return dev.lmcache.redis.micrometer.MicrometerBinder.bindGlobal(store, name);
    }

    // ------------------------------------------------------------------ public API

    @Override
    public StoreConfig config() {
        return config;
    }

    @Override
    public CompletableFuture<Boolean> exists(ChunkKey key) {
        return run(Operation.EXISTS, Priority.PEEK, 1, () -> Arguments.checkKey(key, "key"),
                () -> reads.presence(List.of(key)).thenApply(p -> p[0]));
    }

    @Override
    public CompletableFuture<Integer> batchedContains(List<ChunkKey> keys) {
        return run(Operation.BATCHED_CONTAINS, Priority.PEEK, Arguments.size(keys), () -> Arguments.checkKeys(keys),
                () -> reads.presence(keys).thenApply(p -> {
                    int n = 0;
                    while (n < p.length && p[n]) {
                        n++;
                    }
                    return n;
                }));
    }

    @Override
    public CompletableFuture<Optional<KvChunk>> get(ChunkKey key) {
        return run(Operation.GET, Priority.GET, 1, () -> Arguments.checkKey(key, "key"),
                () -> reads.read(List.of(key), Priority.GET).thenApply(results -> {
                    ChunkRead r = results[0];
                    if (r.kind == ChunkRead.Kind.FAILED) {
                        throw Failures.of("get", key, r.failure);
                    }
                    return Optional.ofNullable(r.chunk);
                }));
    }

    @Override
    public CompletableFuture<List<Optional<KvChunk>>> batchedGet(List<ChunkKey> keys) {
        return run(Operation.BATCHED_GET, Priority.GET, Arguments.size(keys), () -> Arguments.checkKeys(keys),
                () -> reads.read(keys, Priority.GET).thenApply(results -> {
                    Map<Integer, BatchException.Failure> failures = new LinkedHashMap<>();
                    for (ChunkRead r : results) {
                        if (r.kind == ChunkRead.Kind.FAILED) {
                            failures.put(r.index, new BatchException.Failure(r.index, r.key, r.failure));
                        }
                    }
                    if (!failures.isEmpty()) {
                        for (ChunkRead r : results) {
                            r.releaseBuffer();
                        }
                        throw new BatchException("batchedGet", results.length, failures);
                    }
                    List<Optional<KvChunk>> out = new ArrayList<>(results.length);
                    for (ChunkRead r : results) {
                        out.add(Optional.ofNullable(r.chunk));
                    }
                    return out;
                }));
    }

    @Override
    public CompletableFuture<List<KvChunk>> batchedGetNonBlocking(List<ChunkKey> keys) {
        return run(Operation.BATCHED_GET_NON_BLOCKING, Priority.PREFETCH, Arguments.size(keys), () -> Arguments.checkKeys(keys),
                () -> reads.read(keys, Priority.PREFETCH).thenApply(results -> {
                    List<KvChunk> prefix = new ArrayList<>();
                    boolean cut = false;
                    for (ChunkRead r : results) {
                        if (!cut && r.kind == ChunkRead.Kind.HIT) {
                            prefix.add(r.chunk);
                        } else {
                            if (!cut && r.kind == ChunkRead.Kind.FAILED) {
                                log.warn("prefetch stopped at #{} {}: {}", r.index, r.key, Failures.describe(r.failure));
                            }
                            cut = true;
                            r.releaseBuffer();
                        }
                    }
                    return prefix;
                }));
    }

    @Override
    public CompletableFuture<Void> put(ChunkKey key, KvChunk chunk) {
        return run(Operation.PUT, Priority.PUT, 1, writeUnits(Collections.singletonList(chunk)), () -> {
                    Arguments.checkKey(key, "key"); // before List.of, which would throw a bare NullPointerException
                    writes.check(List.of(key), Collections.singletonList(chunk), topology.maxValueBytes(), rawChunk);
                },
                () -> writes.write(List.of(key), List.of(chunk)).thenApply(failures -> {
                    if (!failures.isEmpty()) {
                        Throwable cause = failures.get(0).cause();
                        throw Failures.of("put", key, cause);
                    }
                    return null;
                }));
    }

    @Override
    public CompletableFuture<Void> batchedPut(List<ChunkKey> keys, List<KvChunk> chunks) {
        return run(Operation.BATCHED_PUT, Priority.PUT, Arguments.size(keys), writeUnits(chunks), () -> writes.check(keys, chunks, topology.maxValueBytes(), rawChunk),
                () -> writes.write(keys, chunks).thenApply(failures -> {
                    if (!failures.isEmpty()) {
                        Map<Integer, BatchException.Failure> m = new LinkedHashMap<>();
                        failures.forEach(f -> m.put(f.index(), f));
                        throw new BatchException("batchedPut", keys.size(), m);
                    }
                    return null;
                }));
    }

    @Override
    public CompletableFuture<Boolean> remove(ChunkKey key) {
        return run(Operation.REMOVE, Priority.PUT, 1, () -> Arguments.checkKey(key, "key"), () -> {
            List<Call<Long>> calls = new ArrayList<>(2);
            if (naming.hasMetadataKey()) {
                byte[] mk = utf8(naming.metadataKey(key));
                calls.add(new Call<>(mk, topology.isCluster(), () -> Commands.del(mk)));
            }
            byte[] dk = utf8(naming.dataKey(key));
            calls.add(new Call<>(dk, topology.isCluster(), () -> Commands.del(dk)));
            dispatcher.send(calls);
            return CompletableFuture.allOf(calls.stream().map(c -> c.result).toArray(CompletableFuture[]::new))
                    .handle((v, e) -> {
                        if (e != null) {
                            throw Failures.of("remove", key, Failures.unwrap(e));
                        }
                        return calls.stream().mapToLong(c -> c.result.join()).sum() > 0;
                    });
        });
    }

    @Override
    public CompletableFuture<List<ChunkKey>> list(String modelOrNull) {
        String pattern = naming.chunkScanPattern(modelOrNull);
        KeyNaming.Role marker = naming.hasMetadataKey() ? KeyNaming.Role.METADATA : KeyNaming.Role.DATA;
        return run(Operation.LIST, Priority.GET, 0, () -> { }, () -> masters().thenCompose(masters -> {
            List<CompletableFuture<List<byte[]>>> scans = new ArrayList<>();
            for (NodeLink link : masters) {
                scans.add(scan(link, pattern, ScanCursor.INITIAL, new ArrayList<>()));
            }
            return CompletableFuture.allOf(scans.toArray(CompletableFuture[]::new)).thenApply(v -> {
                Set<ChunkKey> out = new LinkedHashSet<>();
                for (CompletableFuture<List<byte[]>> s : scans) {
                    for (byte[] k : s.join()) {
                        naming.parse(new String(k, StandardCharsets.UTF_8))
                                .filter(nk -> nk.role() == marker)
                                .filter(nk -> modelOrNull == null || nk.key().model().equals(modelOrNull))
                                .ifPresent(nk -> out.add(nk.key()));
                    }
                }
                return List.copyOf(out);
            });
        }));
    }

    /**
     * The masters, looked up off the I/O threads: a job may start on a Netty event loop, and
     * connecting to a master not yet known blocks until that loop opens the connection.
     */
    private CompletableFuture<List<NodeLink>> masters() {
        return CompletableFuture.supplyAsync(topology::masters, MASTERS_LOOKUP);
    }

    private CompletableFuture<List<byte[]>> scan(NodeLink link, String pattern, ScanCursor cursor, List<byte[]> acc) {
        return bounded(link.async().scan(cursor, ScanArgs.Builder.matches(pattern).limit(1000)))
                .thenCompose((KeyScanCursor<byte[]> c) -> {
                    acc.addAll(c.getKeys());
                    return c.isFinished() ? CompletableFuture.completedFuture(acc) : scan(link, pattern, c, acc);
                });
    }

    @Override
    public CompletableFuture<Long> ping() {
        return run(Operation.PING, Priority.PEEK, 0, () -> { }, () -> masters().thenCompose(masters -> {
            List<CompletableFuture<Long>> pings = new ArrayList<>();
            for (NodeLink link : masters) {
                long start = System.nanoTime();
                pings.add(bounded(link.async().ping()).thenApply(pong -> System.nanoTime() - start));
            }
            return CompletableFuture.allOf(pings.toArray(CompletableFuture[]::new))
                    .thenApply(v -> pings.stream().mapToLong(CompletableFuture::join).max().orElse(0));
        }));
    }

    @Override
    public StoreStats stats() {
        return metrics;
    }

    @Override
    public SyncKvCacheStore sync() {
        return sync;
    }

    @Override
    public RawObjects objects() {
        return objects;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            scheduler.shutdown().get(config.requestTimeout().toMillis() * 2 + 1000, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            log.warn("closing with {} jobs still running after the drain timeout", scheduler.running());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            log.debug("drain failed", e);
        } finally {
            topology.close();
            unbindMetrics();
        }
    }

    private void unbindMetrics() {
        AutoCloseable binding = metricsBinding;
        if (binding != null) {
            try {
                binding.close();
            } catch (Exception e) {
                log.warn("removing the store's meters from Micrometer failed", e);
            }
        }
    }

    @Override
    public String toString() {
        return "RedisKvCacheStore[" + config.redactedUrl() + ", layout=" + config.keyLayout().configName() + "]";
    }

    // ------------------------------------------------------------------ engine

    /** A single Lettuce command outside the batching path, bounded by the request timeout. */
    private <T> CompletableFuture<T> bounded(CompletionStage<T> stage) {
        return stage.toCompletableFuture().orTimeout(config.requestTimeout().toNanos(), TimeUnit.NANOSECONDS)
                .exceptionallyCompose(e -> {
                    Throwable c = Failures.unwrap(e);
                    return CompletableFuture.failedFuture(c instanceof TimeoutException
                            ? Failures.timedOut(config.requestTimeout()) : c);
                });
    }

    private <T> CompletableFuture<T> run(Operation op, Priority priority, int chunks, Runnable validation,
                                         Supplier<CompletableFuture<T>> body) {
        return run(op, priority, chunks, chunks, validation, body);
    }

    /** The scheduler units of a write: by chunk count or payload, whichever is more (nulls count 0). */
    private static int writeUnits(List<KvChunk> chunks) {
        if (chunks == null) {
            return 1;
        }
        long bytes = 0;
        for (KvChunk c : chunks) {
            bytes += c == null ? 0 : c.length();
        }
        return PriorityScheduler.units(chunks.size(), bytes);
    }

    /** Validates, schedules (taking {@code units} of the scheduler's slots) and measures one public call. */
    private <T> CompletableFuture<T> run(Operation op, Priority priority, int chunks, int units, Runnable validation,
                                         Supplier<CompletableFuture<T>> body) {
        long start = System.nanoTime();
        if (closed.get()) {
            return CompletableFuture.failedFuture(Failures.closed());
        }
        try {
            validation.run();
        } catch (RuntimeException e) {
            metrics.recordCall(op, chunks, start, true);
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<T> f = scheduler.submit(priority, units, body);
        return f.whenComplete((v, e) -> metrics.recordCall(op, chunks, start, e != null))
                .exceptionallyCompose(e -> CompletableFuture.failedFuture(Failures.asStoreFailure(op, Failures.unwrap(e))));
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
