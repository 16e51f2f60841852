package dev.lmcache.redis.fault;

import static dev.lmcache.redis.TestChunks.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.lmcache.redis.ChunkKey;
import dev.lmcache.redis.ChunkMetadata;
import dev.lmcache.redis.KeyLayout;
import dev.lmcache.redis.KvCacheStore;
import dev.lmcache.redis.KvChunk;
import dev.lmcache.redis.RawRedis;
import dev.lmcache.redis.StoreConfig;
import dev.lmcache.redis.TestChunks;
import dev.lmcache.redis.embedded.EmbeddedRedis;
import dev.lmcache.redis.embedded.EmbeddedRedisCluster;
import dev.lmcache.redis.embedded.RedisExtension;
import dev.lmcache.redis.KeyNaming;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Values that someone else wrote under the store's key names and that cannot be a chunk: each is
 * a miss plus a warning naming the key, never an exception and never wrong bytes.
 */
@ExtendWith(RedisExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CorruptValuesTest {
    private static final int SIZE = 4096;
    /** The engine (package dev.lmcache.redis.batch) logs invalid values; its classes are package-private. */
    private static final String ENGINE_LOGGER = "dev.lmcache.redis.batch";

    private String url;
    private String clusterUrl;
    private KvCacheStore store;
    private RawRedis raw;
    private final KeyNaming naming = KeyNaming.of(KeyLayout.LMCACHE, false, null);

    /** One way of planting a bad chunk under a key: (raw connection, key). */
    private record Corruption(String name, BiConsumer<Planter, ChunkKey> plant) {
    }

    /** Writes raw values under a naming's key names. */
    private record Planter(RawRedis raw, KeyNaming naming) {
        void meta(ChunkKey k, byte[] v) {
            raw.set(naming.metadataKey(k), v);
        }

        void data(ChunkKey k, byte[] v) {
            raw.set(naming.dataKey(k), v);
        }
    }

    private static byte[] header(int length) {
        return KvChunkHeaders.binary(length);
    }

    private static final List<Corruption> CORRUPTIONS = List.of(
            new Corruption("truncated header", (p, k) -> {
                p.data(k, random(SIZE, 1));
                p.meta(k, Arrays.copyOf(header(SIZE), 10));
            }),
            new Corruption("empty header", (p, k) -> {
                p.data(k, random(SIZE, 2));
                p.meta(k, new byte[0]);
            }),
            new Corruption("header length larger than the data", (p, k) -> {
                p.data(k, random(SIZE, 3));
                p.meta(k, header(SIZE + 1));
            }),
            new Corruption("data truncated", (p, k) -> {
                p.data(k, random(SIZE - 100, 4));
                p.meta(k, header(SIZE));
            }),
            new Corruption("negative length", (p, k) -> {
                p.data(k, random(SIZE, 5));
                p.meta(k, KvChunkHeaders.withLength(header(SIZE), -5));
            }),
            new Corruption("unknown dtype code", (p, k) -> {
                p.data(k, random(SIZE, 6));
                p.meta(k, KvChunkHeaders.withDtype(header(SIZE), 999));
            }),
            new Corruption("garbage header", (p, k) -> {
                p.data(k, random(SIZE, 7));
                p.meta(k, random(28, 8));
            }),
            new Corruption("metadata key is a list", (p, k) -> {
                p.data(k, random(SIZE, 9));
                p.raw().cmd().rpush(RawRedis.b(p.naming().metadataKey(k)), header(SIZE));
            }),
            new Corruption("data key is a list", (p, k) -> {
                p.raw().cmd().rpush(RawRedis.b(p.naming().dataKey(k)), random(SIZE, 10));
                p.meta(k, header(SIZE));
            }),
            new Corruption("data key is a hash", (p, k) -> {
                p.raw().cmd().hset(RawRedis.b(p.naming().dataKey(k)), RawRedis.b("f"), random(SIZE, 11));
                p.meta(k, header(SIZE));
            }));

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    @BeforeAll
    void servers(EmbeddedRedis redis, EmbeddedRedisCluster cluster) {
        url = redis.url();
        clusterUrl = cluster.url();
        store = KvCacheStore.open(Faults.config(url).keyLayout(KeyLayout.LMCACHE).build());
        raw = RawRedis.open(url);
    }

    @AfterAll
    void close() throws Exception {
        store.close();
        raw.close();
    }

    /** The one corruption MGET cannot tell from a missing key: it answers nil for a key of another type. */
    private static final String METADATA_LIST = "metadata key is a list";

    @Test
    void eachKindOfCorruptValueIsAMissWithAWarningNamingTheKeyWhenReadWithGets() {
        // a store that has written a value of 64 KiB or more reads with GETs (values may be diverted)
        try (KvCacheStore gets = KvCacheStore.open(Faults.config(url).keyLayout(KeyLayout.LMCACHE).build())) {
            gets.sync().put(TestChunks.key("fault/corrupt-large"), TestChunks.chunk(64 * 1024, 1));
            long mgetsBefore = calls(raw, "mget");
            Planter planter = new Planter(raw, naming);
            for (Corruption c : CORRUPTIONS) {
                ChunkKey k = TestChunks.key("fault/corrupt");
                c.plant().accept(planter, k);
                long invalidBefore = gets.stats().invalidValues();
                try (LogCapture log = LogCapture.of(ENGINE_LOGGER, Level.WARN)) {
                    readThreeWays(gets, k, c);
                    assertThat(log.messages(Level.WARN)).as("warnings for %s", c.name())
                            .hasSize(3).allSatisfy(m -> assertThat(m).contains(k.toString()));
                }
                assertThat(gets.stats().invalidValues() - invalidBefore).as(c.name()).isEqualTo(3);
            }
            assertThat(calls(raw, "mget")).as("no MGET sent").isEqualTo(mgetsBefore);
        }
    }

    @Test
    void eachKindOfCorruptValueIsAMissWhenReadWithMgetAndOnlyAMetadataKeyOfAnotherTypeGoesUnwarned() {
        // a store that has seen only small values reads a chunk's two keys with one MGET
        try (KvCacheStore mget = KvCacheStore.open(Faults.config(url).keyLayout(KeyLayout.LMCACHE).build())) {
            mget.sync().put(TestChunks.key("fault/corrupt-small"), TestChunks.chunk(SIZE, 1));
            Planter planter = new Planter(raw, naming);
            for (Corruption c : CORRUPTIONS) {
                ChunkKey k = TestChunks.key("fault/corrupt");
                c.plant().accept(planter, k);
                long invalidBefore = mget.stats().invalidValues();
                long missesBefore = mget.stats().misses();
                long mgetsBefore = calls(raw, "mget");
                try (LogCapture log = LogCapture.of(ENGINE_LOGGER, Level.WARN)) {
                    readThreeWays(mget, k, c);
                    int warned = c.name().equals(METADATA_LIST) ? 0 : 3;
                    assertThat(log.messages(Level.WARN)).as("warnings for %s", c.name())
                            .hasSize(warned).allSatisfy(m -> assertThat(m).contains(k.toString()));
                    assertThat(mget.stats().invalidValues() - invalidBefore).as(c.name()).isEqualTo(warned);
                }
                assertThat(mget.stats().misses() - missesBefore).as("misses for %s", c.name()).isEqualTo(3);
                assertThat(calls(raw, "mget") - mgetsBefore).as("MGETs for %s", c.name()).isEqualTo(3);
            }
        }
    }

    private static void readThreeWays(KvCacheStore s, ChunkKey k, Corruption c) {
        assertThat(s.sync().get(k)).as(c.name()).isEmpty();
        assertThat(s.sync().batchedGet(List.of(k))).as(c.name()).containsExactly(Optional.empty());
        assertThat(s.sync().batchedGetNonBlocking(List.of(k))).as(c.name()).isEmpty();
    }

    /** How many times the server ran {@code command} (its INFO commandstats), all clients. */
    static long calls(RawRedis r, String command) {
        String info = r.cmd().info("commandstats");
        for (String line : info.split("\r?\n")) {
            if (line.startsWith("cmdstat_" + command + ":calls=")) {
                String n = line.substring(("cmdstat_" + command + ":calls=").length());
                return Long.parseLong(n.substring(0, n.indexOf(',')));
            }
        }
        return 0;
    }

    @Test
    void aRawLayoutValueOfTheWrongSizeIsAMissWithAWarningAndOneOfAnotherTypeAMissWarnedOnlyWhenReadAlone() {
        StoreConfig config = Faults.config(url).keyLayout(KeyLayout.SINGLE).chunkSizeTokens(16)
                .singleChunkShape(List.of(2, 2, 16, 64)).singleChunkDtype("bfloat16").build();
        KeyNaming single = KeyNaming.of(KeyLayout.SINGLE, false, null);
        try (KvCacheStore s = KvCacheStore.open(config);
             LogCapture log = LogCapture.of(ENGINE_LOGGER, Level.WARN)) {
            ChunkKey shortValue = TestChunks.key("fault/corrupt-raw");
            ChunkKey listValue = TestChunks.key("fault/corrupt-raw");
            raw.set(single.dataKey(shortValue), random(8192 - 1, 12));
            raw.cmd().rpush(RawRedis.b(single.dataKey(listValue)), random(8192, 13));
            long mgetsBefore = calls(raw, "mget");
            // a batch of small raw values is one MGET, which answers nil for the list
            assertThat(s.sync().batchedGet(List.of(shortValue, listValue))).containsExactly(Optional.empty(), Optional.empty());
            assertThat(calls(raw, "mget") - mgetsBefore).isEqualTo(1);
            assertThat(log.messages(Level.WARN)).singleElement()
                    .satisfies(m -> assertThat(m).contains(shortValue.toString()).contains("8191"));
            assertThat(s.stats().invalidValues()).isEqualTo(1);
            // one key alone is a GET, which names the type
            assertThat(s.sync().get(listValue)).isEmpty();
            assertThat(log.messages(Level.WARN)).anySatisfy(m -> assertThat(m).contains(listValue.toString()).contains("not a string"));
            assertThat(s.stats().invalidValues()).isEqualTo(2);
        }
    }

    @Test
    void aBatchOfAHundredCorruptKeysAmongValidOnesDoesNotThrowAndReturnsOnlyTheValidChunks() throws Exception {
        checkHundred(store, raw, naming);
    }

    @Test
    void aBatchOfAHundredCorruptKeysInAClusterDoesNotThrowAndReturnsOnlyTheValidChunks() throws Exception {
        try (KvCacheStore s = KvCacheStore.open(Faults.config(clusterUrl).keyLayout(KeyLayout.LMCACHE).build());
             RawRedis r = RawRedis.open(clusterUrl)) {
            checkHundred(s, r, KeyNaming.of(KeyLayout.LMCACHE, true, null));
        }
    }

    private static void checkHundred(KvCacheStore s, RawRedis r, KeyNaming n) {
        Planter planter = new Planter(r, n);
        List<ChunkKey> keys = new ArrayList<>();
        List<KvChunk> expected = new ArrayList<>();
        List<ChunkKey> corrupt = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            ChunkKey bad = TestChunks.key("fault/corrupt-batch");
            Corruption c = CORRUPTIONS.get(i % CORRUPTIONS.size());
            c.plant().accept(planter, bad);
            keys.add(bad);
            expected.add(null);
            if (!c.name().equals(METADATA_LIST)) {
                // read with MGET (the batch is of small values), that one is a miss without a warning
                corrupt.add(bad);
            }
            if (i % 4 == 0) {
                ChunkKey good = TestChunks.key("fault/corrupt-batch");
                KvChunk chunk = TestChunks.chunk(SIZE, i);
                s.sync().put(good, chunk);
                keys.add(good);
                expected.add(chunk);
            }
        }
        try (LogCapture log = LogCapture.of(ENGINE_LOGGER, Level.WARN)) {
            List<Optional<KvChunk>> got = s.sync().batchedGet(keys);
            assertThat(got).hasSize(keys.size());
            for (int i = 0; i < keys.size(); i++) {
                if (expected.get(i) == null) {
                    assertThat(got.get(i)).as("corrupt %s", keys.get(i)).isEmpty();
                } else {
                    assertThat(bytes(got.get(i).orElseThrow().data())).as("valid %s", keys.get(i))
                            .isEqualTo(bytes(expected.get(i).data()));
                }
            }
            String warnings = String.join("\n", log.messages(Level.WARN));
            for (ChunkKey k : corrupt) {
                assertThat(warnings).contains(k.toString());
            }
            assertThat(s.sync().batchedGetNonBlocking(keys)).as("the prefix ends at the first (corrupt) key").isEmpty();
        }
    }

    /** Builds headers, intact or with one field overwritten. */
    static final class KvChunkHeaders {
        static byte[] binary(int length) {
            return ChunkMetadata.binary(length).encode();
        }

        static byte[] withLength(byte[] header, int length) {
            byte[] h = header.clone();
            ByteBuffer.wrap(h).order(ByteOrder.LITTLE_ENDIAN).putInt(0, length);
            return h;
        }

        static byte[] withDtype(byte[] header, int code) {
            byte[] h = header.clone();
            ByteBuffer.wrap(h).order(ByteOrder.LITTLE_ENDIAN).putInt(8, code);
            return h;
        }
    }
}
