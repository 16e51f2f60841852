package dev.lmcache.redis.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lmcache.redis.ChunkKey;
import dev.lmcache.redis.ChunkMetadata;
import dev.lmcache.redis.KvCacheStore;
import dev.lmcache.redis.KvChunk;
import dev.lmcache.redis.KvDtype;
import dev.lmcache.redis.MemoryFormat;
import dev.lmcache.redis.StoreConfig;
import dev.lmcache.redis.embedded.EmbeddedRedis;
import dev.lmcache.redis.embedded.EmbeddedRedisCluster;
import dev.lmcache.redis.embedded.RedisExtension;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(RedisExtension.class)
class ChunkCommandsTest {
    private static final AtomicLong HASH = new AtomicLong(System.nanoTime() & 0xffffffffL);

    @TempDir
    Path dir;

    /** A key no other test uses. */
    private static String key(String model) {
        return "cli-chunks/" + model + "@1@0@" + Long.toHexString(HASH.incrementAndGet() * 7919) + "@bfloat16";
    }

    private Path file(String name, int size) throws Exception {
        byte[] b = new byte[size];
        new Random(size * 31L + name.hashCode()).nextBytes(b);
        return Files.write(dir.resolve(name), b);
    }

    @Test
    void putThenGetReturnsIdenticalBytesAndMetadata(EmbeddedRedis redis) throws Exception {
        String key = key("roundtrip");
        Path in = file("in.bin", 2 * 2 * 16 * 64 * 2);
        Cli.Run put = Cli.run("put", key, "--in", in.toString(), "--shape", "2,2,16,64", "--dtype", "half",
                "--url", redis.url());
        assertThat(put.exitCode()).as("%s", put).isZero();
        assertThat(put.out()).contains("Stored " + key).contains("dtype:  half, shape [2, 2, 16, 64]");

        Path out = dir.resolve("out.bin");
        Cli.Run get = Cli.run("get", key, "--out", out.toString(), "--url", redis.url());
        assertThat(get.exitCode()).as("%s", get).isZero();
        assertThat(Files.readAllBytes(out)).isEqualTo(Files.readAllBytes(in));
        assertThat(get.out()).contains("length: 8192 bytes").contains("fmt:    1 (KV_2LTD)")
                .contains("dtype:  half, shape [2, 2, 16, 64]");

        // What a library reader (e.g. a Python LMCache peer through the same format) sees.
        try (KvCacheStore store = KvCacheStore.open(redis.url())) {
            KvChunk chunk = store.sync().get(ChunkKey.parse(key)).orElseThrow();
            assertThat(chunk.metadata()).isEqualTo(ChunkMetadata.of(KvDtype.FLOAT16, MemoryFormat.KV_2LTD, 2, 2, 16, 64));
        }
    }

    @Test
    void putStoresSeveralTensorGroupsPairedByOrder(EmbeddedRedisCluster cluster) throws Exception {
        String key = key("groups");
        Path in = file("mla.bin", 1 * 4 * 16 * 32 * 2 + 1 * 4 * 16 * 8 * 4);
        Cli.Run put = Cli.run("put", key, "--in", in.toString(), "--shape", "1,4,16,32", "--dtype", "bfloat16",
                "--shape", "1,4,16,8", "--dtype", "float", "--fmt", "KV_MLA_FMT", "--url", cluster.url());
        assertThat(put.exitCode()).as("%s", put).isZero();
        try (KvCacheStore store = KvCacheStore.open(cluster.url())) {
            KvChunk chunk = store.sync().get(ChunkKey.parse(key)).orElseThrow();
            assertThat(chunk.metadata().fmt()).isEqualTo(MemoryFormat.KV_MLA_FMT.code());
            assertThat(chunk.metadata().groups()).containsExactly(
                    ChunkMetadata.TensorGroup.of(KvDtype.BFLOAT16, 1, 4, 16, 32),
                    ChunkMetadata.TensorGroup.of(KvDtype.FLOAT32, 1, 4, 16, 8));
            byte[] bytes = new byte[chunk.length()];
            chunk.data().duplicate().get(bytes);
            assertThat(bytes).isEqualTo(Files.readAllBytes(in));
        }
    }

