package dev.lmcache.redis.batch;

import dev.lmcache.redis.BatchException;
import dev.lmcache.redis.BufferAllocator;
import dev.lmcache.redis.ChunkKey;
import dev.lmcache.redis.ChunkMetadata;
import dev.lmcache.redis.KvCacheException;
import dev.lmcache.redis.KvCacheStore;
import dev.lmcache.redis.KvChunk;
import dev.lmcache.redis.KvDtype;
import dev.lmcache.redis.RawObjects;
import dev.lmcache.redis.StoreConfig;
import dev.lmcache.redis.StoreStats;
import dev.lmcache.redis.StoreStats.Operation;
import dev.lmcache.redis.SyncKvCacheStore;
import dev.lmcache.redis.codec.BulkReply;
import dev.lmcache.redis.codec.ValueLease;
import dev.lmcache.redis.layout.KeyNaming;
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
import java.nio.ByteBuffer;
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
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store: one batching engine for standalone, sentinel and cluster. A call is scheduled by
 * priority, its chunks named by the layout, cut into sub-batches that each take their bytes from
 * the in-flight budget, and every sub-batch is dispatched at once, grouped per node.
 */
public final class RedisKvCacheStore implements KvCacheStore {
    private static final Logger log = LoggerFactory.getLogger(RedisKvCacheStore.class);
    /** Runs topology lookups that may block (see {@link #masters()}); daemon threads, created on demand. */
    private static final java.util.concurrent.Executor MASTERS_LOOKUP = java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "lmcache-redis-topology");
        t.setDaemon(true);
        return t;
    });

    private final StoreConfig config;
    private final RedisTopology topology;
    private final Dispatcher dispatcher;
    private final KeyNaming naming;
    private final PriorityScheduler scheduler;
    private final ByteBudget budget;
    private final StoreMetrics metrics;
    private final BufferAllocator allocator;
    /** Geometry of raw values (single/mp layouts), null if not configured. */
    private final ChunkMetadata rawGeometry;
    private final long ttlSeconds;
    private final long refreshTtlSeconds;
    /**
     * Largest chunk seen (written or read): what a read is charged to the byte budget before its
     * size is known. LMCache processes write and read chunks of one geometry, so after the first
     * chunk this is exact; the first reads of a fresh process are charged 64 KiB each.
     */
    private final AtomicLong readEstimate;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Removes the store's meters from Micrometer's global registry ({@code metrics: true}), else null. */
    private volatile AutoCloseable metricsBinding;
    private final SyncKvCacheStore sync = new SyncView(this);
    private final RawObjects objects;

    private RedisKvCacheStore(StoreConfig config, RedisTopology topology, BufferAllocator allocator) {
        this.config = config;
        this.topology = topology;
        this.dispatcher = new Dispatcher(topology, config.requestTimeout());
        this.naming = KeyNaming.of(config.keyLayout(), topology.isCluster(), config.keyPrefix().orElse(null));
        this.scheduler = new PriorityScheduler(config.workers());
        this.budget = new ByteBudget(config.maxInflightBytes());
        this.metrics = new StoreMetrics(budget, scheduler);
        this.allocator = allocator;
        this.rawGeometry = rawGeometry(config);
        this.ttlSeconds = config.ttlSeconds();
        this.refreshTtlSeconds = config.ttlSeconds() > 0 && config.ttlRefreshOnHit() ? config.ttlSeconds() : 0;
        this.readEstimate = new AtomicLong(rawGeometry != null ? rawGeometry.length() : 64 * 1024);
        this.objects = new RawObjectView(config, topology, dispatcher, scheduler, budget, metrics, allocator, closed::get);
    }

    /** Opens a store reading into heap buffers. */
    public static KvCacheStore open(StoreConfig config) {
        return open(config, BufferAllocator.HEAP);
    }

    /** Opens a store whose reads land in buffers from {@code allocator}. */
    public static KvCacheStore open(StoreConfig config, BufferAllocator allocator) {
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
     * Only {@link dev.lmcache.redis.metrics.MicrometerBinder} names Micrometer types, and it is
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
        return dev.lmcache.redis.metrics.MicrometerBinder.bindGlobal(store, name);
    }

    private static ChunkMetadata rawGeometry(StoreConfig c) {
        if (c.keyLayout().hasMetadataKey() || c.singleChunkShape().isEmpty()) {
            return null;
        }
        KvDtype dtype = KvDtype.fromName(c.singleChunkDtype().orElse("bfloat16"));
        List<Integer> shape = c.singleChunkShape().get();
        ChunkMetadata.TensorGroup g = ChunkMetadata.TensorGroup.of(dtype, shape.stream().mapToInt(Integer::intValue).toArray());
        long len = g.byteSize();
        if (len > Integer.MAX_VALUE) {
            throw new KvCacheException("single_chunk_shape " + shape + " gives " + len + " bytes, more than a chunk can hold");
        }
        return ChunkMetadata.of((int) len, c.singleChunkFmt(), List.of(g));
    }

    // ------------------------------------------------------------------ public API

    @Override
    public StoreConfig config() {
        return config;
    }

    @Override
    public CompletableFuture<Boolean> exists(ChunkKey key) {
        return run(Operation.EXISTS, Priority.PEEK, 1, () -> checkKey(key, "key"),
                () -> presence(List.of(key)).thenApply(p -> p[0]));
    }

    @Override
    public CompletableFuture<Integer> batchedContains(List<ChunkKey> keys) {
        return run(Operation.BATCHED_CONTAINS, Priority.PEEK, size(keys), () -> checkKeys(keys),
                () -> presence(keys).thenApply(p -> {
                    int n = 0;
                    while (n < p.length && p[n]) {
                        n++;
                    }
                    return n;
                }));
    }

    @Override
    public CompletableFuture<Optional<KvChunk>> get(ChunkKey key) {
        return run(Operation.GET, Priority.GET, 1, () -> checkKey(key, "key"),
                () -> read(List.of(key), Priority.GET).thenApply(reads -> {
                    ChunkRead r = reads[0];
                    if (r.kind == ChunkRead.Kind.FAILED) {
                        throw new KvCacheException("get of " + key + " failed: " + describe(r.failure), r.failure);
                    }
                    return Optional.ofNullable(r.chunk);
                }));
    }

    @Override
    public CompletableFuture<List<Optional<KvChunk>>> batchedGet(List<ChunkKey> keys) {
        return run(Operation.BATCHED_GET, Priority.GET, size(keys), () -> checkKeys(keys),
                () -> read(keys, Priority.GET).thenApply(reads -> {
                    Map<Integer, BatchException.Failure> failures = new LinkedHashMap<>();
                    for (ChunkRead r : reads) {
                        if (r.kind == ChunkRead.Kind.FAILED) {
                            failures.put(r.index, new BatchException.Failure(r.index, r.key, r.failure));
                        }
                    }
                    if (!failures.isEmpty()) {
                        for (ChunkRead r : reads) {
                            r.releaseBuffer();
                        }
                        throw new BatchException("batchedGet", reads.length, failures);
                    }
                    List<Optional<KvChunk>> out = new ArrayList<>(reads.length);
                    for (ChunkRead r : reads) {
                        out.add(Optional.ofNullable(r.chunk));
                    }
                    return out;
                }));
    }

    @Override
    public CompletableFuture<List<KvChunk>> batchedGetNonBlocking(List<ChunkKey> keys) {
        return run(Operation.BATCHED_GET_NON_BLOCKING, Priority.PREFETCH, size(keys), () -> checkKeys(keys),
                () -> read(keys, Priority.PREFETCH).thenApply(reads -> {
                    List<KvChunk> prefix = new ArrayList<>();
                    boolean cut = false;
                    for (ChunkRead r : reads) {
                        if (!cut && r.kind == ChunkRead.Kind.HIT) {
                            prefix.add(r.chunk);
                        } else {
                            if (!cut && r.kind == ChunkRead.Kind.FAILED) {
                                log.warn("prefetch stopped at #{} {}: {}", r.index, r.key, describe(r.failure));
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
                    checkKey(key, "key"); // before List.of, which would throw a bare NullPointerException
                    checkPut(List.of(key), Collections.singletonList(chunk));
                },
                () -> write(List.of(key), List.of(chunk)).thenApply(failures -> {
                    if (!failures.isEmpty()) {
                        Throwable cause = failures.get(0).cause();
                        throw new KvCacheException("put of " + key + " failed: " + describe(cause), cause);
                    }
                    return null;
                }));
    }

    @Override
    public CompletableFuture<Void> batchedPut(List<ChunkKey> keys, List<KvChunk> chunks) {
        return run(Operation.BATCHED_PUT, Priority.PUT, size(keys), writeUnits(chunks), () -> checkPut(keys, chunks),
                () -> write(keys, chunks).thenApply(failures -> {
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
        return run(Operation.REMOVE, Priority.PUT, 1, () -> checkKey(key, "key"), () -> {
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
                            Throwable cause = unwrap(e);
                            throw new KvCacheException("remove of " + key + " failed: " + describe(cause), cause);
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
    private <T> CompletableFuture<T> bounded(java.util.concurrent.CompletionStage<T> stage) {
        return stage.toCompletableFuture().orTimeout(config.requestTimeout().toNanos(), TimeUnit.NANOSECONDS)
                .exceptionallyCompose(e -> {
                    Throwable c = unwrap(e);
                    return CompletableFuture.failedFuture(c instanceof TimeoutException
                            ? new io.lettuce.core.RedisCommandTimeoutException("timed out: no reply within the request timeout of "
                                    + config.requestTimeout().toMillis() + " ms")
                            : c);
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
            return CompletableFuture.failedFuture(new KvCacheException("store is closed"));
        }
        try {
            validation.run();
        } catch (RuntimeException e) {
            metrics.recordCall(op, chunks, start, true);
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<T> f = scheduler.submit(priority, units, body);
        return f.whenComplete((v, e) -> metrics.recordCall(op, chunks, start, e != null))
                .exceptionallyCompose(e -> CompletableFuture.failedFuture(asStoreFailure(op, unwrap(e))));
    }

    /**
     * Keeps the documented failure types: a Redis client error that escaped an operation's own
     * handling (list and ping pass Lettuce's futures through) becomes a KvCacheException naming
     * the operation, with the client's error as its cause.
     */
    private static Throwable asStoreFailure(Operation op, Throwable e) {
        if (e instanceof KvCacheException || e instanceof IllegalArgumentException || e instanceof Error) {
            return e;
        }
        StringBuilder name = new StringBuilder();
        for (String part : op.name().toLowerCase(java.util.Locale.ROOT).split("_")) {
            name.append(name.length() == 0 ? part : Character.toUpperCase(part.charAt(0)) + part.substring(1));
        }
        return new KvCacheException(name + " failed: " + describe(e), e);
    }

    /** Whether each key's chunk is present (its metadata key, or its value for raw layouts). */
    private CompletableFuture<boolean[]> presence(List<ChunkKey> keys) {
        List<Call<Long>> calls = new ArrayList<>(keys.size());
        for (ChunkKey k : keys) {
            byte[] name = utf8(naming.hasMetadataKey() ? naming.metadataKey(k) : naming.dataKey(k));
            calls.add(new Call<>(name, topology.isCluster(), () -> Commands.exists(name)));
        }
        for (int from = 0; from < calls.size(); from += config.maxKeysPerCommand()) {
            dispatcher.send(calls.subList(from, Math.min(calls.size(), from + config.maxKeysPerCommand())),
                    RedisTopology.Lane.LOOKUP);
        }
        return CompletableFuture.allOf(calls.stream().map(c -> c.result).toArray(CompletableFuture[]::new))
                .handle((v, e) -> {
                    boolean[] out = new boolean[keys.size()];
                    for (int i = 0; i < out.length; i++) {
                        CompletableFuture<Long> r = calls.get(i).result;
                        if (r.isCompletedExceptionally()) {
                            Throwable cause = causeOf(r);
                            throw new CompletionException(new KvCacheException("lookup of " + keys.get(i)
                                    + " failed: " + describe(cause), cause));
                        }
                        out[i] = r.join() > 0;
                    }
                    return out;
                });
    }

    /** Reads chunks in sub-batches, all in flight together within the byte budget. */
    private CompletableFuture<ChunkRead[]> read(List<ChunkKey> keys, Priority priority) {
        int n = keys.size();
        ChunkRead[] reads = new ChunkRead[n];
        for (int i = 0; i < n; i++) {
            reads[i] = new ChunkRead(i, keys.get(i), allocator, rawGeometry);
        }
        long estimate = Math.max(1, readEstimate.get());
        int perBatch = (int) Math.max(1, Math.min(config.maxKeysPerCommand(), config.maxBytesPerCommand() / estimate));
        List<CompletableFuture<Void>> batches = new ArrayList<>();
        for (int from = 0; from < n; from += perBatch) {
            int to = Math.min(n, from + perBatch);
            long cost = estimate * (to - from);
            int f = from;
            batches.add(budget.acquire(priority, cost)
                    .thenCompose(g -> sendReads(reads, f, to))
                    .whenComplete((v, e) -> budget.release(cost)));
        }
        return CompletableFuture.allOf(batches.toArray(CompletableFuture[]::new)).thenApply(v -> reads);
    }

    private CompletableFuture<Void> sendReads(ChunkRead[] reads, int from, int to) {
        boolean cluster = topology.isCluster();
        List<Call<BulkReply>> calls = new ArrayList<>((to - from) * 2);
        CompletableFuture<?>[] done = new CompletableFuture<?>[to - from];
        for (int i = from; i < to; i++) {
            ChunkRead r = reads[i];
            byte[] dk = utf8(naming.dataKey(r.key));
            Call<BulkReply> data = new Call<>(dk, cluster, () -> Commands.get(dk, refreshTtlSeconds, r));
            if (naming.hasMetadataKey()) {
                byte[] mk = utf8(naming.metadataKey(r.key));
                Call<BulkReply> meta = new Call<>(mk, cluster, () -> Commands.get(mk, refreshTtlSeconds, r.metadataSink()));
                calls.add(meta);
                calls.add(data);
                done[i - from] = CompletableFuture.allOf(meta.result, data.result)
                        .handle((v, e) -> {
                            finishTwoKey(r, meta.result, data.result, mk);
                            return null;
                        });
            } else {
                calls.add(data);
                done[i - from] = data.result.handle((v, e) -> {
                    finishRaw(r, data.result);
                    return null;
                });
            }
        }
        dispatcher.send(calls);
        return CompletableFuture.allOf(done);
    }

    private void finishTwoKey(ChunkRead r, CompletableFuture<BulkReply> metaF, CompletableFuture<BulkReply> dataF, byte[] metaKey) {
        Throwable metaErr = causeOrNull(metaF);
        Throwable dataErr = causeOrNull(dataF);
        BulkReply meta = metaErr == null ? metaF.join() : null;
        BulkReply data = dataErr == null ? dataF.join() : null;
        if (metaErr != null || dataErr != null) {
            Throwable err = metaErr != null ? metaErr : dataErr;
            if (isWrongType(err)) {
                invalid(r, (metaErr != null ? "metadata" : "data") + " key holds a value that is not a string");
            } else {
                r.failed(err);
            }
            return;
        }
        if (meta == null) {
            r.releaseBuffer();
            r.miss();
            metrics.miss();
            return;
        }
        if (meta.failure() != null) {
            // the metadata reply arrived but could not be kept (its sink decodes it as it is read)
            r.failed(meta.failure());
            return;
        }
        if (r.invalidReason() != null) {
            invalid(r, r.invalidReason());
            return;
        }
        if (data == null) {
            r.orphan();
            metrics.miss();
            deleteOrphan(r, metaKey);
            return;
        }
        finishData(r, data, r.metadata());
    }

    private void finishRaw(ChunkRead r, CompletableFuture<BulkReply> dataF) {
        Throwable err = causeOrNull(dataF);
        if (err != null) {
            if (isWrongType(err)) {
                invalid(r, "key holds a value that is not a string");
            } else {
                r.failed(err);
            }
            return;
        }
        BulkReply data = dataF.join();
        if (data == null) {
            r.miss();
            metrics.miss();
            return;
        }
        finishData(r, data, rawGeometry != null ? rawGeometry : ChunkMetadata.binary(data.size()));
    }

    private void finishData(ChunkRead r, BulkReply data, ChunkMetadata meta) {
        if (data.failure() != null) {
            r.failed(data.failure());
            return;
        }
        if (data.data() == null || data.size() != meta.length()) {
            invalid(r, "value is " + data.size() + " bytes but " + (naming.hasMetadataKey() ? "its metadata says"
                    : "the configured geometry says") + " length=" + meta.length());
            return;
        }
        r.hit(new KvChunk(meta, data.data()));
        metrics.hit(data.size());
        readEstimate.accumulateAndGet(data.size(), Math::max);
    }

    private void invalid(ChunkRead r, String why) {
        r.invalid(why);
        metrics.invalidValue();
        metrics.miss();
        log.warn("invalid value for chunk {} (treated as a miss): {}", r.key, why);
    }

    /**
     * Metadata without data means the data was evicted: the chunk is unreadable, so the metadata
     * goes too (as upstream LMCache does), keeping exists() truthful.
     */
    private void deleteOrphan(ChunkRead r, byte[] metaKey) {
        Call<Long> del = new Call<>(metaKey, topology.isCluster(), () -> Commands.del(metaKey));
        dispatcher.send(List.of(del));
        del.result.whenComplete((v, e) -> {
            if (e == null && v != null && v > 0) {
                metrics.orphanDeleted();
                log.debug("deleted orphan metadata of {}", r.key);
            } else if (e != null) {
                log.debug("could not delete orphan metadata of {}: {}", r.key, e.toString());
            }
        });
    }

    /** Writes chunks in sub-batches within the byte budget; completes with the failed ones. */
    private CompletableFuture<List<BatchException.Failure>> write(List<ChunkKey> keys, List<KvChunk> chunks) {
        int n = keys.size();
        @SuppressWarnings("unchecked")
        CompletableFuture<Void>[] done = new CompletableFuture[n];
        for (int i = 0; i < n; i++) {
            done[i] = new CompletableFuture<>();
        }
        List<CompletableFuture<Void>> batches = new ArrayList<>();
        int from = 0;
        while (from < n) {
            int to = from;
            long bytes = 0;
            while (to < n && to - from < config.maxKeysPerCommand()
                    && (to == from || bytes + chunks.get(to).length() <= config.maxBytesPerCommand())) {
                bytes += chunks.get(to).length();
                to++;
            }
            long cost = bytes;
            int f = from;
            int t = to;
            batches.add(budget.acquire(Priority.PUT, cost)
                    .thenCompose(g -> sendWrites(keys, chunks, f, t, done))
                    .whenComplete((v, e) -> {
                        budget.release(cost);
                        if (e != null) {
                            // the sub-batch could not even be sent: fail its chunks, never leave them pending
                            for (int i = f; i < t; i++) {
                                done[i].completeExceptionally(unwrap(e));
                            }
                        }
                    }));
            from = to;
        }
        // completes after every sub-batch returned its bytes to the budget, so a caller that
        // submits again right away is not charged for bytes already written
        return CompletableFuture.allOf(batches.toArray(CompletableFuture[]::new)).handle((v, e) -> {
            List<BatchException.Failure> failures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (done[i].isCompletedExceptionally()) {
                    failures.add(new BatchException.Failure(i, keys.get(i), causeOf(done[i])));
                }
            }
            return failures;
        });
    }

    private CompletableFuture<Void> sendWrites(List<ChunkKey> keys, List<KvChunk> chunks, int from, int to,
                                               CompletableFuture<Void>[] done) {
        boolean cluster = topology.isCluster();
        List<Call<String>> now = new ArrayList<>((to - from) * 2);
        for (int i = from; i < to; i++) {
            ChunkKey key = keys.get(i);
            KvChunk chunk = chunks.get(i);
            byte[] dk = utf8(naming.dataKey(key));
            // a large direct buffer goes to the socket as it is: the chunk completes only once no
            // write reads it any more, so the caller may reuse it as soon as the future completes
            ValueLease lease = ValueLease.of(chunk.data());
            Call<String> data = new Call<>(dk, cluster, () -> Commands.set(dk, chunk.data(), lease, ttlSeconds));
            now.add(data);
            CompletableFuture<Void> chunkDone;
            if (naming.hasMetadataKey()) {
                byte[] mk = utf8(naming.metadataKey(key));
                ByteBuffer header = ByteBuffer.wrap(chunk.metadata().encode());
                Call<String> meta = new Call<>(mk, cluster, () -> Commands.set(mk, header, ttlSeconds));
                if (sameNode(data, meta)) {
                    // same connection: the data is written before the metadata, one round trip
                    now.add(meta);
                    chunkDone = CompletableFuture.allOf(data.result, meta.result);
                } else {
                    // different nodes: the metadata must not become visible before the data
                    chunkDone = data.result.thenCompose(ok -> {
                        dispatcher.send(List.of(meta));
                        return meta.result;
                    }).thenApply(ok -> null);
                }
            } else {
                chunkDone = data.result.thenApply(ok -> null);
            }
            int len = chunk.length();
            readEstimate.accumulateAndGet(len, Math::max);
            CompletableFuture<Void> target = done[i];
            if (lease != null) {
                // the outcome of the write, reported once the buffer is back
                CompletableFuture<Void> written = chunkDone;
                chunkDone = written.handle((v, e) -> lease.close(e != null))
                        .thenCompose(returned -> returned)
                        .thenCompose(returned -> written);
            }
            chunkDone.whenComplete((v, e) -> {
                if (e != null) {
                    target.completeExceptionally(unwrap(e));
                } else {
                    metrics.wrote(len);
                    target.complete(null);
                }
            });
        }
        dispatcher.send(now);
        return CompletableFuture.allOf(java.util.Arrays.copyOfRange(done, from, to)).exceptionally(e -> null);
    }

    private boolean sameNode(Call<?> a, Call<?> b) {
        if (!topology.isCluster() || a.slot == b.slot) {
            return true;
        }
        NodeLink la = dispatcher.linkFor(a.slot);
        return la != null && la == dispatcher.linkFor(b.slot);
    }

    // ------------------------------------------------------------------ validation and helpers

    private static int size(List<?> l) {
        return l == null ? 0 : l.size();
    }

    private static void checkKey(ChunkKey key, String what) {
        if (key == null) {
            throw new IllegalArgumentException(what + " is null; expected a ChunkKey");
        }
    }

    private static void checkKeys(List<ChunkKey> keys) {
        if (keys == null) {
            throw new IllegalArgumentException("keys is null; expected a list of ChunkKey (may be empty)");
        }
        for (int i = 0; i < keys.size(); i++) {
            if (keys.get(i) == null) {
                checkKey(null, "keys[" + i + "]"); // the message is built only when it is needed
            }
        }
    }

    private void checkPut(List<ChunkKey> keys, List<KvChunk> chunks) {
        checkKeys(keys);
        if (chunks == null) {
            throw new IllegalArgumentException("chunks is null; expected one KvChunk per key");
        }
        if (chunks.size() != keys.size()) {
            throw new IllegalArgumentException("batchedPut got " + keys.size() + " keys but " + chunks.size()
                    + " chunks; the lists must have the same length");
        }
        long max = topology.maxValueBytes();
        for (int i = 0; i < chunks.size(); i++) {
            KvChunk c = chunks.get(i);
            if (c == null) {
                throw new IllegalArgumentException("chunks[" + i + "] (" + keys.get(i) + ") is null");
            }
            if (c.length() > max) {
                throw new IllegalArgumentException("chunk " + keys.get(i) + " is " + c.length()
                        + " bytes; the server accepts values up to " + max + " bytes (proto-max-bulk-len)");
            }
            if (rawGeometry != null && c.length() != rawGeometry.length()) {
                throw new IllegalArgumentException("chunk " + keys.get(i) + " is " + c.length() + " bytes but layout "
                        + naming.layout().configName() + " stores raw values of the configured geometry only ("
                        + rawGeometry.length() + " bytes): a value of another size could never be read back");
            }
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static Throwable causeOrNull(CompletableFuture<?> f) {
        return f.isCompletedExceptionally() ? causeOf(f) : null;
    }

    private static Throwable causeOf(CompletableFuture<?> f) {
        try {
            f.join();
            return null;
        } catch (CompletionException | java.util.concurrent.CancellationException e) {
            return unwrap(e);
        }
    }

    static Throwable unwrap(Throwable e) {
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    private static boolean isWrongType(Throwable e) {
        String m = e.getMessage();
        return m != null && m.startsWith("WRONGTYPE");
    }

    static String describe(Throwable t) {
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }
}
