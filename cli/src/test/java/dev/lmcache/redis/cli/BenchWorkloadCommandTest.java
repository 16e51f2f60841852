package dev.lmcache.redis.cli;

import static dev.lmcache.redis.cli.BenchCompareCommandTest.readJson;
import static dev.lmcache.redis.cli.BenchCompareCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lmcache.redis.cli.BenchCompareCommandTest.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchWorkloadCommandTest {

    @TempDir
    Path dir;

    @Test
    @SuppressWarnings("unchecked")
    void theWorkloadVerifiesEveryFetchedByteAndReportsRealHits() throws Exception {
        Path json = dir.resolve("workload.json");
        Result r = run("bench", "workload", "--requests", "120", "--concurrency", "3", "--max-chunks", "16",
                "--hit-rate", "0.7", "--seed", "42", "--json", json.toString());

        assertThat(r.exitCode()).as("stdout: %s stderr: %s", r.out(), r.err()).isZero();
        assertThat(r.out()).contains("requests/s", "GB/s", "hit rate", "lookup", "fetch", "store", "Verified");
        Map<String, Object> doc = readJson(json);
        assertThat(doc).containsEntry("requests", 120).containsEntry("mismatches", 0).containsEntry("lost_chunks", 0)
                .containsEntry("chunk_bytes", 32768).containsEntry("model", "small");
        assertThat((Map<String, Object>) doc.get("errors")).isEmpty();
        assertThat(((Number) doc.get("chunks_fetched")).longValue()).isPositive();
        double hitRate = ((Number) doc.get("hit_rate")).doubleValue();
        assertThat(hitRate).isGreaterThan(0.4).isLessThanOrEqualTo(0.8);
        Map<String, Object> latency = (Map<String, Object>) doc.get("latency");
        assertThat(latency).containsKeys("lookup", "fetch", "store", "request");
        assertThat((Map<String, Object>) latency.get("fetch")).containsKeys("median_ms", "p95_ms", "p99_ms");
        assertThat(((Number) doc.get("requests_per_s")).doubleValue()).isPositive();
        assertThat(((Number) doc.get("payload_gb_per_s")).doubleValue()).isPositive();
    }

    @Test
    void aSkewedWorkloadWithPlainChunkBytesRunsAndDrawsItsPlot() throws Exception {
        Path png = dir.resolve("workload.png");
        Result r = run("bench", "workload", "--requests", "40", "--chunk-bytes", "4k", "--distribution", "skewed",
                "--concurrency", "2", "--plot", png.toString());

        assertThat(r.exitCode()).as("stdout: %s stderr: %s", r.out(), r.err()).isZero();
        assertThat(r.out()).contains("4 KiB untyped chunks", "(skewed)");
        assertThat(Files.size(png)).isPositive();
        assertThat(javax.imageio.ImageIO.read(png.toFile())).isNotNull();
    }

    @Test
    void aZeroHitRateFetchesNothingAndStoresEverything() throws Exception {
        Path json = dir.resolve("cold.json");
        Result r = run("bench", "workload", "--requests", "20", "--hit-rate", "0", "--max-chunks", "8", "--json", json.toString());

        assertThat(r.exitCode()).as("stderr: %s", r.err()).isZero();
        Map<String, Object> doc = readJson(json);
        assertThat(doc).containsEntry("chunks_fetched", 0);
        assertThat(doc.get("chunks_stored")).isEqualTo(doc.get("chunks_looked_up"));
    }

    @Test
    void anUnknownModelIsAUsageErrorListingThePresets() {
        Result r = run("bench", "workload", "--model", "gpt-5");

        assertThat(r.exitCode()).isEqualTo(picocli.CommandLine.ExitCode.USAGE);
        assertThat(r.err()).contains("llama-3.1-8b", "llama-3.1-70b-tp8", "small");
    }
}