    @Test
    void getWritesTheMetadataAsJson(EmbeddedRedis redis) throws Exception {
        String key = key("json");
        Path in = file("bin.bin", 100);
        assertThat(Cli.run("put", key, "--in", in.toString(), "--binary", "--url", redis.url()).exitCode()).isZero();
        Path json = dir.resolve("get.json");
        Cli.Run get = Cli.run("get", key, "--url", redis.url(), "--json", json.toString());
        assertThat(get.exitCode()).as("%s", get).isZero();
        assertThat(Files.readString(json)).contains("\"key\": \"" + key + "\"", "\"found\": true",
                "\"layout\": \"lmcache\"", "\"redisKeys\": [\"" + key + "metadata\", \"" + key + "kv_bytes\"]",
                "\"length\": 100", "\"fmt\": 5", "\"fmtName\": \"BINARY_BUFFER\"", "\"dtype\": \"none\"",
                "\"shape\": [100, 0, 0, 0]", "\"out\": null", "\"millis\": ");
    }

    @Test
    void getOfAMissingKeyExitsWithOneAndNotFound(EmbeddedRedis redis, @TempDir Path tmp) throws Exception {
        String key = key("missing");
        Path json = tmp.resolve("miss.json");
        Cli.Run get = Cli.run("get", key, "--url", redis.url(), "--out", tmp.resolve("x").toString(), "--json",
                json.toString());
        assertThat(get.exitCode()).isEqualTo(1);
        assertThat(get.err()).contains("not found: " + key);
        assertThat(get.out()).isEmpty();
        assertThat(tmp.resolve("x")).doesNotExist();
        assertThat(Files.readString(json)).contains("\"found\": false");
    }

    @Test
    void existsAnswersWithItsExitStatusLikeTest(EmbeddedRedis redis) throws Exception {
        String key = key("exists");
        Cli.Run absent = Cli.run("exists", key, "--url", redis.url());
        assertThat(absent.exitCode()).isEqualTo(1);
        assertThat(absent.out().trim()).isEqualTo("false");

        assertThat(Cli.run("put", key, "--in", file("e.bin", 10).toString(), "--binary", "--url", redis.url())
                .exitCode()).isZero();
        Cli.Run present = Cli.run("exists", key, "--url", redis.url());
        assertThat(present.exitCode()).isZero();
        assertThat(present.out().trim()).isEqualTo("true");

        Cli.Run unreachable = Cli.run("exists", key, "--url", "redis://127.0.0.1:1");
        assertThat(unreachable.exitCode()).as("an error must not read as 'absent'").isEqualTo(2);
    }

    @Test
    void deleteRemovesTheChunkAndIsIdempotent(EmbeddedRedis redis) throws Exception {
        String key = key("delete");
        assertThat(Cli.run("put", key, "--in", file("d.bin", 10).toString(), "--binary", "--url", redis.url())
                .exitCode()).isZero();
        Cli.Run first = Cli.run("delete", key, "--url", redis.url());
        assertThat(first.exitCode()).isZero();
        assertThat(first.out()).contains("Deleted " + key);
        assertThat(Cli.run("exists", key, "--url", redis.url()).exitCode()).isEqualTo(1);
        Cli.Run second = Cli.run("delete", key, "--url", redis.url());
        assertThat(second.exitCode()).isZero();
        assertThat(second.out()).contains("Nothing to delete");
    }

    @Test
    void aFileOfAnotherSizeThanTheGeometryIsRefusedNamingBothSizes(EmbeddedRedis redis) throws Exception {
        String key = key("size");
        Path in = file("wrong.bin", 1000);
        Cli.Run put = Cli.run("put", key, "--in", in.toString(), "--shape", "2,32,256,1024", "--url", redis.url());
        assertThat(put.exitCode()).isEqualTo(1);
        assertThat(put.err()).contains("is 1000 bytes but bfloat16 [2, 32, 256, 1024] is 33554432 bytes");
        assertThat(Cli.run("exists", key, "--url", redis.url()).exitCode()).isEqualTo(1);
    }

