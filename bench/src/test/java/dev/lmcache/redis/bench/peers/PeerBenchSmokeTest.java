package dev.lmcache.redis.bench.peers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PeerBench end to end at toy size (one repetition of workload a, 4 values of 64 bytes, no
 * emulated delay): it is a program that prints numbers, so this checks only that every peer
 * ran on both kinds of server and that every value read was verified, not how fast.
 */
class PeerBenchSmokeTest {

    @Test
    void oneRepetitionOfTheBatchWorkloadMeasuresEveryPeerOnStandaloneAndClusterWithEveryValueVerified(@TempDir Path dir)
            throws Exception {
        BenchOptions options = BenchOptions.parse("--workloads", "latency", "--reps", "1", "--warmup", "0", "--batch", "4",
                "--value-bytes", "64", "--rtt-ms", "0", "--targets", "standalone,cluster");
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        Results results;
        try (PrintStream out = new PrintStream(text, true, StandardCharsets.UTF_8)) {
            results = PeerBench.run(options, out);
        }
        Path json = dir.resolve("peers.json");
        Report.writeJson(results, options.asMap(), json);

        List<String> standalone = List.of("store-single", "store-lmcache", "lettuce-pipeline", "lettuce-mset",
                "jedis-pipeline", "jedis-mset");
        List<String> cluster = List.of("store-single", "store-lmcache", "lettuce-pipeline", "lettuce-mset", "jedis-pipeline");
        assertThat(peersOn(results, "standalone")).containsExactlyElementsOf(standalone);
        assertThat(peersOn(results, "cluster")).containsExactlyElementsOf(cluster);
        for (Measurement m : results.all()) {
            assertThat(m.reps()).as(m.target + " " + m.op + " " + m.peer).hasSize(1);
            assertThat(m.clean()).as(m.target + " " + m.op + " " + m.peer + " " + m.firstError()).isTrue();
            if (m.op.equals("read")) {
                assertThat(m.valuesChecked()).as(m.target + " " + m.peer).isEqualTo(4);
            }
        }
        assertThat(results.summary()).hasSize(4); // write and read on each server
        String printed = text.toString(StandardCharsets.UTF_8);
        assertThat(printed).contains("| a ", "store/best", "Data verified: all 44 values read matched");
        assertThat(Files.readString(json)).contains("\"verified\": true", "\"best_peer\"", "\"ratio_store_to_best\"");
    }

    @Test
    void aBadOptionNamesItselfAndWhatIsAccepted() {
        assertThatThrownBy(() -> BenchOptions.parse("--workloads", "e"))
                .hasMessageContaining("--workloads").hasMessageContaining("a|latency");
        assertThatThrownBy(() -> BenchOptions.parse("--large-bytes", "lots"))
                .hasMessageContaining("--large-bytes").hasMessageContaining("64MiB");
        assertThatThrownBy(() -> BenchOptions.parse("--peers", "redisson"))
                .hasMessageContaining("redisson").hasMessageContaining("jedis-pipeline");
    }

    private static List<String> peersOn(Results results, String target) {
        return results.all().stream().filter(m -> m.target.equals(target) && m.op.equals("write"))
                .map(m -> m.peer).toList();
    }
}
