package dev.lmcache.redis.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lmcache.redis.embedded.EmbeddedRedis;
import dev.lmcache.redis.embedded.EmbeddedRedisCluster;
import dev.lmcache.redis.embedded.Fresh;
import dev.lmcache.redis.embedded.RedisExtension;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code keys} and {@code lookup}: token ids to LMCache's keys (golden), and the prefix LMCache stored. */
@ExtendWith(RedisExtension.class)
class TokenCommandsTest {
    private static final String MODEL = "meta-llama/Llama-3.1-8B-Instruct";
    /** golden mp-current/blake3/cs256/gen1000. */
    private static final String MP_CHUNK_0 = MODEL
            + "@01000100@0@59c2904ddd091ad152d2b3eb4de00d60fe79f359d51ed1d5220716cd27ece8f4";
    private static final String MP_CHUNK_1 = MODEL
            + "@01000100@0@c56feb51ef1c7c83a16d127622edfc0ec074ee96cf0fcc49930b965df7a71944";

    @TempDir
    Path dir;

    /** The golden vectors' prompt generator, written in the form given (json or plain). */
    private Path tokens(int n, boolean json) throws IOException {
        String ids = IntStream.range(0, n).mapToObj(i -> Long.toString((i * 7919L + 13) % 128256))
                .collect(Collectors.joining(json ? ", " : "\n"));
        return Files.writeString(dir.resolve("tokens-" + n + (json ? ".json" : ".txt")), json ? "[" + ids + "]" : ids);
    }

    @Test
    void keysPrintsLmcachesMultiprocessNamesForEveryFullChunkWithoutAServer() throws IOException {
        Path json = dir.resolve("keys.json");

        Cli.Run r = Cli.run("keys", "--tokens", tokens(1000, true).toString(), "--model", MODEL, "--layout", "mp",
                "--json", json.toString());

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains(MP_CHUNK_0, MP_CHUNK_1, "3 chunks", "tokens 512..768").doesNotContain("partial");
        assertThat(r.err()).doesNotContain("embedded");
        assertThat(Files.readString(json)).contains("\"profile\": \"mp-current\"", "\"redis_keys\"", MP_CHUNK_1);
    }

    @Test
    void keysNamesEveryRankAndTheInProcessFormWithTheLmcacheYamlsHashSettings() throws IOException {
        Path yaml = Files.writeString(dir.resolve("lmcache.yaml"), "remote_url: redis://127.0.0.1:1\nchunk_size: 256\n"
                + "pre_caching_hash_algorithm: sha256_cbor\nsave_unfull_chunk: true\n");

        Cli.Run r = Cli.run("keys", "--tokens", tokens(1000, false).toString(), "--model", MODEL, "--config",
                yaml.toString(), "--hash-seed", "0", "--world-size", "2");
        Cli.Run tp4 = Cli.run("keys", "--tokens", tokens(300, false).toString(), "--model", MODEL, "--layout", "mp",
                "--world-size", "4");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        // golden nonmp-current/sha256_cbor/seed0/cs256/gen1000, with the partial chunk; rank 1 of 2 too.
        assertThat(r.out()).contains(MODEL + "@2@0@25bbe5678769bc2b@bfloat16metadata",
                MODEL + "@2@1@25bbe5678769bc2b@bfloat16kv_bytes", "tokens 768..1000 (partial)  hash ff83dd8a190d988a");
        assertThat(tp4.out()).contains("@04000400@0@59c2904d", "@04010401@0@59c2904d", "@04020402@0@59c2904d",
                "@04030403@0@59c2904d");
    }

    @Test
    void badTokensAlgorithmsAndSeedsAreUsageErrorsNamingTheAcceptedForm() throws IOException {
        Path big = Files.writeString(dir.resolve("big.json"), "[1, 2, 4294967296]");
        Path words = Files.writeString(dir.resolve("words.txt"), "1 2 three");

        Cli.Run range = Cli.run("keys", "--tokens", big.toString(), "--model", MODEL);
        Cli.Run text = Cli.run("keys", "--tokens", words.toString(), "--model", MODEL);
        Cli.Run missing = Cli.run("keys", "--tokens", dir.resolve("none").toString(), "--model", MODEL);
        Cli.Run algorithm = Cli.run("keys", "--tokens", tokens(10, true).toString(), "--model", MODEL,
                "--hash-algorithm", "md5");
        Cli.Run seed = Cli.run("keys", "--tokens", tokens(10, true).toString(), "--model", MODEL,
                "--hash-algorithm", "builtin");
        Cli.Run profile = Cli.run("keys", "--tokens", tokens(10, true).toString(), "--model", MODEL, "--layout", "mp",
                "--hash-profile", "nonmp-current", "--hash-seed", "0");

        assertThat(range.exitCode()).isEqualTo(2);
        assertThat(range.err()).contains("lmcache-redis keys: --tokens", "index 2 is 4294967296", "0..4294967295");
        assertThat(text.err()).contains("three");
        assertThat(missing.err()).contains("does not exist");
        assertThat(algorithm.err()).contains("'md5' is not supported; accepted: blake3, sha256_cbor, builtin");
        assertThat(seed.err()).contains("PYTHONHASHSEED", "--hash-seed");
        assertThat(profile.err()).contains("key_layout is mp");
        for (Cli.Run r : new Cli.Run[] {range, text, missing, algorithm, seed, profile}) {
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
            assertThat(r.err()).contains("Try 'lmcache-redis keys --help'");
        }
    }

