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
 * emulated delay; one of workloads b and e with a few values of up to 300 KiB): it is a program
 * that prints numbers, so this checks only that every peer (and, for large values, the server's
 * ceiling) ran and that every value read was verified, not how fast.
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
    void theLargeValueWorkloadsMeasureTheServersCeilingBesideThePeersButNeverAsTheBestPeer(@TempDir Path dir)
            throws Exception {
        // b: 2 values that the store diverts and partly reads straight from the socket; e: two sizes
        // (one diverted, one small enough for Lettuce to decode), named by size
        BenchOptions options = BenchOptions.parse("--workloads", "large,mid", "--reps", "1", "--warmup", "0",
                "--large-chunks", "2", "--large-bytes", "300k", "--mid-chunks", "3", "--mid-bytes", "128k,1000");
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        Results results;
        try (PrintStream out = new PrintStream(text, true, StandardCharsets.UTF_8)) {
            results = PeerBench.run(options, out);
        }
        Path json = dir.resolve("large.json");
        Report.writeJson(results, options.asMap(), json);

        List<String> peers = List.of("store-single", "store-lmcache", "lettuce-pipeline", "lettuce-mset",
                "jedis-pipeline", "jedis-mset", "ceiling");
        for (String workload : List.of("b", "e-128KiB", "e-1000B")) {
            assertThat(results.all().stream().filter(m -> m.workload.equals(workload) && m.op.equals("put"))
                    .map(m -> m.peer)).as(workload).containsExactlyElementsOf(peers);
        }
        for (Measurement m : results.all()) {
            String what = m.workload + " " + m.op + " " + m.peer;
            assertThat(m.reps()).as(what).hasSize(1);
            assertThat(m.clean()).as(what + " " + m.firstError()).isTrue();
            assertThat(m.serverCpuMsPerGb()).as(what + ": the server's CPU per GB (measured, maybe 0 at this size)").isGreaterThanOrEqualTo(0.0);
            assertThat(m.clientCpuMsPerGb()).as(what + ": this JVM's CPU per GB").isGreaterThanOrEqualTo(0.0);
            if (m.op.equals("get")) {
                assertThat(m.valuesChecked()).as(what).isEqualTo(m.workload.equals("b") ? 2 : 3);
            }
        }
        assertThat(results.summary()).hasSize(6).allSatisfy(c -> {
            assertThat(c.ceiling()).as(c.workload() + " " + c.op() + ": the ceiling is reported").isNotNull();
            assertThat(c.ceiling().peer).isEqualTo("ceiling");
            assertThat(c.bestPeer().peer).as("the ceiling is not a peer").isNotEqualTo("ceiling");
            assertThat(c.ceilingRatio()).isEqualTo(c.store().median() / c.ceiling().median());
        });
        String printed = text.toString(StandardCharsets.UTF_8);
        assertThat(printed).contains("| e-128KiB ", "| e-1000B ", "store/ceiling", "server CPU ms/GB",
                "the socket read", "Data verified: all 56 values read matched");
        assertThat(Files.readString(json)).contains("\"ceiling\": true", "\"ratio_store_to_ceiling\"",
                "\"server_cpu_ms_per_gb\"", "\"mid_bytes\": [131072, 1000]");
    }

    @Test
    void theCeilingIsSkippedWithANoteWhereItCannotRun() {
        BenchOptions options = BenchOptions.parse("--workloads", "b", "--reps", "1", "--warmup", "0",
                "--large-chunks", "1", "--large-bytes", "1k", "--targets", "cluster", "--peers", "store-single,ceiling");
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        Results results;
        try (PrintStream out = new PrintStream(text, true, StandardCharsets.UTF_8)) {
            results = PeerBench.run(options, out);
        }
        assertThat(results.all()).extracting(m -> m.peer).containsOnly("store-single");
        assertThat(results.notes()).anySatisfy(n -> assertThat(n).contains("ceiling", "standalone servers over plain TCP"));
    }

    @Test
    void aBadOptionNamesItselfAndWhatIsAccepted() {
        assertThatThrownBy(() -> BenchOptions.parse("--mid-bytes", "1m,big"))
                .hasMessageContaining("--mid-bytes").hasMessageContaining("64MiB");
        assertThatThrownBy(() -> BenchOptions.parse("--workloads", "f"))
                .hasMessageContaining("--workloads").hasMessageContaining("a|latency").hasMessageContaining("e|mid");
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
