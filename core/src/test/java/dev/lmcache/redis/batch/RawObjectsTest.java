package dev.lmcache.redis.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lmcache.redis.KvCacheException;
import dev.lmcache.redis.KvCacheStore;
import dev.lmcache.redis.RawObjects;
import dev.lmcache.redis.RawRedis;
import dev.lmcache.redis.StoreConfig;
import dev.lmcache.redis.embedded.EmbeddedRedis;
import dev.lmcache.redis.embedded.EmbeddedRedisCluster;
import dev.lmcache.redis.embedded.Fresh;
import dev.lmcache.redis.embedded.RedisExtension;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The raw-object view: names verbatim, raw bytes, per-name outcomes, on a standalone server and a cluster. */
@ExtendWith(RedisExtension.class)
class RawObjectsTest {

    private static List<byte[]> names(String prefix, int n) {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            // MP object names: they spread over every master of a cluster
            out.add((prefix + "@01000100@0@" + String.format("%064x", i * 7919L)).getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }

    private static ByteBuffer value(int seed, int size) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return ByteBuffer.wrap(b);
    }

    private static <T> List<T> all(List<CompletableFuture<T>> fs) {
        List<T> out = new ArrayList<>();
        for (CompletableFuture<T> f : fs) {
            out.add(f.orTimeout(20, TimeUnit.SECONDS).join());
        }
        return out;
    }

    @Test
    void valuesAreStoredUnderTheirOwnNamesAsRawBytesOnAStandaloneServer(EmbeddedRedis redis) {
        roundTrip(redis.url(), "standalone-roundtrip");
    }

    @Test
    void valuesAreStoredUnderTheirOwnNamesAsRawBytesOnACluster(EmbeddedRedisCluster cluster) {
        roundTrip(cluster.url(), "cluster-roundtrip");
    }

