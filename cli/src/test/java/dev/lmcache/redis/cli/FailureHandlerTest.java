package dev.lmcache.redis.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lmcache.redis.embedded.EmbeddedRedis;
import dev.lmcache.redis.embedded.RedisExtension;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Every command fails the same way: exit code, one error line with the command's name, the help pointer. */
@ExtendWith(RedisExtension.class)
class FailureHandlerTest {
    private static final String KEY = "cli-failures@1@0@1a2b@bfloat16";
    private static final String UNREACHABLE = "redis://127.0.0.1:1";

    private static List<String> errLines(Cli.Run run) {
        return run.err().lines().filter(l -> !l.isBlank()).toList();
    }

    @Test
    void aUsageErrorPrintsTheProblemAndAPointerToHelpButNotTheHelp() {
        for (String[] args : List.of(
                new String[] {"get"},
                new String[] {"put", KEY, "--binary"},
                new String[] {"check", "--chunks", "1"},
                new String[] {"bench", "compare", "--reps", "many"},
                new String[] {"bench", "ops", "--no-such-option"})) {
            Cli.Run run = Cli.run(args);
            String command = "lmcache-redis " + (args[0].equals("bench") ? "bench " + args[1] : args[0]);
            assertThat(run.exitCode()).as("%s", run).isEqualTo(2);
            assertThat(errLines(run)).as("%s", run).hasSize(2);
            assertThat(errLines(run).get(0)).startsWith(command + ": ");
            assertThat(errLines(run).get(1)).isEqualTo("Try '" + command + " --help' for usage.");
            assertThat(run.err()).doesNotContain("Usage:");
            assertThat(run.out()).isEmpty();
        }
    }

    @Test
    void anUnknownCommandSuggestsTheNearestOnes() {
        Cli.Run run = Cli.run("chek");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("lmcache-redis: Unmatched argument at index 0: 'chek'")
                .contains("check").contains("Try 'lmcache-redis --help' for usage.");
    }

    @Test
    void aBadUrlIsAConfigurationErrorOnOneLineWithExitTwoForEveryCommand() {
        for (String[] args : List.of(
                new String[] {"get", KEY, "--url", "http://127.0.0.1:6379"},
                new String[] {"exists", KEY, "--url", "http://127.0.0.1:6379"},
                new String[] {"check", "--url", "http://127.0.0.1:6379"},
                new String[] {"inspect", "--url", "http://127.0.0.1:6379"},
                new String[] {"bench", "compare", "--url", "http://127.0.0.1:6379"},
                new String[] {"bench", "ops", "--url", "http://127.0.0.1:6379"})) {
            Cli.Run run = Cli.run(args);
            String command = "lmcache-redis " + (args[0].equals("bench") ? "bench " + args[1] : args[0]);
            assertThat(run.exitCode()).as("%s", run).isEqualTo(2);
            assertThat(errLines(run)).as("%s", run).hasSize(1);
            assertThat(run.err()).startsWith(command + ": ").contains("scheme 'http'").contains("redis://");
        }
    }

    @Test
    void anUnreachableServerIsARuntimeFailureReadAsAPlainConnectionRefused() {
        for (String[] args : List.of(
                new String[] {"get", KEY, "--url", UNREACHABLE},
                new String[] {"delete", KEY, "--url", UNREACHABLE},
                new String[] {"check", "--url", UNREACHABLE},
                new String[] {"inspect", "--url", UNREACHABLE},
                new String[] {"bench", "compare", "--url", UNREACHABLE},
                new String[] {"bench", "workload", "--url", UNREACHABLE})) {
            Cli.Run run = Cli.run(args);
            String command = "lmcache-redis " + (args[0].equals("bench") ? "bench " + args[1] : args[0]);
            assertThat(run.exitCode()).as("%s", run).isEqualTo(1);
            // bench commands first say what they run on; the error line is the only one naming the command
            List<String> errors = errLines(run).stream().filter(l -> l.startsWith("lmcache-redis")).toList();
            assertThat(errors).as("%s", run).containsExactly(command + ": cannot connect to 127.0.0.1:1: connection refused");
        }
    }

    @Test
    void existsSaysTwoForAnUnreachableServerSoThatAnErrorNeverReadsAsAbsent() {
        Cli.Run run = Cli.run("exists", KEY, "--url", UNREACHABLE);
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().trim()).isEqualTo("lmcache-redis exists: cannot connect to 127.0.0.1:1: connection refused");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void aFailureOfTheServerOrOfAFileExitsWithOneOnOneLine(EmbeddedRedis redis, @TempDir Path dir) {
        Cli.Run missingFile = Cli.run("put", KEY, "--in", dir.resolve("absent.bin").toString(), "--binary",
                "--url", redis.url());
        assertThat(missingFile.exitCode()).as("%s", missingFile).isEqualTo(1);
        assertThat(errLines(missingFile)).containsExactly("lmcache-redis put: " + dir.resolve("absent.bin")
                + " does not exist");

        try (EmbeddedRedis full = EmbeddedRedis.builder().maxMemory("1", "noeviction").start()) {
            for (String[] args : List.of(
                    new String[] {"put", KEY, "--in", Path.of("pom.xml").toString(), "--binary", "--url", full.url()},
                    new String[] {"bench", "compare", "--chunks", "2", "--reps", "1", "--warmup", "0", "--url",
                        full.url()},
                    new String[] {"bench", "throughput", "--chunk-bytes", "4k", "--chunks", "2", "--reps", "1",
                        "--url", full.url()})) {
                Cli.Run run = Cli.run(args);
                String command = "lmcache-redis " + (args[0].equals("bench") ? "bench " + args[1] : args[0]);
                assertThat(run.exitCode()).as("%s", run).isEqualTo(1);
                List<String> errors = errLines(run).stream().filter(l -> l.startsWith("lmcache-redis")).toList();
                assertThat(errors).as("%s", run).hasSize(1);
                assertThat(errors.get(0)).startsWith(command + ": ").contains("OOM");
                assertThat(run.err()).doesNotContain("\tat ");
            }
        }
    }

    @Test
    void verboseAddsTheStackTraceWhereverItStandsOnTheCommandLine() {
        Cli.Run after = Cli.run("get", KEY, "--url", UNREACHABLE, "--verbose");
        assertThat(after.exitCode()).isEqualTo(1);
        assertThat(after.err()).startsWith("lmcache-redis get: cannot connect to 127.0.0.1:1: connection refused")
                .contains("\tat ").contains("Connection refused");

        Cli.Run before = Cli.run("--verbose", "bench", "compare", "--url", UNREACHABLE);
        assertThat(before.exitCode()).isEqualTo(1);
        assertThat(before.err()).contains("lmcache-redis bench compare: cannot connect to 127.0.0.1:1").contains("\tat ");

        Cli.Run without = Cli.run("bench", "compare", "--url", UNREACHABLE);
        assertThat(without.err()).doesNotContain("\tat ");
    }
}
