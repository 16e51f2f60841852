package dev.lmcache.redis.cli;

import static dev.lmcache.redis.cli.BenchCompareCommandTest.readJson;
import static dev.lmcache.redis.cli.BenchCompareCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lmcache.redis.cli.BenchCompareCommandTest.Result;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchThroughputCommandTest {

    @TempDir
    Path dir;

    @Test
    @SuppressWarnings("unchecked")
    void aSizeSweepReportsThroughputPeakInFlightAndMemoryForEachSize() throws Exception {
        Path json = dir.resolve("throughput.json");
        Path png = dir.resolve("throughput.png");
        Result r = run("bench", "throughput", "--chunk-bytes", "64k,256k", "--chunks", "4", "--reps", "2",
                "--max-inflight", "4m", "--json", json.toString(), "--plot", png.toString());

        assertThat(r.exitCode()).as("stdout: %s stderr: %s", r.out(), r.err()).isZero();
        assertThat(r.out()).contains("put GB/s", "get GB/s", "peak in flight", "Verified");
        Map<String, Object> doc = readJson(json);
        assertThat(doc).containsEntry("chunks", 4).containsEntry("max_inflight_bytes", 4 << 20);
        List<Map<String, Object>> results = (List<Map<String, Object>>) doc.get("results");
        assertThat(results).extracting(m -> m.get("chunk_bytes")).containsExactly(65536, 262144);
        for (Map<String, Object> m : results) {
            assertThat(((Number) m.get("put_gb_per_s")).doubleValue()).isPositive();
            assertThat(((Number) m.get("get_gb_per_s")).doubleValue()).isPositive();
            long batch = 4L * ((Number) m.get("chunk_bytes")).longValue();
            // a batch returns its bytes to the budget before its caller resumes, so puts and gets never overlap
            assertThat(((Number) m.get("peak_inflight_bytes")).longValue()).isPositive().isLessThanOrEqualTo(batch);
            assertThat(((Number) m.get("peak_direct_bytes")).longValue()).isPositive();
            assertThat(m).containsEntry("mismatches", 0).containsKeys("put_ms", "get_ms", "peak_heap_bytes");
        }
        assertThat(javax.imageio.ImageIO.read(png.toFile())).isNotNull();
    }
}
