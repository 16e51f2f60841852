package dev.lmcache.redis.batch;

import dev.lmcache.redis.BatchException;
import dev.lmcache.redis.ChunkKey;
import dev.lmcache.redis.ChunkMetadata;
import dev.lmcache.redis.KeyNaming;
import dev.lmcache.redis.KvChunk;
import dev.lmcache.redis.codec.ValueLease;
import dev.lmcache.redis.key.ClusterSlots;
import dev.lmcache.redis.metrics.StoreMetrics;
import dev.lmcache.redis.schedule.ByteBudget;
import dev.lmcache.redis.schedule.Priority;
import dev.lmcache.redis.topology.NodeLink;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The write side of the engine: chunks named by the layout step, cut into the planner's
 * sub-batches, each chunk's KV bytes written before its metadata so that a reader never sees
 * metadata without its data (one round trip when both keys are on one node, two otherwise), or
 * both in one MSET, which makes them visible at the same instant.
 */
final class Writes {
    /** An MSET carries whole chunks up to about this many value bytes (Lettuce encodes a command into one buffer). */
    static final long MSET_BYTES = 256 * 1024;

    private final Dispatcher dispatcher;
    private final KeyNaming naming;
    private final boolean cluster;
    private final ByteBudget budget;
    private final StoreMetrics metrics;
    private final int maxKeysPerCommand;
    private final long maxBytesPerCommand;
    private final long ttlSeconds;
    private final AtomicLong largestValue;
    /** False once an ACL refused MSET: this store then writes with SETs only. */
    private volatile boolean msetAllowed = true;

    Writes(Dispatcher dispatcher, KeyNaming naming, boolean cluster, ByteBudget budget, StoreMetrics metrics,
           int maxKeysPerCommand, long maxBytesPerCommand, long ttlSeconds,
           AtomicLong largestValue) {
        this.dispatcher = dispatcher;
        this.naming = naming;
        this.cluster = cluster;
        this.budget = budget;
        this.metrics = metrics;
        this.maxKeysPerCommand = maxKeysPerCommand;
        this.maxBytesPerCommand = maxBytesPerCommand;
        this.ttlSeconds = ttlSeconds;
        this.largestValue = largestValue;
    }

    /**
     * Checks a write's arguments before it is scheduled.
     *
     * @param maxValueBytes the largest value the server accepts
     * @param rawChunk      the only geometry a raw layout stores, or null
     * @throws IllegalArgumentException naming the problem and what is accepted
     */
    void check(List<ChunkKey> keys, List<KvChunk> chunks, long maxValueBytes, ChunkMetadata rawChunk) {
        Arguments.checkKeys(keys);
        if (chunks == null) {
            throw new IllegalArgumentException("chunks is null; expected one KvChunk per key");
        }
        if (chunks.size() != keys.size()) {
            throw new IllegalArgumentException("batchedPut got " + keys.size() + " keys but " + chunks.size()
                    + " chunks; the lists must have the same length");
        }
        for (int i = 0; i < chunks.size(); i++) {
            KvChunk c = chunks.get(i);
            if (c == null) {
                throw new IllegalArgumentException("chunks[" + i + "] (" + keys.get(i) + ") is null");
            }
            if (c.length() > maxValueBytes) {
                throw new IllegalArgumentException("chunk " + keys.get(i) + " is " + c.length()
                        + " bytes; the server accepts values up to " + maxValueBytes + " bytes (proto-max-bulk-len)");
            }
            if (rawChunk != null && c.length() != rawChunk.length()) {
                throw new IllegalArgumentException("chunk " + keys.get(i) + " is " + c.length() + " bytes but layout "
                        + naming.layout().configName() + " stores raw values of the configured geometry only ("
                        + rawChunk.length() + " bytes): a value of another size could never be read back");
            }
        }
    }

