package dev.lmcache.redis.batch;

import dev.lmcache.redis.BufferAllocator;
import dev.lmcache.redis.ChunkKey;
import dev.lmcache.redis.ChunkMetadata;
import dev.lmcache.redis.KeyNaming;
import dev.lmcache.redis.KvChunk;
import dev.lmcache.redis.codec.BulkDestination;
import dev.lmcache.redis.codec.BulkReply;
import dev.lmcache.redis.codec.ReplySplitter;
import dev.lmcache.redis.key.ClusterSlots;
import dev.lmcache.redis.metrics.StoreMetrics;
import dev.lmcache.redis.schedule.ByteBudget;
import dev.lmcache.redis.schedule.Priority;
import dev.lmcache.redis.topology.RedisTopology;
import io.lettuce.core.RedisException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import io.lettuce.core.protocol.CommandType;
import org.slf4j.Logger;

/**
 * The read side of the engine: lookups ({@link #presence}) and chunk reads ({@link #read}) from
 * the layout step's key names through the planner's sub-batches to the decoder step, which makes
 * each pair of replies a hit, a miss or an invalid value (a miss with a warning, never wrong
 * bytes). Names go out as one GET each, or, for small values, as MGETs (see {@link #multiGet}),
 * where a key of another type reads as nil: a miss without a warning. The semantics step (prefix
 * cut, batch failures) is the caller's.
 */
final class Reads {
    private static final Logger log = RedisKvCacheStore.LOG;
    private static final long DEFAULT_READ_ESTIMATE = 64 * 1024;

    private final Dispatcher dispatcher;
    private final KeyNaming naming;
    private final boolean cluster;
    private final ByteBudget budget;
    private final StoreMetrics metrics;
    private final BufferAllocator allocator;
    private final int maxKeysPerCommand;
    private final long maxBytesPerCommand;
    /** Geometry of raw values (single/mp layouts), null if not configured. */
    private final ChunkMetadata rawChunk;
    private final long refreshTtlSeconds;
    /** The largest value this store has written or read; -1 until the first (see {@link #multiGet}). */
    private final AtomicLong largestValue;
    /** See {@link #binary}; racy by design (any instance of the right length is right). */
    private volatile ChunkMetadata lastBinary;
    private final HeaderCache headers = new HeaderCache();
    /** False once an ACL refused MGET: this store then reads with GETs only. */
    private volatile boolean mgetAllowed = true;

    Reads(Dispatcher dispatcher, KeyNaming naming, boolean cluster, ByteBudget budget, StoreMetrics metrics,
          BufferAllocator allocator, int maxKeysPerCommand, long maxBytesPerCommand, ChunkMetadata rawChunk,
          long refreshTtlSeconds, AtomicLong largestValue) {
        this.dispatcher = dispatcher;
        this.naming = naming;
        this.cluster = cluster;
        this.budget = budget;
        this.metrics = metrics;
        this.allocator = allocator;
        this.maxKeysPerCommand = maxKeysPerCommand;
        this.maxBytesPerCommand = maxBytesPerCommand;
        this.rawChunk = rawChunk;
        this.refreshTtlSeconds = refreshTtlSeconds;
        this.largestValue = largestValue;
    }

    /** Whether each key's chunk is present (its metadata key, or its value for raw layouts). */
    CompletableFuture<boolean[]> presence(List<ChunkKey> keys) {
        List<byte[]> names = new ArrayList<>(keys.size());
        for (ChunkKey k : keys) {
            names.add(RedisKvCacheStore.utf8(naming.hasMetadataKey() ? naming.metadataKey(k) : naming.dataKey(k)));
        }
        // Existence checks carry no values and take nothing from the byte budget, so they are not cut
        // into sub-batches: each node gets its share as one group, one write (a 512-key TP-4 prompt
        // lookup on a cluster took ~0.4 ms longer in two groups per node), without a future per key.
        return dispatcher.integers(CommandType.EXISTS, names, RedisTopology.Lane.LOOKUP).thenApply(r -> {
            int failed = r.firstFailure();
            if (failed >= 0) {
                throw new CompletionException(Failures.of("lookup", keys.get(failed), r.errors()[failed]));
            }
            boolean[] out = new boolean[keys.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = r.values()[i] > 0;
            }
            return out;
        });
    }