    @Test
    void lookupReportsTheStoredPrefixOnAClusterAndZeroOnAnEmptyServer(EmbeddedRedisCluster cluster,
                                                                     @Fresh EmbeddedRedis empty) throws IOException {
        Path prompt = tokens(1000, true);
        Path json = dir.resolve("lookup.json");
        RedisClusterClient client = RedisClusterClient.create(cluster.seedUris());
        try (StatefulRedisClusterConnection<String, String> c = client.connect()) {
            c.sync().set(MP_CHUNK_0, "x");
            c.sync().set(MP_CHUNK_1, "x");
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }

        Cli.Run found = Cli.run("lookup", "--tokens", prompt.toString(), "--model", MODEL, "--url", cluster.url(),
                "--layout", "mp", "--json", json.toString());
        Cli.Run none = Cli.run("lookup", "--tokens", prompt.toString(), "--model", MODEL, "--url", empty.url(),
                "--layout", "mp");

        assertThat(found.exitCode()).as(found.toString()).isZero();
        assertThat(found.out()).contains("matched 512 of 1000 tokens: 2 of 3 chunks (3 keys looked up)");
        assertThat(Files.readString(json)).contains("\"matched_tokens\": 512", "\"lookup_ms\"");
        assertThat(none.exitCode()).as(none.toString()).isZero();
        assertThat(none.out()).contains("matched 0 of 1000 tokens");
    }

    @Test
    void theChunkCommandsTakeAnMpObjectNameAsRedisCliShowsIt(EmbeddedRedisCluster cluster) throws IOException {
        String name = MODEL + "@04020402@0@" + "ab".repeat(32) + "@tenant-a";
        RedisClusterClient client = RedisClusterClient.create(cluster.seedUris());
        try (StatefulRedisClusterConnection<String, String> c = client.connect()) {
            c.sync().set(name, "raw kv bytes");
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
        Path out = dir.resolve("chunk.bin");

        Cli.Run exists = Cli.run("exists", name, "--url", cluster.url(), "--layout", "mp");
        Cli.Run get = Cli.run("get", name, "--out", out.toString(), "--url", cluster.url(), "--layout", "mp");
        Cli.Run delete = Cli.run("delete", name, "--url", cluster.url(), "--layout", "mp");
        Cli.Run gone = Cli.run("exists", name, "--url", cluster.url(), "--layout", "mp");
        Cli.Run bad = Cli.run("exists", MODEL + "@04020402@0@abc", "--url", cluster.url(), "--layout", "mp");

        assertThat(exists.exitCode()).as(exists.toString()).isZero();
        assertThat(get.exitCode()).as(get.toString()).isZero();
        assertThat(get.out()).contains(name);
        assertThat(Files.readString(out)).isEqualTo("raw kv bytes");
        assertThat(delete.exitCode()).as(delete.toString()).isZero();
        assertThat(gone.exitCode()).as(gone.toString()).isEqualTo(1);
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("neither an MP object name of this store", "odd number of hex digits",
                "nor an LMCache key string");
    }

    @Test
    void inspectCountsMpChunksPerModelRankAndObjectGroup(@Fresh EmbeddedRedis redis) {
        RedisClient client = RedisClient.create(redis.url());
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            for (int rank = 0; rank < 2; rank++) {
                for (int chunk = 0; chunk < 3; chunk++) {
                    String hash = String.format("%064x", chunk);
                    c.sync().set(MODEL + "@" + String.format("02%02x02%02x", rank, rank) + "@0@" + hash, "xx");
                }
            }
            c.sync().set(MODEL + "@02000200@1@" + "ff".repeat(32), "yyy");
            c.sync().set("not-an-mp-name", "z");
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }

        Cli.Run r = Cli.run("inspect", "--url", redis.url(), "--layout", "mp");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).containsPattern(java.util.regex.Pattern.quote(MODEL + " rank 0/2 group 0") + "\\s+3\\s")
                .containsPattern(java.util.regex.Pattern.quote(MODEL + " rank 1/2 group 0") + "\\s+3\\s")
                .containsPattern(java.util.regex.Pattern.quote(MODEL + " rank 0/2 group 1") + "\\s+1\\s")
                .contains("Other keys (not chunk keys of this layout): 1");
    }

    @Test
    void lookupAgainstAnUnreachableServerFailsPromptlyNamingIt() throws IOException {
        Cli.Run r = Cli.run("lookup", "--tokens", tokens(300, true).toString(), "--model", MODEL,
                "--url", "redis://127.0.0.1:1", "--layout", "mp");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("lmcache-redis lookup:", "127.0.0.1:1");
    }
}
