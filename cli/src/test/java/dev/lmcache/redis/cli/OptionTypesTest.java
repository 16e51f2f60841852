package dev.lmcache.redis.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lmcache.redis.KeyLayout;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.ParseResult;

/** The typed option values (sizes, durations, layouts) and the one vocabulary of option names. */
class OptionTypesTest {

    /** The parse result of the innermost command of {@code args}. */
    private static ParseResult parse(String... args) {
        ParseResult p = Main.commandLine().parseArgs(args);
        while (p.subcommand() != null) {
            p = p.subcommand();
        }
        return p;
    }

    /** The command object of the innermost command of {@code args}, its fields set from them. */
    @SuppressWarnings("unchecked")
    private static <T> T command(String... args) {
        return (T) parse(args).commandSpec().userObject();
    }

    @Test
    void byteSizesTakeBinaryUnitsWithOrWithoutBAndIb() {
        assertThat(ByteSize.parse("0").bytes()).isZero();
        assertThat(ByteSize.parse("2048").bytes()).isEqualTo(2048);
        assertThat(ByteSize.parse("2k").bytes()).isEqualTo(2 << 10);
        assertThat(ByteSize.parse("32k").bytes()).isEqualTo(32 << 10);
        assertThat(ByteSize.parse("1m").bytes()).isEqualTo(1 << 20);
        assertThat(ByteSize.parse("8MiB").bytes()).isEqualTo(8 << 20);
        assertThat(ByteSize.parse("32m").bytes()).isEqualTo(32 << 20);
        assertThat(ByteSize.parse("512mb").bytes()).isEqualTo(512L << 20);
        assertThat(ByteSize.parse("1g").bytes()).isEqualTo(1L << 30);
        assertThat(ByteSize.parse("1G").bytes()).isEqualTo(1L << 30);
        assertThat(ByteSize.parse("2t").bytes()).isEqualTo(2L << 40);
        assertThat(ByteSize.parse("1.5m").bytes()).isEqualTo(3L << 19);
        assertThat(ByteSize.parse(" 4 KiB ").bytes()).isEqualTo(4096);
        assertThat(ByteSize.parse("1536").toString()).isEqualTo("1.5 KiB");
        assertThat(ByteSize.parse("32m").toString()).isEqualTo("32 MiB");
    }