    /** Writes chunks in sub-batches within the byte budget; completes with the failed ones. */
    CompletableFuture<List<BatchException.Failure>> write(List<ChunkKey> keys, List<KvChunk> chunks) {
        int n = keys.size();
        @SuppressWarnings("unchecked")
        CompletableFuture<Void>[] done = new CompletableFuture[n];
        for (int i = 0; i < n; i++) {
            done[i] = new CompletableFuture<>();
        }
        List<SubBatches.Range> ranges = SubBatches.ofWrites(chunks, maxKeysPerCommand, maxBytesPerCommand);
        // completes after every sub-batch returned its bytes to the budget, so a caller that
        // submits again right away is not charged for bytes already written
        return SubBatches.run(budget, Priority.PUT, ranges, r -> send(keys, chunks, r.from(), r.to(), done),
                (r, e) -> {
                    // the sub-batch could not even be sent: fail its chunks, never leave them pending
                    for (int i = r.from(); i < r.to(); i++) {
                        done[i].completeExceptionally(e);
                    }
                }).handle((v, e) -> {
                    List<BatchException.Failure> failures = new ArrayList<>();
                    for (int i = 0; i < n; i++) {
                        if (done[i].isCompletedExceptionally()) {
                            failures.add(new BatchException.Failure(i, keys.get(i), Failures.causeOf(done[i])));
                        }
                    }
                    return failures;
                });
    }

    /**
     * Sends chunks {@code [from, to)}. Without a TTL (MSET has no EX), chunks whose values are all
     * below {@link ValueLease#MIN_BYTES} (none of them lent) and whose names share a slot go out as
     * MSETs, each holding whole chunks, about {@link #MSET_BYTES} of values at most: MSET sets all
     * its keys at one instant, so a chunk's metadata never becomes visible without its data. The
     * others get a SET per name, data before metadata; so do the chunks of an MSET refused with
     * TRYAGAIN (its slot is being migrated) or by an ACL without MSET (the store then stops using it).
     */
    private CompletableFuture<Void> send(List<ChunkKey> keys, List<KvChunk> chunks, int from, int to,
                                         CompletableFuture<Void>[] done) {
        List<Call<String>> now = new ArrayList<>((to - from) * 2);
        boolean twoKeys = naming.hasMetadataKey();
        if (ttlSeconds > 0 || !msetAllowed || (!twoKeys && to - from < 2)) {
            for (int i = from; i < to; i++) {
                addSets(keys.get(i), chunks.get(i), done[i], now);
            }
        } else {
            // each chunk's names rendered once, for its slot and for its command
            Names[] names = new Names[to];
            Map<Integer, List<Integer>> bySlot = new LinkedHashMap<>();
            for (int i = from; i < to; i++) {
                names[i] = names(keys.get(i));
                int slot = multiSetSlot(names[i], chunks.get(i));
                if (slot < 0) {
                    addSets(names[i], chunks.get(i), done[i], now);
                } else {
                    bySlot.computeIfAbsent(slot, s -> new ArrayList<>()).add(i);
                }
            }
            for (List<Integer> group : bySlot.values()) {
                if (!twoKeys && group.size() < 2) {
                    addSets(names[group.get(0)], chunks.get(group.get(0)), done[group.get(0)], now);
                    continue;
                }
                int start = 0;
                long bytes = 0;
                for (int g = 0; g < group.size(); g++) {
                    bytes += chunks.get(group.get(g)).length();
                    if (bytes >= MSET_BYTES || g == group.size() - 1) {
                        now.add(multiSet(names, chunks, group.subList(start, g + 1), done));
                        start = g + 1;
                        bytes = 0;
                    }
                }
            }
        }
        dispatcher.send(now);
        return CompletableFuture.allOf(Arrays.copyOfRange(done, from, to)).exceptionally(e -> null);
    }

    /** A chunk's Redis names as UTF-8 ({@code meta} null for the raw layouts). */
    private record Names(byte[] data, byte[] meta) {
    }

    private Names names(ChunkKey key) {
        return new Names(RedisKvCacheStore.utf8(naming.dataKey(key)),
                naming.hasMetadataKey() ? RedisKvCacheStore.utf8(naming.metadataKey(key)) : null);
    }