    /**
     * What a read is charged to the byte budget before its size is known: the largest chunk seen
     * (LMCache processes write and read chunks of one geometry, so after the first chunk this is
     * exact), and 64 KiB for the first reads of a fresh process (or less-than-64-KiB chunks).
     * With a configured raw geometry that is its size from the start.
     */
    private long readEstimate() {
        return Math.max(rawChunk != null ? rawChunk.length() : DEFAULT_READ_ESTIMATE, largestValue.get());
    }

    /** Reads chunks in sub-batches, all in flight together within the byte budget. */
    CompletableFuture<ChunkRead[]> read(List<ChunkKey> keys, Priority priority) {
        int n = keys.size();
        ChunkRead[] reads = new ChunkRead[n];
        for (int i = 0; i < n; i++) {
            reads[i] = new ChunkRead(i, keys.get(i), allocator, rawChunk, headers);
        }
        List<SubBatches.Range> ranges = SubBatches.ofReads(n, maxKeysPerCommand, maxBytesPerCommand, readEstimate());
        return SubBatches.run(budget, priority, ranges, r -> send(reads, r.from(), r.to()), (r, e) -> { })
                .thenApply(v -> reads);
    }

    private CompletableFuture<Void> send(ChunkRead[] reads, int from, int to) {
        if ((to - from > 1 || naming.hasMetadataKey()) && multiGet()) {
            return sendMulti(reads, from, to);
        }
        int[] which = new int[to - from];
        for (int i = 0; i < which.length; i++) {
            which[i] = from + i;
        }
        return sendGets(reads, which);
    }

    /**
     * Whether a sub-batch's names go out as MGETs: only when every value is expected to be small
     * (MGET's elements are copied out of Lettuce's read buffer, never diverted into the caller's
     * buffer as a large GET reply is) and no TTL is refreshed (GETEX has no multi-key form). The
     * expectation is the configured raw geometry, else the largest value this store has written
     * or read (unknown in a fresh process: GETs until the first chunk is seen).
     */
    private boolean multiGet() {
        if (refreshTtlSeconds > 0 || !mgetAllowed) {
            return false;
        }
        long expected = rawChunk != null ? rawChunk.length() : largestValue.get();
        return expected >= 0 && expected < ReplySplitter.MIN_DIVERT_BYTES;
    }

    /** Reads the chunks {@code which} with one GET (or GETEX) per name. */
    private CompletableFuture<Void> sendGets(ChunkRead[] reads, int[] which) {
        List<Call<BulkReply>> calls = new ArrayList<>(which.length * 2);
        CompletableFuture<?>[] done = new CompletableFuture<?>[which.length];
        for (int j = 0; j < which.length; j++) {
            ChunkRead r = reads[which[j]];
            byte[] dk = RedisKvCacheStore.utf8(naming.dataKey(r.key));
            Call<BulkReply> data = new Call<>(dk, cluster, () -> Commands.get(dk, refreshTtlSeconds, r));
            if (naming.hasMetadataKey()) {
                byte[] mk = RedisKvCacheStore.utf8(naming.metadataKey(r.key));
                BulkDestination sink = r.metadataSink();
                Call<BulkReply> meta = new Call<>(mk, cluster, () -> Commands.get(mk, refreshTtlSeconds, sink));
                calls.add(meta);
                calls.add(data);
                done[j] = CompletableFuture.allOf(meta.result, data.result)
                        .handle((v, e) -> {
                            finishTwoKey(r, valueOf(meta.result), Failures.causeOrNull(meta.result),
                                    valueOf(data.result), Failures.causeOrNull(data.result), mk);
                            return null;
                        });
            } else {
                calls.add(data);
                done[j] = data.result.handle((v, e) -> {
                    finishRaw(r, valueOf(data.result), Failures.causeOrNull(data.result));
                    return null;
                });
            }
        }
        dispatcher.send(calls);
        return CompletableFuture.allOf(done);
    }

