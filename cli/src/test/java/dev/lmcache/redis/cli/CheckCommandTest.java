package dev.lmcache.redis.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lmcache.redis.cli.check.Checks;
import dev.lmcache.redis.cli.text.Marks;
import dev.lmcache.redis.embedded.EmbeddedRedis;
import dev.lmcache.redis.embedded.EmbeddedRedisCluster;
import dev.lmcache.redis.embedded.RedisExtension;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(RedisExtension.class)
class CheckCommandTest {

    private static long lines(String text, String mark) {
        return text.lines().filter(l -> l.trim().startsWith(mark + " ")).count();
    }

    @Test
    void passesAllSevenChecksOnAStandaloneServer(EmbeddedRedis redis) {
        Cli.Run run = Cli.run("check", "--url", redis.url(), "--chunks", "16");
        assertThat(run.exitCode()).as("%s", run).isZero();
        assertThat(lines(run.out(), Marks.PASS)).as("%s", run).isEqualTo(7);
        assertThat(run.out()).contains("All 7 checks passed.").contains("mode standalone, layout lmcache");
    }

    @Test
    void passesAllSevenChecksOnACluster(EmbeddedRedisCluster cluster) {
        Cli.Run run = Cli.run("check", "--url", cluster.url(), "--chunks", "16");
        assertThat(run.exitCode()).as("%s", run).isZero();
        assertThat(lines(run.out(), Marks.PASS)).as("%s", run).isEqualTo(7);
        assertThat(run.out()).contains("mode cluster");
    }

    @Test
    void passesWithTheTaggedAndTheRawLayouts(EmbeddedRedisCluster cluster) {
        for (String layout : List.of("tagged", "single", "mp")) {
            Cli.Run run = Cli.run("check", "--url", cluster.url(), "--layout", layout, "--chunks", "8",
                    "--chunk-bytes", "1000");
            assertThat(run.exitCode()).as("layout %s: %s", layout, run).isZero();
            assertThat(lines(run.out(), Marks.PASS)).as("layout %s: %s", layout, run).isEqualTo(7);
        }
    }

    @Test
    void usesAnEmbeddedServerWhenNoTargetIsGiven() {
        Cli.Run run = Cli.run("check", "--chunks", "4");
        assertThat(run.exitCode()).as("%s", run).isZero();
        assertThat(run.out()).contains("Checking embedded standalone").contains("All 7 checks passed.");
    }

    @Test
    void removesItsKeysAfterwards(EmbeddedRedis redis) {
        Cli.Run run = Cli.run("check", "--url", redis.url(), "--chunks", "4");
        assertThat(run.exitCode()).as("%s", run).isZero();
        RedisClient client = RedisClient.create(redis.redisUri());
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            // Other tests' checks may be running on the shared server, but none is running now.
            List<String> left = c.sync().scan(ScanArgs.Builder.matches("*" + Checks.MODEL_PREFIX + "*").limit(10_000))
                    .getKeys();
            assertThat(left).isEmpty();
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    @Test
    void writesTheDocumentedJsonFields(EmbeddedRedis redis, @TempDir Path dir) throws Exception {
        Path json = dir.resolve("check.json");
        Cli.Run run = Cli.run("check", "--url", redis.url(), "--chunks", "4", "--json", json.toString());
        assertThat(run.exitCode()).as("%s", run).isZero();
        String text = Files.readString(json);
        assertThat(text).contains("\"target\": ", "\"mode\": \"standalone\"", "\"layout\": \"lmcache\"",
                "\"chunks\": 4", "\"chunkBytes\": 16384", "\"passed\": true", "\"checks\": [",
                "\"name\": \"connection\"", "\"name\": \"pipelined batched put\"", "\"millis\": ", "\"detail\": ");
        assertThat(text.split("\"passed\": true", -1)).hasSize(1 + 1 + 7);
    }

    @Test
    void anUnreachableServerFailsWithOneLineAndNoStackTrace() {
        Cli.Run run = Cli.run("check", "--url", "redis://127.0.0.1:1");
        assertThat(run.exitCode()).as("%s", run).isEqualTo(1);
        assertThat(run.err().lines().filter(l -> !l.isBlank())).as("%s", run).hasSize(1);
        assertThat(run.err()).contains("lmcache-redis check: ").contains("127.0.0.1:1").doesNotContain("\tat ");
    }

    @Test
    void aServerThatRefusesWritesFailsTheChecksWithCrossesAndExitOne() {
        try (EmbeddedRedis full = EmbeddedRedis.builder().maxMemory("1", "noeviction").start()) {
            Cli.Run run = Cli.run("check", "--url", full.url(), "--chunks", "4");
            assertThat(run.exitCode()).as("%s", run).isEqualTo(1);
            assertThat(lines(run.out(), Marks.PASS)).as("%s", run).isEqualTo(1);
            assertThat(lines(run.out(), Marks.FAIL)).as("%s", run).isEqualTo(6);
            assertThat(run.out()).contains("OOM").contains("1 of 7 checks passed.");
        }
    }

    @Test
    void theToolListsTheCommands() {
        Cli.Run run = Cli.run("--help");
        assertThat(run.out()).contains("check", "put", "get", "exists", "delete", "inspect", "acl");
    }

    @Test
    void verbosePrintsTheStackTraceToo() {
        Cli.Run run = Cli.run("check", "--url", "redis://127.0.0.1:1", "--verbose");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("lmcache-redis check: ").contains("\tat ");
    }

    @Test
    void anInvalidUrlIsAUsageErrorOnOneLine() {
        Cli.Run run = Cli.run("check", "--url", "http://127.0.0.1:6379");
        assertThat(run.exitCode()).as("%s", run).isEqualTo(2);
        assertThat(run.err().lines().filter(l -> !l.isBlank())).as("%s", run).hasSize(1);
        assertThat(run.err()).startsWith("lmcache-redis check: ").contains("http");
    }

    @Test
    void tooFewChunksIsAUsageError() {
        Cli.Run run = Cli.run("check", "--chunks", "1");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--chunks must be 2..100000, was 1");
    }
}
