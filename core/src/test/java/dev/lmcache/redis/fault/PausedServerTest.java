package dev.lmcache.redis.fault;

import static dev.lmcache.redis.fault.Faults.assertHitsExact;
import static dev.lmcache.redis.fault.Faults.config;
import static dev.lmcache.redis.fault.Faults.eventually;
import static dev.lmcache.redis.fault.Faults.outcome;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lmcache.redis.ChunkKey;
import dev.lmcache.redis.CountingAllocator;
import dev.lmcache.redis.KvCacheException;
import dev.lmcache.redis.KvCacheStore;
import dev.lmcache.redis.KvChunk;
import dev.lmcache.redis.TestChunks;
import dev.lmcache.redis.embedded.EmbeddedRedis;
import dev.lmcache.redis.embedded.Fresh;
import dev.lmcache.redis.embedded.RedisExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The server hangs (SIGSTOP): connections stay open but nothing is answered, as with a stuck
 * server or a network partition.
 */
@ExtendWith(RedisExtension.class)
class PausedServerTest {

    @Test
    void callsToAHungServerTimeOutWithinTheRequestTimeoutAndTheStoreIsHealthyAfterItResumes(@Fresh EmbeddedRedis redis) {
        CountingAllocator allocator = CountingAllocator.heap();
        try (KvCacheStore store = KvCacheStore.open(config(redis.url()).build(), allocator)) {
            List<ChunkKey> keys = TestChunks.keys("fault/pause", 20);
            List<KvChunk> chunks = TestChunks.chunks(20, 64 * 1024);
            store.sync().batchedPut(keys, chunks);
            ChunkKey extra = TestChunks.key("fault/pause");

            redis.pause();
            long start = System.nanoTime();
            Map<String, CompletableFuture<?>> calls = Map.of(
                    "batchedGet", store.batchedGet(keys),
                    "get", store.get(keys.get(0)),
                    "batchedPut", store.batchedPut(List.of(extra), List.of(chunks.get(0))),
                    "exists", store.exists(keys.get(1)),
                    "batchedContains", store.batchedContains(keys),
                    "ping", store.ping());
            try {
                calls.forEach((name, f) -> {
                    Throwable t = outcome(f, Faults.REQUEST_TIMEOUT.plusSeconds(3));
                    assertThat(t).as("%s against a hung server", name).isInstanceOf(KvCacheException.class);
                    assertThat(Faults.messages(t)).as("%s says it timed out", name).contains("timed out");
                });
                long elapsedMs = (System.nanoTime() - start) / 1_000_000;
                assertThat(elapsedMs).as("all calls ended about one request timeout after they were made")
                        .isLessThan(Faults.REQUEST_TIMEOUT.toMillis() + 3000);
            } finally {
                redis.resume();
            }

            eventually(Duration.ofSeconds(10), () -> store.sync().ping());
            assertThat(assertHitsExact(store.sync().batchedGet(keys), chunks)).isEqualTo(20);
            int delivered = 20;
            assertThat(allocator.allocated.get() - allocator.released.get())
                    .as("every buffer is either in a chunk returned to the caller or given back, even for replies"
                            + " that arrived after their read had timed out")
                    .isEqualTo(delivered);
        }
    }
}
