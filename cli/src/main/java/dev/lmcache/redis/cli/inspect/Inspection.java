package dev.lmcache.redis.cli.inspect;

import dev.lmcache.redis.ChunkKey;
import dev.lmcache.redis.KeyLayout;
import dev.lmcache.redis.KeyNaming;
import dev.lmcache.redis.MpKey;
import dev.lmcache.redis.StoreConfig;
import dev.lmcache.redis.cli.target.RedisNodes;
import dev.lmcache.redis.cli.target.Target;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * What is stored under a key layout: SCAN (never KEYS) on every master with the layout's
 * {@link KeyNaming#allKeysScanPattern()}, each key classified by {@link KeyNaming#parse}, its
 * size (STRLEN) and TTL read in one pipelined round per SCAN page.
 *
 * <p>For the two-key layouts a chunk counts when both its keys exist; metadata without data and
 * data without metadata are orphans. Because a put in progress may have written only one key,
 * each orphan is checked again (EXISTS of the missing key) before it is reported or deleted.
 * The two-key layouts keep one entry per chunk in memory (their keys may live on different
 * cluster nodes), so inspecting tens of millions of chunks needs a correspondingly large heap.
 */
public final class Inspection {

    private static final int SCAN_COUNT = 1000;
    private static final long HOUR = 3600;
    private static final long DAY = 24 * HOUR;
    private static final long PAGE_TIMEOUT_SECONDS = 60;

    /**
     * One model's chunks.
     *
     * @param chunks         complete chunks (both keys for the two-key layouts)
     * @param bytes          value bytes of those chunks (STRLEN of data plus metadata)
     * @param orphanMetadata metadata keys whose data key is missing
     * @param orphanData     data keys whose metadata key is missing
     */
    record ModelStats(String model, long chunks, long bytes, long orphanMetadata, long orphanData) {
    }

    /** Chunks by remaining time to live (of the key that marks the chunk: its metadata, or its value). */
    record TtlBuckets(long none, long underHour, long underDay, long longer) {
    }

    /**
     * The result.
     *
     * @param pattern        the SCAN MATCH pattern
     * @param masters        servers scanned
     * @param databaseKeys   DBSIZE summed over the masters (every key, matching or not); -1 when
     *                       the user may not run DBSIZE
     * @param scannedKeys    keys the scan returned
     * @param otherKeys      keys matching the pattern that are not chunk keys of the layout (or not strings)
     * @param orphansDeleted orphan keys deleted ({@code fixOrphans}), else 0
     */
    record Report(String pattern, int masters, long databaseKeys, long scannedKeys, List<ModelStats> models,
                  TtlBuckets ttl, long otherKeys, long orphansDeleted, double millis) {

        long chunks() {
            return models.stream().mapToLong(ModelStats::chunks).sum();
        }

        long bytes() {
            return models.stream().mapToLong(ModelStats::bytes).sum();
        }

        long orphanMetadata() {
            return models.stream().mapToLong(ModelStats::orphanMetadata).sum();
        }

        long orphanData() {
            return models.stream().mapToLong(ModelStats::orphanData).sum();
        }
    }

    /** One key of a chunk as scanned. */
    private record Seen(byte[] name, long bytes, long ttl) {
    }

    /** A chunk of a two-key layout: which of its keys were seen. */
    private static final class Pair {
        final ChunkKey key;
        Seen metadata;
        Seen data;

        Pair(ChunkKey key) {
            this.key = key;
        }
    }

    /** Running totals of one model. */
    private static final class Totals {
        long chunks;
        long bytes;
        long orphanMetadata;
        long orphanData;
    }

    private final RedisNodes nodes;
    private final KeyNaming naming;
    /** The object group of MP names without an {@code object_group} tag, as the configuration says. */
    private final String mpDefaultGroup;
    private final String model;
    private final Map<String, Pair> pairs = new HashMap<>();
    private final Map<String, Totals> totals = new TreeMap<>();
    private long none;
    private long underHour;
    private long underDay;
    private long longer;
    private long scanned;
    private long others;

    private Inspection(RedisNodes nodes, KeyNaming naming, StoreConfig config, String modelOrNull) {
        this.nodes = nodes;
        this.naming = naming;
        this.mpDefaultGroup = config.mpObjectGroup().isPresent()
                ? Integer.toHexString(config.mpObjectGroup().getAsInt()) : "none";
        this.model = modelOrNull;
    }

    /**
     * Scans and classifies every key of the target's layout and key prefix on every master.
     *
     * @param modelOrNull only chunks of this model, or all
     * @param fixOrphans  whether to delete the orphans found
     * @throws dev.lmcache.redis.KvCacheException when a server cannot be reached
     */
    public static InspectionReport run(Target target, String modelOrNull, boolean fixOrphans) {
        StoreConfig c = target.config();
        KeyNaming naming = KeyNaming.of(c, target.isCluster());
        try (RedisNodes nodes = RedisNodes.connect(c)) {
            Report r = new Inspection(nodes, naming, c, modelOrNull).inspect(fixOrphans);
            return new InspectionReport(target.description(), c, modelOrNull, fixOrphans, r);
        }
    }

    private Report inspect(boolean fixOrphans) {
        long start = System.nanoTime();
        String pattern = naming.allKeysScanPattern();
        long databaseKeys = 0;
        List<RedisNodes.Node> masters = nodes.masters();
        for (RedisNodes.Node node : masters) {
            databaseKeys = databaseKeys < 0 ? databaseKeys : add(databaseKeys, dbsize(node));
            scan(node, pattern);
        }
        long deleted = naming.hasMetadataKey() ? pairUp(fixOrphans) : 0;
        List<ModelStats> models = new ArrayList<>();
        totals.forEach((m, t) -> models.add(new ModelStats(m, t.chunks, t.bytes, t.orphanMetadata, t.orphanData)));
        return new Report(pattern, masters.size(), databaseKeys, scanned, models,
                new TtlBuckets(none, underHour, underDay, longer), others, deleted, (System.nanoTime() - start) / 1e6);
    }

    /** DBSIZE, or -1 when the user may not run it (a tenant confined by an ACL rule may not). */
    private static long dbsize(RedisNodes.Node node) {
        try {
            return node.connection().sync().dbsize();
        } catch (RedisCommandExecutionException e) {
            if (String.valueOf(e.getMessage()).startsWith("NOPERM")) {
                return -1;
            }
            throw e;
        }
    }

    private static long add(long total, long n) {
        return n < 0 ? -1 : total + n;
    }

    private void scan(RedisNodes.Node node, String pattern) {
        var sync = node.connection().sync();
        ScanArgs args = ScanArgs.Builder.matches(pattern).limit(SCAN_COUNT);
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            KeyScanCursor<byte[]> page = sync.scan(cursor, args);
            classify(node.connection().async(), page.getKeys());
            cursor = page;
        } while (!cursor.isFinished());
    }

    /** Sizes and TTLs of one page's chunk keys in one pipelined round, then their tally. */
    private void classify(RedisAsyncCommands<byte[], byte[]> async, List<byte[]> names) {
        scanned += names.size();
        List<byte[]> chunkNames = new ArrayList<>();
        List<KeyNaming.NamedKey> parsed = new ArrayList<>();
        for (byte[] name : names) {
            Optional<KeyNaming.NamedKey> k = naming.parse(new String(name, StandardCharsets.UTF_8));
            if (k.isEmpty()) {
                others++;
            } else if (model == null || model.equals(k.get().key().model())) {
                chunkNames.add(name);
                parsed.add(k.get());
            }
        }
        List<RedisFuture<Long>> sizes = new ArrayList<>(chunkNames.size());
        List<RedisFuture<Long>> ttls = new ArrayList<>(chunkNames.size());
        for (byte[] name : chunkNames) {
            sizes.add(async.strlen(name));
            ttls.add(async.ttl(name));
        }
        for (int i = 0; i < chunkNames.size(); i++) {
            Long size = await(sizes.get(i));
            Long ttl = await(ttls.get(i));
            if (size == null || ttl == null) {
                others++;
                continue;
            }
            if (ttl == -2) {
                continue;
            }
            tally(parsed.get(i), new Seen(chunkNames.get(i), size, ttl));
        }
    }

    private void tally(KeyNaming.NamedKey k, Seen seen) {
        if (!naming.hasMetadataKey()) {
            Totals t = totals(k.key());
            t.chunks++;
            t.bytes += seen.bytes();
            ttl(seen.ttl());
            return;
        }
        Pair p = pairs.computeIfAbsent(k.key().toString(), s -> new Pair(k.key()));
        if (k.role() == KeyNaming.Role.METADATA) {
            p.metadata = seen;
        } else {
            p.data = seen;
        }
    }

    /** Counts complete chunks and orphans of the two-key layouts; deletes confirmed orphans if asked. */
    private long pairUp(boolean fixOrphans) {
        long deleted = 0;
        var routed = nodes.routed();
        for (Pair p : pairs.values()) {
            Totals t = totals(p.key);
            if (p.metadata != null && p.data != null) {
                complete(t, p.metadata, p.data.bytes());
                continue;
            }
            // One key is missing: a put in progress may be writing it right now, so look again.
            Seen present = p.metadata != null ? p.metadata : p.data;
            byte[] missing = (p.metadata != null ? naming.dataKey(p.key) : naming.metadataKey(p.key))
                    .getBytes(StandardCharsets.UTF_8);
            if (routed.exists(missing) > 0) {
                complete(t, present, 0);
                continue;
            }
            if (p.metadata != null) {
                t.orphanMetadata++;
            } else {
                t.orphanData++;
            }
            if (fixOrphans) {
                deleted += routed.del(present.name());
            }
        }
        return deleted;
    }

    private void complete(Totals t, Seen marker, long otherBytes) {
        t.chunks++;
        t.bytes += marker.bytes() + otherBytes;
        ttl(marker.ttl());
    }

    /**
     * The row a chunk counts in: its model, and for MP names also its rank (of the world size)
     * and object group, since LMCache's multiprocess server names each rank's and each group's
     * chunks apart.
     */
    private Totals totals(ChunkKey key) {
        String row = key.model();
        if (naming.layout() == KeyLayout.MP) {
            String group = key.tags().stream().filter(t -> t.name().equals(MpKey.OBJECT_GROUP_TAG))
                    .map(ChunkKey.Tag::value).findFirst().orElse(mpDefaultGroup);
            row += " rank " + key.workerId() + "/" + key.worldSize() + " group " + group;
        }
        return totals.computeIfAbsent(row, m -> new Totals());
    }

    private void ttl(long seconds) {
        if (seconds < 0) {
            none++;
        } else if (seconds < HOUR) {
            underHour++;
        } else if (seconds < DAY) {
            underDay++;
        } else {
            longer++;
        }
    }

    /** The reply, or null when the command failed for this key (WRONGTYPE: not a chunk value). */
    private static Long await(RedisFuture<Long> f) {
        try {
            return f.get(PAGE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            String m = String.valueOf(e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
            if (m.startsWith("WRONGTYPE")) {
                return null;
            }
            throw new IllegalStateException("inspect failed: " + m, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("no reply within " + PAGE_TIMEOUT_SECONDS + " s", e);
        }
    }
}