    /** The slot of the chunk's names if it may go in an MSET (its value is small and all its names share a slot), else -1. */
    private int multiSetSlot(Names names, KvChunk chunk) {
        if (chunk.length() >= ValueLease.MIN_BYTES) {
            return -1;
        }
        if (!cluster) {
            return 0;
        }
        int slot = ClusterSlots.slot(names.data());
        if (names.meta() != null && ClusterSlots.slot(names.meta()) != slot) {
            return -1;
        }
        return slot;
    }

    /** One MSET for the chunks {@code which}: each chunk's data name and value, then its metadata's. */
    private Call<String> multiSet(Names[] chunkNames, List<KvChunk> chunks, List<Integer> which,
                                  CompletableFuture<Void>[] done) {
        int perChunk = naming.hasMetadataKey() ? 2 : 1;
        byte[][] names = new byte[which.size() * perChunk][];
        ByteBuffer[] values = new ByteBuffer[names.length];
        int p = 0;
        for (int i : which) {
            KvChunk chunk = chunks.get(i);
            names[p] = chunkNames[i].data();
            values[p++] = chunk.data();
            if (perChunk == 2) {
                names[p] = chunkNames[i].meta();
                values[p++] = ByteBuffer.wrap(chunk.metadata().encode());
            }
            largestValue.accumulateAndGet(chunk.length(), Math::max);
        }
        Call<String> mset = new Call<>(names[0], cluster, () -> Commands.mset(names, values));
        mset.result.whenComplete((v, e) -> {
            Throwable cause = Failures.unwrap(e);
            boolean refused = Failures.isCommandRefused(cause, "mset");
            if (refused && msetAllowed) {
                msetAllowed = false;
                RedisKvCacheStore.LOG.warn("the server's ACL refuses MSET ({}); writing with SETs from now on (allow"
                        + " +mset for faster batched writes of small chunks)", cause.getMessage());
            }
            if (refused || Failures.isTryAgain(cause)) {
                // refused by an ACL that allows SET, or its slot is being migrated: the same chunks
                // with a SET per name (which follow ASK)
                List<Call<String>> sets = new ArrayList<>(names.length);
                for (int i : which) {
                    addSets(chunkNames[i], chunks.get(i), done[i], sets);
                }
                dispatcher.send(sets);
                return;
            }
            for (int i : which) {
                if (e != null) {
                    done[i].completeExceptionally(Failures.unwrap(e));
                } else {
                    metrics.wrote(chunks.get(i).length());
                    done[i].complete(null);
                }
            }
        });
        return mset;
    }

    /** A SET per name of the chunk (added to {@code now}), its data before its metadata. */
    private void addSets(ChunkKey key, KvChunk chunk, CompletableFuture<Void> target, List<Call<String>> now) {
        addSets(names(key), chunk, target, now);
    }

    private void addSets(Names names, KvChunk chunk, CompletableFuture<Void> target, List<Call<String>> now) {
        byte[] dk = names.data();
        // a large direct buffer goes to the socket as it is: the chunk completes only once no
        // write reads it any more, so the caller may reuse it as soon as the future completes
        ValueLease lease = ValueLease.of(chunk.data());
        Call<String> data = new Call<>(dk, cluster, () -> Commands.set(dk, chunk.data(), lease, ttlSeconds));
        now.add(data);
        CompletableFuture<Void> chunkDone;
        if (naming.hasMetadataKey()) {
            byte[] mk = names.meta();
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
        largestValue.accumulateAndGet(len, Math::max);
        if (lease != null) {
            // the outcome of the write, reported once the buffer is back
            CompletableFuture<Void> written = chunkDone;
            chunkDone = written.handle((v, e) -> lease.close(e != null))
                    .thenCompose(returned -> returned)
                    .thenCompose(returned -> written);
        }
        chunkDone.whenComplete((v, e) -> {
            if (e != null) {
                target.completeExceptionally(Failures.unwrap(e));
            } else {
                metrics.wrote(len);
                target.complete(null);
            }
        });
    }

    private boolean sameNode(Call<?> a, Call<?> b) {
        if (!cluster || a.slot == b.slot) {
            return true;
        }
        NodeLink la = dispatcher.linkFor(a.slot);
        return la != null && la == dispatcher.linkFor(b.slot);
    }
}