    /**
     * Reads chunks {@code [from, to)} with one MGET per node (standalone) or per slot (cluster; a
     * slot with a single name gets a GET in the node's command group instead). For a two-key
     * layout a chunk's metadata name comes right before its data name, so the data's size is
     * checked against the header before its bytes are copied, as on the GET path.
     *
     * <p>MGET answers nil both for a missing key and for one holding another type. A nil is read
     * as a miss, except a nil data value under present metadata: that chunk is read again with
     * GETs, which tell an evicted value (orphan metadata, deleted) from a value of another type
     * (a warning), exactly as a GET read does. MGET reads all its keys at one instant, so a chunk's
     * two values are never seen half-written. An MGET refused with TRYAGAIN (its slot is being
     * migrated) is read again with GETs too.
     */
    private CompletableFuture<Void> sendMulti(ChunkRead[] reads, int from, int to) {
        boolean twoKeys = naming.hasMetadataKey();
        int perChunk = twoKeys ? 2 : 1;
        int n = (to - from) * perChunk;
        byte[][] names = new byte[n][];
        BulkDestination[] destinations = new BulkDestination[n];
        for (int i = from; i < to; i++) {
            ChunkRead r = reads[i];
            int p = (i - from) * perChunk;
            if (twoKeys) {
                names[p] = RedisKvCacheStore.utf8(naming.metadataKey(r.key));
                destinations[p++] = r.metadataSink();
            }
            names[p] = RedisKvCacheStore.utf8(naming.dataKey(r.key));
            destinations[p] = r;
        }
        BulkReply[] replies = new BulkReply[n];
        Throwable[] errors = new Throwable[n];
        boolean[] multi = new boolean[n];
        List<Call<BulkReply[]>> mgets = new ArrayList<>();
        List<int[]> mgetPositions = new ArrayList<>();
        List<Call<BulkReply>> gets = new ArrayList<>();
        List<Integer> getPositions = new ArrayList<>();
        for (int[] positions : bySlot(names)) {
            if (positions.length == 1) {
                int p = positions[0];
                byte[] name = names[p];
                BulkDestination d = destinations[p];
                gets.add(new Call<>(name, cluster, () -> Commands.get(name, 0, d)));
                getPositions.add(p);
                continue;
            }
            byte[][] keys = new byte[positions.length][];
            BulkDestination[] dests = new BulkDestination[positions.length];
            for (int j = 0; j < positions.length; j++) {
                keys[j] = names[positions[j]];
                dests[j] = destinations[positions[j]];
                multi[positions[j]] = true;
            }
            mgets.add(new Call<>(keys[0], cluster, () -> Commands.mget(keys, dests)));
            mgetPositions.add(positions);
        }
        if (!mgets.isEmpty()) {
            dispatcher.sendAlone(mgets);
        }
        if (!gets.isEmpty()) {
            dispatcher.send(gets);
        }
        CompletableFuture<?>[] all = new CompletableFuture<?>[mgets.size() + gets.size()];
        for (int c = 0; c < mgets.size(); c++) {
            all[c] = mgets.get(c).result;
        }
        for (int c = 0; c < gets.size(); c++) {
            all[mgets.size() + c] = gets.get(c).result;
        }
        return CompletableFuture.allOf(all).handle((v, e) -> {
            for (int c = 0; c < mgets.size(); c++) {
                CompletableFuture<BulkReply[]> f = mgets.get(c).result;
                Throwable err = Failures.causeOrNull(f);
                BulkReply[] got = err == null ? f.join() : null;
                if (err == null && got == null) {
                    err = new RedisException("the reply to an MGET of " + mgetPositions.get(c).length
                            + " keys did not have one value per key");
                }
                int[] positions = mgetPositions.get(c);
                for (int j = 0; j < positions.length; j++) {
                    errors[positions[j]] = err;
                    replies[positions[j]] = err == null ? got[j] : null;
                }
            }
            for (int c = 0; c < gets.size(); c++) {
                CompletableFuture<BulkReply> f = gets.get(c).result;
                errors[getPositions.get(c)] = Failures.causeOrNull(f);
                replies[getPositions.get(c)] = valueOf(f);
            }
            int[] again = new int[to - from];
            int rereads = 0;
            for (int i = from; i < to; i++) {
                ChunkRead r = reads[i];
                int p = (i - from) * perChunk;
                if (retryAlone(errors[p]) || (twoKeys && retryAlone(errors[p + 1]))) {
                    // an MGET in a slot being migrated (the same names one GET each follow ASK), or
                    // refused by an ACL that allows GET
                    r.releaseBuffer();
                    again[rereads++] = i;
                    continue;
                }
                if (!twoKeys) {
                    finishRaw(r, replies[p], errors[p]);
                    continue;
                }
                int d = p + 1;
                if (multi[d] && replies[d] == null && errors[d] == null && errors[p] == null && replies[p] != null
                        && replies[p].failure() == null && r.invalidReason() == null) {
                    again[rereads++] = i;
                    continue;
                }
                finishTwoKey(r, replies[p], errors[p], replies[d], errors[d], names[p]);
            }
            return rereads == 0 ? CompletableFuture.<Void>completedFuture(null)
                    : sendGets(reads, Arrays.copyOf(again, rereads));
        }).thenCompose(f -> f);
    }

