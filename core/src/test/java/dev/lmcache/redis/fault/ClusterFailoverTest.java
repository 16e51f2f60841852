package dev.lmcache.redis.fault;

import static dev.lmcache.redis.fault.Faults.assertHitsExact;
import static dev.lmcache.redis.fault.Faults.config;
import static dev.lmcache.redis.fault.Faults.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lmcache.redis.ChunkKey;
import dev.lmcache.redis.KeyLayout;
import dev.lmcache.redis.KvCacheException;
import dev.lmcache.redis.KvCacheStore;
import dev.lmcache.redis.KvChunk;
import dev.lmcache.redis.TestChunks;
import dev.lmcache.redis.embedded.ClusterNode;
import dev.lmcache.redis.embedded.EmbeddedRedisCluster;
import dev.lmcache.redis.embedded.Fresh;
import dev.lmcache.redis.embedded.RedisExtension;
import dev.lmcache.redis.embedded.Replicas;
import dev.lmcache.redis.key.ClusterSlots;
import dev.lmcache.redis.KeyNaming;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A cluster master dies and the cluster promotes its replica by itself (cluster-node-timeout is
 * 3 s): the store finds the new master and serves every chunk that had reached the replica.
 */
@ExtendWith(RedisExtension.class)
class ClusterFailoverTest {
    private static final Pattern MASTER_OFFSET = Pattern.compile("master_repl_offset:(\\d+)");
    private static final Pattern REPLICA_OFFSET = Pattern.compile("slave\\d+:.*offset=(\\d+)");

    /** Waits until every master's replicas have acknowledged all it has, so a failover loses nothing. */
    private static void awaitReplicated(EmbeddedRedisCluster cluster) {
        for (ClusterNode m : cluster.masters()) {
            RedisClient client = RedisClient.create(m.url());
            try (StatefulRedisConnection<String, String> c = client.connect()) {
                eventually(Duration.ofSeconds(10), () -> {
                    String info = c.sync().info("replication");
                    Matcher master = MASTER_OFFSET.matcher(info);
                    Matcher replica = REPLICA_OFFSET.matcher(info);
                    assertThat(master.find() && replica.find()).as("replication info of %s: %s", m, info).isTrue();
                    assertThat(replica.group(1)).isEqualTo(master.group(1));
                    return null;
                });
            } finally {
                client.shutdown();
            }
        }
    }

    @Test
    void whenAMasterDiesReadsAndWritesRecoverOnThePromotedReplicaWithinBoundedTime(
            @Fresh @Replicas(1) EmbeddedRedisCluster cluster) {
        try (KvCacheStore store = KvCacheStore.open(config(cluster.url()).keyLayout(KeyLayout.LMCACHE).build())) {
            List<ChunkKey> keys = TestChunks.keys("fault/failover", 60);
            List<KvChunk> chunks = TestChunks.chunks(60, 8192);
            store.sync().batchedPut(keys, chunks);
            awaitReplicated(cluster);

            KeyNaming naming = KeyNaming.of(KeyLayout.LMCACHE, true, null);
            int slot = ClusterSlots.slot(naming.dataKey(keys.get(0)));
            ClusterNode victim = cluster.masterFor(slot);
            long killedAt = System.nanoTime();
            victim.kill();

            int attempts = 0;
            List<String> errors = new ArrayList<>();
            long recoveredAt = 0;
            long promotedAt = 0;
            while (recoveredAt == 0) {
                if (promotedAt == 0 && !cluster.masterFor(slot).equals(victim)) {
                    promotedAt = System.nanoTime();
                }
                assertThat(System.nanoTime() - killedAt).as("recovered within 30 s; errors so far: %s", errors)
                        .isLessThan(Duration.ofSeconds(30).toNanos());
                attempts++;
                try {
                    List<Optional<KvChunk>> got = store.sync().batchedGet(keys);
                    int hits = assertHitsExact(got, chunks);
                    ChunkKey probe = TestChunks.key("fault/failover");
                    KvChunk chunk = TestChunks.chunk(4096, attempts);
                    store.sync().put(probe, chunk);
                    Faults.assertSameChunk(store.sync().get(probe).orElseThrow(), chunk, probe);
                    if (hits == keys.size()) {
                        recoveredAt = System.nanoTime();
                    }
                } catch (KvCacheException e) {
                    // expected while the master is down: a clear failure, never a miss or wrong bytes
                    if (errors.size() < 5) {
                        errors.add(e.getMessage());
                    }
                    Faults.sleep(100);
                }
            }
            assertThat(promotedAt).as("the cluster promoted the replica").isPositive();
            assertThat(Duration.ofNanos(recoveredAt - promotedAt)).as("the store followed the promotion")
                    .isLessThan(Duration.ofSeconds(5));
            assertThat(errors).as("while the master was down, calls failed saying so")
                    .allSatisfy(m -> assertThat(m).containsAnyOf("not connected", "disconnected", "timed out", "refused"));
            assertThat(cluster.masterFor(slot)).as("the replica took over").isNotEqualTo(victim);

            List<ChunkKey> more = TestChunks.keys("fault/failover", 60);
            List<KvChunk> moreChunks = TestChunks.chunks(60, 8191);
            store.sync().batchedPut(more, moreChunks);
            assertThat(assertHitsExact(store.sync().batchedGet(more), moreChunks)).isEqualTo(60);
            assertThat(store.sync().batchedContains(keys)).isEqualTo(60);
        }
    }
}
