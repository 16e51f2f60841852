package dev.lmcache.redis.fault;

import static dev.lmcache.redis.fault.Faults.assertHitsExact;
import static dev.lmcache.redis.fault.Faults.config;
import static dev.lmcache.redis.fault.Faults.eventually;
import static dev.lmcache.redis.fault.Faults.outcome;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lmcache.redis.ChunkKey;
import dev.lmcache.redis.KvCacheException;
import dev.lmcache.redis.KvCacheStore;
import dev.lmcache.redis.KvChunk;
import dev.lmcache.redis.TestChunks;
import dev.lmcache.redis.embedded.Delayed;
import dev.lmcache.redis.embedded.EmbeddedRedis;
import dev.lmcache.redis.embedded.Fresh;
import dev.lmcache.redis.embedded.RedisExtension;
import io.lettuce.core.RedisException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The server process dies (SIGKILL) while batches are in flight, then comes back empty (nothing
 * is persisted). A delay proxy in front of the server (50 ms each way) keeps the batches on the
 * wire long enough to be cut off deterministically.
 */
@ExtendWith(RedisExtension.class)
class ServerKillTest {
    private static final Duration BOUND = Faults.REQUEST_TIMEOUT.plusSeconds(4);

    @Test
    void inFlightBatchesEndWithinTheTimeoutAndTheStoreReconnectsAfterARestart(
            @Fresh @Delayed(oneWayMillis = 50) EmbeddedRedis redis) {
        try (KvCacheStore store = KvCacheStore.open(config(redis.url()).build())) {
            List<ChunkKey> stored = TestChunks.keys("fault/kill", 50);
            List<KvChunk> storedChunks = TestChunks.chunks(50, 64 * 1024);
            store.sync().batchedPut(stored, storedChunks);

            List<ChunkKey> fresh = TestChunks.keys("fault/kill", 50);
            List<KvChunk> freshChunks = TestChunks.chunks(50, 32 * 1024 + 1);
            CompletableFuture<Void> puts = store.batchedPut(fresh, freshChunks);
            CompletableFuture<List<Optional<KvChunk>>> gets = store.batchedGet(stored);
            CompletableFuture<Boolean> exists = store.exists(stored.get(0));
            Faults.sleep(30);
            redis.kill();

            List<Throwable> failures = new ArrayList<>();
            for (CompletableFuture<?> f : List.of(puts, gets, exists)) {
                Throwable t = outcome(f, BOUND);
                if (t != null) {
                    failures.add(t);
                }
            }
            assertThat(failures).as("the server died with all three operations on the wire").isNotEmpty();
            for (Throwable t : failures) {
                assertThat(t).isInstanceOf(KvCacheException.class);
                assertThat(t.getMessage()).as("the error says which chunk and why")
                        .containsAnyOf("fault/kill")
                        .containsAnyOf("timed out", "disconnected", "not connected", "closed", "reset");
                assertThat(t.getCause()).as("the Redis client's own error is kept as the cause").isInstanceOf(RedisException.class);
            }
            if (!gets.isCompletedExceptionally()) {
                assertHitsExact(gets.join(), storedChunks);
            }

            redis.restart();
            eventually(Duration.ofSeconds(15), () -> store.sync().ping());

            List<ChunkKey> after = TestChunks.keys("fault/kill", 50);
            List<KvChunk> afterChunks = TestChunks.chunks(50, 16 * 1024 + 3);
            store.sync().batchedPut(after, afterChunks);
            assertThat(assertHitsExact(store.sync().batchedGet(after), afterChunks)).isEqualTo(50);
            // data written before the crash is gone (nothing persisted): misses, never wrong bytes
            assertHitsExact(store.sync().batchedGet(stored), storedChunks);
            assertHitsExact(store.sync().batchedGet(fresh), freshChunks);
        }
    }

    @Test
    void whileTheServerIsDownCallsFailFastNamingTheProblemAndSucceedOnceItIsBack(@Fresh EmbeddedRedis redis) {
        try (KvCacheStore store = KvCacheStore.open(config(redis.url()).build())) {
            ChunkKey key = TestChunks.key("fault/down");
            KvChunk chunk = TestChunks.chunk(8192, 11);
            store.sync().put(key, chunk);
            redis.kill();

            List<String> names = List.of("get", "put", "exists", "batchedGet", "list", "ping");
            List<CompletableFuture<?>> calls = List.of(store.get(key), store.put(key, chunk), store.exists(key),
                    store.batchedGet(List.of(key)), store.list(null), store.ping());
            for (int i = 0; i < calls.size(); i++) {
                Throwable t = outcome(calls.get(i), BOUND);
                assertThat(t).as("no server: %s fails, it neither reports a miss nor hangs", names.get(i))
                        .isInstanceOf(KvCacheException.class);
                assertThat(Faults.messages(t)).containsAnyOf("not connected", "disconnected", "closed", "refused", "timed out");
            }

            redis.restart();
            eventually(Duration.ofSeconds(15), () -> store.sync().ping());
            assertThat(store.sync().get(key)).as("the restarted server is empty: a miss").isEmpty();
            store.sync().put(key, chunk);
            Faults.assertSameChunk(store.sync().get(key).orElseThrow(), chunk, key);
        }
    }
}