    @Test
    void aByteSizeThatIsNotOneIsRejectedNamingTheAcceptedForm() {
        for (String bad : List.of("lots", "", "-1", "1.5", "2x", "1e3", "k", "1 kilobyte", "99999999999999999999")) {
            assertThatThrownBy(() -> ByteSize.parse(bad)).as("'%s'", bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("'" + bad + "' is not a byte size; accepted: " + ByteSize.ACCEPTED);
        }
        assertThat(ByteSize.ACCEPTED).contains("2048", "32k", "8m", "1g");
    }

    @Test
    void durationsTakeMsSMAndHOrPlainSeconds() {
        assertThat(TimeSpan.parse("500ms").duration()).isEqualTo(Duration.ofMillis(500));
        assertThat(TimeSpan.parse("20s").duration()).isEqualTo(Duration.ofSeconds(20));
        assertThat(TimeSpan.parse("60s").millis()).isEqualTo(60_000);
        assertThat(TimeSpan.parse("2m").millis()).isEqualTo(120_000);
        assertThat(TimeSpan.parse("1.5h").duration()).isEqualTo(Duration.ofMinutes(90));
        assertThat(TimeSpan.parse("10").duration()).isEqualTo(Duration.ofSeconds(10));
        assertThat(TimeSpan.parse("0.25").duration()).isEqualTo(Duration.ofMillis(250));
        assertThat(TimeSpan.parse("2M").millis()).isEqualTo(120_000);
        assertThat(TimeSpan.parse("2m").toString()).isEqualTo("120s");
        assertThat(TimeSpan.parse("500ms").toString()).isEqualTo("500ms");
    }

    @Test
    void aDurationThatIsNotOneIsRejectedNamingTheAcceptedForm() {
        for (String bad : List.of("forever", "", "-1s", "10 days", "1y", "ms", "1e3")) {
            assertThatThrownBy(() -> TimeSpan.parse(bad)).as("'%s'", bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("'" + bad + "' is not a duration; accepted: " + TimeSpan.ACCEPTED);
        }
        assertThat(TimeSpan.ACCEPTED).contains("500ms", "20s", "2m");
    }

    @Test
    void aRejectedOptionValueIsAUsageErrorNamingTheOptionAndTheAcceptedForm() {
        Cli.Run size = Cli.run("bench", "workload", "--chunk-bytes", "lots");
        assertThat(size.exitCode()).isEqualTo(2);
        assertThat(size.err()).startsWith("lmcache-redis bench workload: Invalid value for option '--chunk-bytes': 'lots'"
                + " is not a byte size; accepted: ").contains("32k").contains("Try 'lmcache-redis bench workload --help'");

        Cli.Run time = Cli.run("bench", "load", "--duration", "forever");
        assertThat(time.exitCode()).isEqualTo(2);
        assertThat(time.err()).contains("'--duration'", "'forever' is not a duration", "500ms");

        Cli.Run layout = Cli.run("get", "m@1@0@1@bfloat16", "--layout", "flat");
        assertThat(layout.exitCode()).isEqualTo(2);
        assertThat(layout.err()).contains("'--layout'", "accepted: lmcache, tagged, single, mp");

        Cli.Run list = Cli.run("bench", "compare", "--keys", "1,x");
        assertThat(list.exitCode()).isEqualTo(2);
        assertThat(list.err()).contains("--keys");
    }

    @Test
    void sizeListsSplitOnCommas() {
        List<ByteSize> sizes = parse("bench", "throughput", "--chunk-bytes", "1m,8m,32m").matchedOptionValue("--chunk-bytes", null);
        assertThat(sizes).extracting(ByteSize::bytes).containsExactly(1L << 20, 8L << 20, 32L << 20);
    }

    @Test
    void chunksChunkBytesAndDurationMeanTheSameInEveryCommandAndTheOldNamesStillWork() {
        BenchCompareCommand compare = command("bench", "compare", "--chunks", "4,8", "--chunk-bytes", "1k");
        assertThat(compare.chunks).containsExactly(4, 8);
        assertThat(compare.chunkBytes).containsExactly(new ByteSize(1024));
        BenchCompareCommand compareOld = command("bench", "compare", "--keys", "4,8", "--value-bytes", "1k,2k");
        assertThat(compareOld.keys).containsExactly(4, 8);
        assertThat(compareOld.valueBytes).containsExactly(new ByteSize(1024), new ByteSize(2048));
        BenchCompareCommand defaults = command("bench", "compare");
        assertThat(defaults.chunks).containsExactly(100);
        assertThat(defaults.chunkBytes).containsExactly(new ByteSize(2048));

        BenchOpsCommand ops = command("bench", "ops", "--batch", "64", "--value-bytes", "2k", "--duration", "8");
        assertThat(ops.olderBatch).isEqualTo(64);
        assertThat(ops.olderValueBytes).isEqualTo(new ByteSize(2048));
        // --duration used to be a number of seconds here; that form is a duration too
        assertThat(ops.duration.duration()).isEqualTo(Duration.ofSeconds(8));
        BenchOpsCommand opsNew = command("bench", "ops", "--chunks", "64", "--chunk-bytes", "2k", "--duration", "1.5");
        assertThat(opsNew.chunks).isEqualTo(64);
        assertThat(opsNew.chunkBytes).isEqualTo(new ByteSize(2048));
        assertThat(opsNew.duration.duration()).isEqualTo(Duration.ofMillis(1500));

        assertThat(parse("check", "--chunk-bytes", "16k").<ByteSize>matchedOptionValue("--chunk-bytes", null).bytes())
                .isEqualTo(16384);
        assertThat(parse("bench", "throughput", "--chunks", "4").<Integer>matchedOptionValue("--chunks", null))
                .isEqualTo(4);
        assertThat(parse("bench", "load", "--duration", "2m").<TimeSpan>matchedOptionValue("--duration", null).millis())
                .isEqualTo(120_000);
        assertThat(parse("bench", "workload", "--duration", "500ms").<TimeSpan>matchedOptionValue("--duration", null)
                .millis()).isEqualTo(500);
        assertThat(parse("inspect", "--layout", "TAGGED").<KeyLayout>matchedOptionValue("--layout", null))
                .isEqualTo(KeyLayout.TAGGED);
    }

    /** The older names are honoured by runs too: {@link BenchCompareCommandTest} and {@link BenchOpsCommandTest} use them. */
    @Test
    void theOlderNamesAreAcceptedButNotAdvertised() {
        assertThat(Cli.run("bench", "compare", "--help").out()).contains("--chunks=N[,N...]", "--chunk-bytes=SIZE[,SIZE...]")
                .doesNotContain("--keys", "--value-bytes");
        assertThat(Cli.run("bench", "ops", "--help").out()).contains("--chunks=N", "--chunk-bytes=SIZE")
                .doesNotContain("--batch", "--value-bytes");
    }

    @Test
    void aRangeErrorNamesTheOptionAsItWasGiven() {
        assertThat(Cli.run("bench", "compare", "--keys", "0").err()).contains("--keys value 0 is out of range");
        assertThat(Cli.run("bench", "compare", "--chunks", "0").err()).contains("--chunks value 0 is out of range");
        assertThat(Cli.run("bench", "compare", "--chunk-bytes", "2g").err())
                .contains("--chunk-bytes value 2 GiB is out of range; accepted: 1 B to 1 GiB");
    }
}
