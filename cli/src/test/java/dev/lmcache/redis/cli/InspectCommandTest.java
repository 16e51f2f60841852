package dev.lmcache.redis.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lmcache.redis.ChunkKey;
import dev.lmcache.redis.ChunkMetadata;
import dev.lmcache.redis.KeyLayout;
import dev.lmcache.redis.KvCacheStore;
import dev.lmcache.redis.KvChunk;
import dev.lmcache.redis.StoreConfig;
import dev.lmcache.redis.embedded.EmbeddedRedis;
import dev.lmcache.redis.embedded.EmbeddedRedisCluster;
import dev.lmcache.redis.embedded.EmbeddedSentinel;
import dev.lmcache.redis.embedded.Fresh;
import dev.lmcache.redis.embedded.RedisExtension;
import dev.lmcache.redis.KeyNaming;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(RedisExtension.class)
class InspectCommandTest {

    /** A model name no other test uses, so counts on the shared servers are this test's alone. */
    private static String model() {
        return "cli-inspect/" + UUID.randomUUID();
    }

    private static List<ChunkKey> store(String url, KeyLayout layout, String model, int n, int bytes) {
        List<ChunkKey> keys = new ArrayList<>();
        List<KvChunk> chunks = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            keys.add(ChunkKey.of(model, 1, 0, 1000 + i, "bfloat16"));
            chunks.add(new KvChunk(ChunkMetadata.binary(bytes), ByteBuffer.allocate(bytes)));
        }
        StoreConfig config = StoreConfig.builder().url(url).keyLayout(layout).build();
        try (KvCacheStore store = KvCacheStore.open(config)) {
            store.sync().batchedPut(keys, chunks);
        }
        return keys;
    }

    private static void standalone(EmbeddedRedis redis, Consumer<RedisClusterCommands<String, String>> action) {
        RedisClient client = RedisClient.create(redis.redisUri());
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            action.accept(c.sync());
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    private static void cluster(EmbeddedRedisCluster cluster, Consumer<RedisClusterCommands<String, String>> action) {
        List<RedisURI> seeds = cluster.seedUris();
        RedisClusterClient client = RedisClusterClient.create(seeds);
        try (StatefulRedisClusterConnection<String, String> c = client.connect()) {
            action.accept(c.sync());
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    @Test
    void findsPlantedOrphansAndFixOrphansRemovesThem(EmbeddedRedis redis) {
        String model = model();
        List<ChunkKey> keys = store(redis.url(), KeyLayout.LMCACHE, model, 3, 100);
        KeyNaming naming = KeyNaming.of(KeyLayout.LMCACHE, false, null);
        ChunkKey metaOnly = ChunkKey.of(model, 1, 0, 1, "bfloat16");
        ChunkKey dataOnly = ChunkKey.of(model, 1, 0, 2, "bfloat16");
        standalone(redis, c -> {
            c.set(naming.metadataKey(metaOnly), "x".repeat(28));
            c.set(naming.dataKey(dataOnly), "yyyy");
            c.expire(naming.metadataKey(keys.get(0)), 600);
        });

        Cli.Run run = Cli.run("inspect", "--url", redis.url(), "--model", model);
        assertThat(run.exitCode()).as("%s", run).isZero();
        assertThat(run.out()).containsPattern("\\Q" + model + "\\E\\s+3\\s+\\S+ B\\s+1\\s+1")
                .contains("TTL of chunks: none 2, < 1h 1, < 1d 0, longer 0")
                .contains("Orphans: 1 metadata without data, 1 data without metadata (--fix-orphans deletes them)");

        Cli.Run fix = Cli.run("inspect", "--url", redis.url(), "--model", model, "--fix-orphans");
        assertThat(fix.exitCode()).as("%s", fix).isZero();
        assertThat(fix.out()).contains("deleted 2 keys");
        standalone(redis, c -> {
            assertThat(c.exists(naming.metadataKey(metaOnly), naming.dataKey(dataOnly))).isZero();
            assertThat(c.exists(naming.metadataKey(keys.get(0)), naming.dataKey(keys.get(0)))).isEqualTo(2);
        });

        Cli.Run after = Cli.run("inspect", "--url", redis.url(), "--model", model);
        assertThat(after.out()).containsPattern("\\Q" + model + "\\E\\s+3\\s+\\S+ B\\s+0\\s+0")
                .contains("Orphans: 0 metadata without data, 0 data without metadata");
    }

    @Test
    void findsOrphansAcrossClusterNodes(EmbeddedRedisCluster cluster) {
        String model = model();
        store(cluster.url(), KeyLayout.LMCACHE, model, 20, 10);
        KeyNaming naming = KeyNaming.of(KeyLayout.LMCACHE, true, null);
        List<ChunkKey> orphans = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            orphans.add(ChunkKey.of(model, 1, 0, 50 + i, "bfloat16"));
        }
        cluster(cluster, c -> orphans.forEach(k -> c.set(naming.metadataKey(k), "m".repeat(28))));

        Cli.Run fix = Cli.run("inspect", "--url", cluster.url(), "--model", model, "--fix-orphans");
        assertThat(fix.exitCode()).as("%s", fix).isZero();
        assertThat(fix.out()).contains("cluster, 3 masters").containsPattern("\\Q" + model + "\\E\\s+20\\s+")
                .contains("Orphans: 5 metadata without data, 0 data without metadata; deleted 5 keys");
        cluster(cluster, c -> orphans.forEach(k -> assertThat(c.exists(naming.metadataKey(k))).isZero()));
    }

    @Test
    void countsKeysThatAreNotChunkKeysAndWritesTheDocumentedJson(@Fresh EmbeddedRedis redis, @TempDir Path dir)
            throws Exception {
        String model = model();
        store(redis.url(), KeyLayout.TAGGED, model, 4, 1000);
        standalone(redis, c -> {
            c.set("unrelated", "1");
            c.set("other:metadata", "not a chunk key");
            c.set(KeyNaming.of(KeyLayout.TAGGED, false, null).dataKey(ChunkKey.of(model, 1, 0, 7, "half")), "zz");
        });
        Path json = dir.resolve("inspect.json");
        Cli.Run run = Cli.run("inspect", "--url", redis.url(), "--layout", "tagged", "--json", json.toString());
        assertThat(run.exitCode()).as("%s", run).isZero();
        assertThat(run.out()).contains("10 keys matched *:* (of 11 in the database)")
                .contains("Other keys (not chunk keys of this layout): 1");
        String text = Files.readString(json);
        assertThat(text).contains("\"target\": ", "\"mode\": \"standalone\"", "\"layout\": \"tagged\"",
                "\"keyPrefix\": null", "\"model\": null", "\"pattern\": \"*:*\"", "\"masters\": 1",
                "\"databaseKeys\": 11", "\"scannedKeys\": 10", "\"model\": \"" + model + "\"", "\"chunks\": 4",
                "\"bytes\": " + (4 * 1000 + 4 * 28), "\"orphanMetadata\": 0", "\"orphanData\": 1", "\"totals\": {",
                "\"ttl\": {", "\"none\": 4", "\"under1h\": 0", "\"under1d\": 0", "\"longer\": 0", "\"otherKeys\": 1",
                "\"fixOrphans\": false", "\"orphansDeleted\": 0", "\"millis\": ");
    }

    @Test
    void inspectsTheMasterASentinelNames(EmbeddedSentinel sentinel) {
        String model = model();
        store(sentinel.url(), KeyLayout.LMCACHE, model, 2, 10);
        Cli.Run run = Cli.run("inspect", "--url", sentinel.url(), "--model", model);
        assertThat(run.exitCode()).as("%s", run).isZero();
        assertThat(run.out()).contains("sentinel, 1 master").containsPattern("\\Q" + model + "\\E\\s+2\\s+");
    }

    @Test
    void theRawLayoutsCountValuesAsChunks(EmbeddedRedisCluster cluster) {
        String model = model();
        store(cluster.url(), KeyLayout.SINGLE, model, 7, 64);
        Cli.Run run = Cli.run("inspect", "--url", cluster.url(), "--layout", "single", "--model", model);
        assertThat(run.exitCode()).as("%s", run).isZero();
        assertThat(run.out()).containsPattern("\\Q" + model + "\\E\\s+7\\s+448 B").doesNotContain("Orphans");
    }
}
