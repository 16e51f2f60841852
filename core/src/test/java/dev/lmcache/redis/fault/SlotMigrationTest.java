package dev.lmcache.redis.fault;

import static dev.lmcache.redis.fault.Faults.assertHitsExact;
import static dev.lmcache.redis.fault.Faults.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.lmcache.redis.ChunkKey;
import dev.lmcache.redis.KeyLayout;
import dev.lmcache.redis.KvCacheStore;
import dev.lmcache.redis.KvChunk;
import dev.lmcache.redis.TestChunks;
import dev.lmcache.redis.embedded.ClusterNode;
import dev.lmcache.redis.embedded.EmbeddedRedisCluster;
import dev.lmcache.redis.embedded.Fresh;
import dev.lmcache.redis.embedded.RedisExtension;
import dev.lmcache.redis.key.ClusterSlots;
import dev.lmcache.redis.KeyNaming;
import io.lettuce.core.MigrateArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A hash slot moves from one master to another (IMPORTING/MIGRATING, MIGRATE key by key, then
 * SETSLOT NODE) while batches read and write chunks with keys in that slot: the nodes answer ASK
 * during the move and MOVED after it, and every operation must still complete with the right
 * bytes.
 */
@ExtendWith(RedisExtension.class)
class SlotMigrationTest {
    private static final KeyNaming NAMING = KeyNaming.of(KeyLayout.LMCACHE, true, null);

    /**
     * Chunk keys with one of their two Redis keys in {@code slot}: half through the data key, half
     * through the metadata key, so both orders of the two writes meet the moving slot.
     */
    private static List<ChunkKey> keysTouching(int slot, int n, long salt) {
        List<ChunkKey> out = new ArrayList<>();
        boolean wantData = true;
        for (long h = salt; out.size() < n; h++) {
            ChunkKey k = ChunkKey.of("fault/migrate", 1, 0, h, "bfloat16");
            String name = wantData ? NAMING.dataKey(k) : NAMING.metadataKey(k);
            if (ClusterSlots.slot(name) == slot) {
                out.add(k);
                wantData = !wantData;
            }
        }
        return out;
    }

    private static KvChunk chunkFor(ChunkKey k) {
        return TestChunks.chunk(4096 + (int) (Math.abs(k.hashCode()) % 512), k.hashCode());
    }

    private static List<KvChunk> chunksFor(List<ChunkKey> keys) {
        return keys.stream().map(SlotMigrationTest::chunkFor).toList();
    }

    @Test
    void readsAndWritesDuringAndAfterASlotMigrationAllCompleteWithTheRightBytes(@Fresh EmbeddedRedisCluster cluster) {
        // preemptive: a hang (a blocked event loop) must fail the test, not stall the build
        assertTimeoutPreemptively(Duration.ofSeconds(90), () -> migrateUnderTraffic(cluster));
    }

    private void migrateUnderTraffic(EmbeddedRedisCluster cluster) throws Exception {
        int slot = 4242;
        ClusterNode source = cluster.masterFor(slot);
        ClusterNode target = cluster.masters().stream().filter(n -> !n.equals(source)).findFirst().orElseThrow();
        List<ChunkKey> stored = keysTouching(slot, 40, 1_000_000);
        List<KvChunk> storedChunks = chunksFor(stored);
        List<ChunkKey> written = Collections.synchronizedList(new ArrayList<>());

        try (KvCacheStore store = KvCacheStore.open(config(cluster.url()).keyLayout(KeyLayout.LMCACHE).build())) {
            store.sync().batchedPut(stored, storedChunks);

            AtomicBoolean moving = new AtomicBoolean(true);
            AtomicInteger rounds = new AtomicInteger();
            CompletableFuture<Void> traffic = CompletableFuture.runAsync(() -> {
                long salt = 50_000_000;
                int after = 0;
                while (after < 5) {
                    if (!moving.get()) {
                        after++;
                    }
                    assertThat(assertHitsExact(store.sync().batchedGet(stored), storedChunks))
                            .as("round %d: every stored chunk is found", rounds.get()).isEqualTo(stored.size());
                    List<ChunkKey> fresh = keysTouching(slot, 4, salt);
                    salt += 10_000_000;
                    List<KvChunk> freshChunks = chunksFor(fresh);
                    store.sync().batchedPut(fresh, freshChunks);
                    written.addAll(fresh);
                    assertThat(assertHitsExact(store.sync().batchedGet(fresh), freshChunks))
                            .as("round %d: chunks just written are found", rounds.get()).isEqualTo(fresh.size());
                    assertThat(store.sync().batchedContains(stored)).isEqualTo(stored.size());
                    rounds.incrementAndGet();
                }
            });

            try {
                migrate(cluster, slot, source, target, traffic);
            } finally {
                moving.set(false);
                // a failed operation of the traffic is the finding: report it before the migration's state
                traffic.get(60, TimeUnit.SECONDS);
            }

            assertThat(cluster.masterFor(slot)).isEqualTo(target);
            assertThat(rounds.get()).as("traffic ran during the move").isGreaterThan(5);
            List<ChunkKey> all = new ArrayList<>(stored);
            all.addAll(written);
            assertThat(assertHitsExact(store.sync().batchedGet(all), chunksFor(all))).isEqualTo(all.size());
        }
    }

