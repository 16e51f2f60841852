package dev.lmcache.redis.fault;

import static dev.lmcache.redis.fault.Faults.assertSameChunk;
import static dev.lmcache.redis.fault.Faults.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lmcache.redis.ChunkKey;
import dev.lmcache.redis.ConfigException;
import dev.lmcache.redis.KvCacheException;
import dev.lmcache.redis.KvCacheStore;
import dev.lmcache.redis.KvChunk;
import dev.lmcache.redis.StoreConfig;
import dev.lmcache.redis.TestChunks;
import dev.lmcache.redis.embedded.EmbeddedRedis;
import dev.lmcache.redis.embedded.RedisExtension;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Bad input is rejected with an exception naming the problem, before anything is sent: a chunk
 * stored earlier under the same key is still intact afterwards.
 */
@ExtendWith(RedisExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputTest {
    private KvCacheStore store;
    private ChunkKey stored;
    private final KvChunk original = TestChunks.chunk(4096, 1);
    private final KvChunk replacement = TestChunks.chunk(4096, 2);

    @BeforeAll
    void open(EmbeddedRedis redis) {
        store = KvCacheStore.open(config(redis.url()).build());
    }

    @AfterAll
    void close() {
        store.close();
    }

    @BeforeEach
    void storeOriginal() {
        stored = TestChunks.key("fault/bad-input");
        store.sync().put(stored, original);
    }

    private void assertOriginalIntact() {
        assertSameChunk(store.sync().get(stored).orElseThrow(), original, stored);
    }

    @Test
    void nullKeysListsAndChunksAreRejectedNamingTheArgument() {
        assertThatThrownBy(() -> store.sync().batchedGet(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("keys is null");
        assertThatThrownBy(() -> store.sync().batchedPut(Arrays.asList(stored, null), List.of(replacement, replacement)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keys[1] is null");
        assertThatThrownBy(() -> store.sync().batchedPut(List.of(stored), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("chunks is null");
        assertThatThrownBy(() -> store.sync().batchedPut(List.of(stored), Arrays.asList((KvChunk) null)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("chunks[0]").hasMessageContaining(stored.toString());
        assertThatThrownBy(() -> store.sync().put(null, replacement)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("key is null");
        assertThatThrownBy(() -> store.sync().get(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("key is null");
        assertOriginalIntact();
    }

    @Test
    void emptyBatchesAreValidNoOps() {
        assertThat(store.sync().batchedGet(List.of())).isEmpty();
        assertThat(store.sync().batchedContains(List.of())).isZero();
        assertThat(store.sync().batchedGetNonBlocking(List.of())).isEmpty();
        store.sync().batchedPut(List.of(), List.of());
        assertOriginalIntact();
    }

    @Test
    void listsOfDifferentLengthsAreRejectedAndNoChunkOfTheBatchIsWritten() {
        ChunkKey other = TestChunks.key("fault/bad-input");
        assertThatThrownBy(() -> store.sync().batchedPut(List.of(stored, other), List.of(replacement)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2 keys but 1 chunks");
        assertOriginalIntact();
        assertThat(store.sync().exists(other)).isFalse();
    }

    @Test
    void malformedKeyStringsAreRejectedNamingThePartAndTheAcceptedForm() {
        assertThatThrownBy(() -> ChunkKey.parse("model@1@0")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("model@1@0").hasMessageContaining("model@world_size@worker_id@chunk_hash@dtype");
        assertThatThrownBy(() -> ChunkKey.parse("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ChunkKey.of("", 1, 0, 1, "bfloat16")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("model");
        assertThatThrownBy(() -> ChunkKey.parse("m@zero@0@1a@bfloat16")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("zero");
        assertThatThrownBy(() -> ChunkKey.parse("m@1@0@XYZ@bfloat16")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("XYZ");
        assertThatThrownBy(() -> ChunkKey.parse("m@1@0@1a@notatype")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("notatype");
        assertThatThrownBy(() -> ChunkKey.parse(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void aChunkLargerThanTheServerAcceptsIsRejectedBeforeAnythingIsSent() {
        try (EmbeddedRedis small = EmbeddedRedis.builder().config("proto-max-bulk-len", "1mb").start();
             KvCacheStore s = KvCacheStore.open(config(small.url()).build())) {
            ChunkKey kept = TestChunks.key("fault/bad-input");
            s.sync().put(kept, original);
            ChunkKey big = TestChunks.key("fault/bad-input");
            KvChunk twoMib = TestChunks.chunk(2 * 1024 * 1024, 3);

            assertThatThrownBy(() -> s.sync().batchedPut(List.of(kept, big), List.of(replacement, twoMib)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(big.toString())
                    .hasMessageContaining("2097152 bytes")
                    .hasMessageContaining("1048576")
                    .hasMessageContaining("proto-max-bulk-len");
            assertThatThrownBy(() -> s.sync().put(big, twoMib)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("proto-max-bulk-len");
            assertSameChunk(s.sync().get(kept).orElseThrow(), original, "the other chunk of the rejected batch");
            assertThat(s.sync().exists(big)).isFalse();
            assertThat(s.stats().bytesWritten()).as("only the first put went out").isEqualTo(original.length());
        }
    }

    @Test
    void invalidUrlsAndSettingsFailWithAConfigExceptionNamingTheSetting() {
        assertThatThrownBy(() -> StoreConfig.fromUrl("http://localhost:6379")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("remote_url").hasMessageContaining("http");
        assertThatThrownBy(() -> StoreConfig.fromUrl("redis://localhost:99999")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("remote_url").hasMessageContaining("99999");
        assertThatThrownBy(() -> KvCacheStore.open("redis-cluster://localhost:7000/3")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("database");
        assertThatThrownBy(() -> StoreConfig.builder().requestTimeout(Duration.ZERO)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("requestTimeout");
        assertThatThrownBy(() -> StoreConfig.builder().maxInflightBytes(1000)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("maxInflightBytes");
        assertThatThrownBy(() -> StoreConfig.fromMap(Map.of("remote_url", "redis://localhost:6379",
                "extra_config", Map.of("redis_mode", "bogus")))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("redis_mode").hasMessageContaining("bogus");
        assertThatThrownBy(() -> StoreConfig.fromMap(Map.of("remote_url", "redis://localhost:6379",
                "extra_config", Map.of("max_inflight_bytes", "lots")))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("max_inflight_bytes");
        assertThatThrownBy(() -> StoreConfig.builder().url("redis://localhost:6379")
                .tlsCaFile(java.nio.file.Path.of("/nonexistent/ca.pem")).build()).isInstanceOf(ConfigException.class)
                .hasMessageContaining("tls");
    }

    @Test
    void callsAfterCloseFailNamingTheReasonAndLeaveTheDataAlone() {
        KvCacheStore s = KvCacheStore.open(store.config());
        s.close();
        assertThatThrownBy(() -> s.sync().put(stored, replacement)).isInstanceOf(KvCacheException.class)
                .hasMessageContaining("closed");
        assertThatThrownBy(() -> s.sync().get(stored)).isInstanceOf(KvCacheException.class).hasMessageContaining("closed");
        assertOriginalIntact();
    }
}