    /** Whether an MGET's failure is one that GETs of the same names do not meet. */
    private boolean retryAlone(Throwable e) {
        if (Failures.isCommandRefused(e, "mget")) {
            if (mgetAllowed) {
                mgetAllowed = false;
                log.warn("the server's ACL refuses MGET ({}); reading with GETs from now on (allow +mget for"
                        + " faster batched reads of small chunks)", e.getMessage());
            }
            return true;
        }
        return Failures.isTryAgain(e);
    }

    /** Positions of {@code names} grouped by slot, each group in ascending order (one group in standalone). */
    private List<int[]> bySlot(byte[][] names) {
        if (!cluster) {
            int[] all = new int[names.length];
            for (int i = 0; i < all.length; i++) {
                all[i] = i;
            }
            return List.of(all);
        }
        Map<Integer, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < names.length; i++) {
            groups.computeIfAbsent(ClusterSlots.slot(names[i]), s -> new ArrayList<>()).add(i);
        }
        List<int[]> out = new ArrayList<>(groups.size());
        for (List<Integer> g : groups.values()) {
            out.add(g.stream().mapToInt(Integer::intValue).toArray());
        }
        return out;
    }

    private static <T> T valueOf(CompletableFuture<T> f) {
        return f.isCompletedExceptionally() ? null : f.join();
    }

    // ------------------------------------------------------------------ decoder step

    private void finishTwoKey(ChunkRead r, BulkReply meta, Throwable metaErr, BulkReply data, Throwable dataErr,
                              byte[] metaKey) {
        if (metaErr != null || dataErr != null) {
            Throwable err = metaErr != null ? metaErr : dataErr;
            if (Failures.isWrongType(err)) {
                invalid(r, Failures.notAString(metaErr != null ? "metadata " : "data "));
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

    private void finishRaw(ChunkRead r, BulkReply data, Throwable err) {
        if (err != null) {
            if (Failures.isWrongType(err)) {
                invalid(r, Failures.notAString(""));
            } else {
                r.failed(err);
            }
            return;
        }
        if (data == null) {
            r.miss();
            metrics.miss();
            return;
        }
        finishData(r, data, rawChunk != null ? rawChunk : binary(data.size()));
    }

    /**
     * The header of an untyped raw value of {@code size} bytes. Values of a store are usually of one
     * size, and the header is immutable, so the last one is shared (it cost a few percent of a
     * batched read of small values).
     */
    private ChunkMetadata binary(int size) {
        ChunkMetadata m = lastBinary;
        if (m == null || m.length() != size) {
            m = ChunkMetadata.binary(size);
            lastBinary = m;
        }
        return m;
    }

    private void finishData(ChunkRead r, BulkReply data, ChunkMetadata meta) {
        if (data.failure() != null) {
            r.failed(data.failure());
            return;
        }
        if (data.data() == null || data.size() != meta.length()) {
            invalid(r, Failures.sizeMismatch(data.size(), naming.hasMetadataKey(), meta.length()));
            return;
        }
        r.hit(new KvChunk(meta, data.data()));
        metrics.hit(data.size());
        largestValue.accumulateAndGet(data.size(), Math::max);
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
        Call<Long> del = new Call<>(metaKey, cluster, () -> Commands.del(metaKey));
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
}