    private void roundTrip(String url, String prefix) {
        int n = 40;
        int size = 3000;
        List<byte[]> names = names(prefix, n);
        List<ByteBuffer> values = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            values.add(value(i, size));
        }
        try (KvCacheStore store = KvCacheStore.open(url); RawRedis raw = RawRedis.open(url)) {
            RawObjects objects = store.objects();
            all(objects.put(names, values));
            for (int i = 0; i < n; i++) {
                // exactly the name given, exactly the bytes given: no header, no prefix, no layout
                assertThat(raw.cmd().get(names.get(i))).isEqualTo(values.get(i).array());
                assertThat(values.get(i).position()).isZero();
            }
            List<Optional<ByteBuffer>> got = all(objects.get(names, size));
            for (int i = 0; i < n; i++) {
                ByteBuffer expected = ByteBuffer.wrap(values.get(i).array());
                assertThat(got.get(i)).hasValueSatisfying(b -> assertThat(b).isEqualTo(expected));
            }
            List<byte[]> mixed = new ArrayList<>(names.subList(0, 3));
            mixed.add((prefix + "-absent").getBytes(StandardCharsets.UTF_8));
            assertThat(all(objects.exists(mixed))).containsExactly(true, true, true, false);
            assertThat(all(objects.delete(mixed))).containsExactly(true, true, true, false);
            assertThat(all(objects.exists(names.subList(0, 4)))).containsExactly(false, false, false, true);
            assertThat(all(objects.get(names.subList(0, 4), RawObjects.ANY_SIZE)).get(0)).isEmpty();
        }
    }

    @Test
    void aValueOfAnotherSizeThanExpectedIsAMissAndAnySizeReadsIt(EmbeddedRedisCluster cluster) {
        List<byte[]> names = names("wrong-size", 2);
        try (KvCacheStore store = KvCacheStore.open(cluster.url()); RawRedis raw = RawRedis.open(cluster.url())) {
            raw.cmd().set(names.get(0), new byte[100]);
            raw.cmd().set(names.get(1), new byte[128]);
            List<Optional<ByteBuffer>> got = all(store.objects().get(names, 128));
            assertThat(got.get(0)).isEmpty();
            assertThat(got.get(1)).hasValueSatisfying(b -> assertThat(b.remaining()).isEqualTo(128));
            assertThat(all(store.objects().get(names, RawObjects.ANY_SIZE)).get(0))
                    .hasValueSatisfying(b -> assertThat(b.remaining()).isEqualTo(100));
            assertThat(store.stats().invalidValues()).isEqualTo(1);
        }
    }

    @Test
    void aKeyHoldingAListIsAMissNotAFailure(EmbeddedRedis redis) {
        byte[] name = "raw-list-key".getBytes(StandardCharsets.UTF_8);
        try (KvCacheStore store = KvCacheStore.open(redis.url()); RawRedis raw = RawRedis.open(redis.url())) {
            raw.cmd().del(name);
            raw.cmd().rpush(name, new byte[] {1});
            assertThat(all(store.objects().get(List.of(name), RawObjects.ANY_SIZE))).containsExactly(Optional.empty());
        }
    }

    @Test
    void writesUseTheStoresTtlUnlessGivenOne(EmbeddedRedis redis) {
        byte[] name = "raw-ttl-key".getBytes(StandardCharsets.UTF_8);
        StoreConfig config = StoreConfig.builder().url(redis.url()).ttlSeconds(500).build();
        try (KvCacheStore store = KvCacheStore.open(config); RawRedis raw = RawRedis.open(redis.url())) {
            all(store.objects().put(List.of(name), List.of(value(1, 10))));
            assertThat(raw.cmd().ttl(name)).isBetween(490L, 500L);
            all(store.objects().put(List.of(name), List.of(value(1, 10)), 0));
            assertThat(raw.cmd().ttl(name)).isEqualTo(-1L);
            all(store.objects().put(List.of(name), List.of(value(1, 10)), 30));
            assertThat(raw.cmd().ttl(name)).isBetween(25L, 30L);
        }
    }

    @Test
    void largeDirectValuesRoundTripWithoutCopies(EmbeddedRedis redis) {
        int size = 1 << 20;
        List<byte[]> names = names("raw-large", 4);
        List<ByteBuffer> values = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            ByteBuffer d = ByteBuffer.allocateDirect(size);
            d.put(value(i, size)).flip();
            values.add(d);
        }
        try (KvCacheStore store = KvCacheStore.open(redis.url())) {
            all(store.objects().put(names, values));
            List<Optional<ByteBuffer>> got = all(store.objects().get(names, size));
            for (int i = 0; i < names.size(); i++) {
                assertThat(got.get(i).orElseThrow()).isEqualTo(values.get(i));
            }
        }
    }

    @Test
    void anUnreachableServerFailsEachNamePromptlyAndTheViewRecovers(@Fresh EmbeddedRedis redis) {
        List<byte[]> names = names("raw-down", 3);
        StoreConfig config = StoreConfig.builder().url(redis.url()).requestTimeout(Duration.ofMillis(500)).build();
        try (KvCacheStore store = KvCacheStore.open(config)) {
            all(store.objects().put(names, List.of(value(1, 8), value(2, 8), value(3, 8))));
            redis.kill();
            long start = System.nanoTime();
            List<CompletableFuture<Optional<ByteBuffer>>> fs = store.objects().get(names, 8);
            for (CompletableFuture<Optional<ByteBuffer>> f : fs) {
                assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(KvCacheException.class);
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            redis.restart();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (true) {
                try {
                    all(store.objects().put(names.subList(0, 1), List.of(value(9, 8))));
                    break;
                } catch (CompletionException e) {
                    if (System.nanoTime() > deadline) {
                        throw e;
                    }
                }
            }
            assertThat(all(store.objects().get(names.subList(0, 1), 8)).get(0).orElseThrow())
                    .isEqualTo(value(9, 8));
        }
    }

    @Test
    void invalidArgumentsAreRefusedBeforeAnythingIsSent(EmbeddedRedis redis) {
        try (KvCacheStore store = KvCacheStore.open(redis.url())) {
            RawObjects o = store.objects();
            assertThatThrownBy(() -> o.get(null, 1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("names is null");
            assertThatThrownBy(() -> o.get(Arrays.asList(new byte[0]), 1)).hasMessageContaining("names[0] is empty");
            assertThatThrownBy(() -> o.get(List.of(new byte[] {1}), -2)).hasMessageContaining("expectedSize is -2");
            assertThatThrownBy(() -> o.put(List.of(new byte[] {1}), List.of())).hasMessageContaining("1 names but 0 values");
        }
    }

    @Test
    void aClosedStoreFailsEveryName(EmbeddedRedis redis) {
        KvCacheStore store = KvCacheStore.open(redis.url());
        store.close();
        assertThatThrownBy(() -> store.objects().exists(names("closed", 1)).get(0).join())
                .hasCauseInstanceOf(KvCacheException.class).hasMessageContaining("closed");
    }
}