    @Test
    void lookupsFollowAskWhileASlotMovesAndMovedAfterwardsCountingEveryKey(@Fresh EmbeddedRedisCluster cluster) {
        int slot = 777;
        ClusterNode source = cluster.masterFor(slot);
        ClusterNode target = cluster.masters().stream().filter(n -> !n.equals(source)).findFirst().orElseThrow();
        // chunks whose metadata key (the one a lookup asks about) is in the slot, among others that are not
        List<ChunkKey> keys = new ArrayList<>();
        int inSlot = 0;
        for (long h = 0; inSlot < 10; h++) {
            ChunkKey k = ChunkKey.of("fault/lookup-move", 1, 0, h, "bfloat16");
            boolean moving = ClusterSlots.slot(NAMING.metadataKey(k)) == slot;
            if (moving || keys.size() < 3 * (inSlot + 1)) {
                keys.add(k);
                inSlot += moving ? 1 : 0;
            }
        }
        List<RedisClient> clients = new ArrayList<>();
        try (KvCacheStore store = KvCacheStore.open(config(cluster.url()).keyLayout(KeyLayout.LMCACHE).build())) {
            store.sync().batchedPut(keys, chunksFor(keys));
            assertThat(store.sync().batchedContains(keys)).isEqualTo(keys.size());

            RedisCommands<String, String> src = connect(clients, source);
            RedisCommands<String, String> dst = connect(clients, target);
            dst.clusterSetSlotImporting(slot, source.nodeId());
            src.clusterSetSlotMigrating(slot, target.nodeId());
            List<String> half = src.clusterGetKeysInSlot(slot, 5);
            src.migrate("127.0.0.1", target.port(), 0, 5000, MigrateArgs.Builder.keys(half));
            assertThat(store.sync().batchedContains(keys))
                    .as("keys already moved are answered ASK by the source and found on the target")
                    .isEqualTo(keys.size());

            List<String> rest;
            while (!(rest = src.clusterGetKeysInSlot(slot, 100)).isEmpty()) {
                src.migrate("127.0.0.1", target.port(), 0, 5000, MigrateArgs.Builder.keys(rest));
            }
            for (ClusterNode n : cluster.masters()) {
                connect(clients, n).clusterSetSlotNode(slot, target.nodeId());
            }
            assertThat(store.sync().batchedContains(keys))
                    .as("after the move the source answers MOVED, and the target has every key")
                    .isEqualTo(keys.size());
            assertThat(store.sync().batchedContains(keys)).as("and again, after the topology refresh").isEqualTo(keys.size());
        } finally {
            clients.forEach(RedisClient::shutdown);
        }
    }

    /** Moves {@code slot} key by key, pausing between keys so that the traffic meets every state. */
    private static void migrate(EmbeddedRedisCluster cluster, int slot, ClusterNode source, ClusterNode target,
                                CompletableFuture<Void> traffic) {
        List<RedisClient> clients = new ArrayList<>();
        try {
            RedisCommands<String, String> src = connect(clients, source);
            RedisCommands<String, String> dst = connect(clients, target);
            dst.clusterSetSlotImporting(slot, source.nodeId());
            src.clusterSetSlotMigrating(slot, target.nodeId());
            int moved = 0;
            List<String> keys;
            while (!(keys = src.clusterGetKeysInSlot(slot, 1)).isEmpty() && !traffic.isDone()) {
                src.migrate("127.0.0.1", target.port(), 0, 5000, MigrateArgs.Builder.keys(keys));
                moved++;
                Faults.sleep(15);
            }
            assertThat(moved).as("keys moved one by one").isGreaterThanOrEqualTo(20);
            for (ClusterNode n : List.of(target, source)) {
                connect(clients, n).clusterSetSlotNode(slot, target.nodeId());
            }
            for (ClusterNode n : cluster.masters()) {
                if (!n.equals(source) && !n.equals(target)) {
                    connect(clients, n).clusterSetSlotNode(slot, target.nodeId());
                }
            }
        } finally {
            clients.forEach(RedisClient::shutdown);
        }
    }

    private static RedisCommands<String, String> connect(List<RedisClient> clients, ClusterNode node) {
        RedisClient c = RedisClient.create(node.url());
        clients.add(c);
        StatefulRedisConnection<String, String> conn = c.connect();
        return conn.sync();
    }
}