    @Test
    void optionProblemsAreUsageErrors(EmbeddedRedis redis) throws Exception {
        Path in = file("u.bin", 8);
        String key = key("usage");
        assertThat(Cli.run("put", "not-a-key", "--in", in.toString(), "--binary", "--url", redis.url()).exitCode())
                .isEqualTo(2);
        assertThat(Cli.run("put", key, "--in", in.toString(), "--url", redis.url()).err())
                .contains("give the chunk's --shape and --dtype");
        Cli.Run both = Cli.run("put", key, "--in", in.toString(), "--binary", "--shape", "8", "--url", redis.url());
        assertThat(both.exitCode()).isEqualTo(2);
        assertThat(both.err()).contains("--binary takes no --shape");
        Cli.Run unpaired = Cli.run("put", key, "--in", in.toString(), "--shape", "4", "--shape", "2", "--dtype",
                "half", "--url", redis.url());
        assertThat(unpaired.exitCode()).isEqualTo(2);
        assertThat(unpaired.err()).contains("2 --shape but 1 --dtype");
        Cli.Run geometryOnGet = Cli.run("get", key, "--shape", "4", "--url", redis.url());
        assertThat(geometryOnGet.exitCode()).isEqualTo(2);
        assertThat(geometryOnGet.err()).contains("apply to get only with the raw layouts");
    }

    @Test
    void theLegacyOptionAcceptsTheOlderKeyForm(EmbeddedRedis redis) throws Exception {
        String legacy = "vllm@" + key("legacy").replace("@bfloat16", "@fp8_e4m3");
        Path in = file("l.bin", 8);
        assertThat(Cli.run("put", legacy, "--in", in.toString(), "--binary", "--url", redis.url()).exitCode())
                .isEqualTo(2);
        Cli.Run put = Cli.run("put", legacy, "--legacy", "--in", in.toString(), "--binary", "--url", redis.url());
        assertThat(put.exitCode()).as("%s", put).isZero();
        assertThat(put.out()).contains("redis keys: " + legacy + "metadata, " + legacy + "kv_bytes");
        assertThat(Cli.run("get", legacy, "--legacy", "--url", redis.url()).exitCode()).isZero();
    }

    @Test
    void theSingleLayoutStoresTheRawValueAndReadsItWithTheGivenGeometry(EmbeddedRedis redis) throws Exception {
        String key = key("single");
        Path in = file("raw.bin", 2 * 2 * 16 * 8 * 2);
        Cli.Run put = Cli.run("put", key, "--in", in.toString(), "--shape", "2,2,16,8", "--dtype", "bfloat16",
                "--layout", "single", "--url", redis.url());
        assertThat(put.exitCode()).as("%s", put).isZero();
        assertThat(put.out()).contains("redis keys: " + key + "\n");

        Cli.Run untyped = Cli.run("get", key, "--layout", "single", "--url", redis.url());
        assertThat(untyped.exitCode()).as("%s", untyped).isZero();
        assertThat(untyped.out()).contains("fmt:    5 (BINARY_BUFFER)").contains("read as untyped bytes");

        Path out = dir.resolve("raw-out.bin");
        Cli.Run typed = Cli.run("get", key, "--layout", "single", "--shape", "2,2,16,8", "--dtype", "bfloat16",
                "--url", redis.url(), "--out", out.toString());
        assertThat(typed.exitCode()).as("%s", typed).isZero();
        assertThat(typed.out()).contains("dtype:  bfloat16, shape [2, 2, 16, 8]").contains("fmt:    1 (KV_2LTD)");
        assertThat(Files.readAllBytes(out)).isEqualTo(Files.readAllBytes(in));

        // A reader configured like LMCache's valkey:// connector sees the same value.
        StoreConfig config = StoreConfig.builder().url(redis.url()).keyLayout(dev.lmcache.redis.KeyLayout.SINGLE)
                .singleChunkShape(List.of(2, 2, 16, 8)).singleChunkDtype("bfloat16").chunkSizeTokens(16).build();
        try (KvCacheStore store = KvCacheStore.open(config)) {
            Optional<KvChunk> chunk = store.sync().get(ChunkKey.parse(key));
            assertThat(chunk).isPresent();
            assertThat(chunk.get().data()).isEqualTo(ByteBuffer.wrap(Files.readAllBytes(in)));
        }
    }
}
