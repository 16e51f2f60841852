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

class DemoCommandTest {

    @TempDir
    Path dir;

    @Test
    @SuppressWarnings("unchecked")
    void aShrunkDemoRunsChecksAndBothComparisonsAndPrintsTheSummaryTable() throws Exception {
        Path json = dir.resolve("demo.json");
        Result r = run("demo", "--rtt-ms", "1", "--keys", "10", "--value-bytes", "256", "--naive-reps", "2", "--reps", "2",
                "--warmup", "0", "--json", json.toString());

        assertThat(r.exitCode()).as("stdout: %s stderr: %s", r.out(), r.err()).isZero();
        assertThat(r.out()).contains("[1/4]", "[2/4]", "[3/4]", "[4/4] Summary", "naive ms", "batched ms", "speedup")
                .containsPattern("standalone\\s+read\\s")
                .containsPattern("standalone\\s+write\\s")
                .containsPattern("cluster\\s+read\\s")
                .containsPattern("cluster\\s+write\\s")
                .containsPattern("cluster tagged\\s+write\\s")
                .contains("every chunk read back matched");
        Map<String, Object> doc = readJson(json);
        assertThat(doc).containsEntry("ok", true).containsEntry("keys", 10).containsKeys("checks", "compare", "seconds");
        assertThat((Map<String, Object>) doc.get("compare")).containsKeys("standalone", "cluster", "cluster tagged");
        List<Map<String, Object>> summary = (List<Map<String, Object>>) doc.get("summary");
        assertThat(summary).hasSize(6);
        assertThat(summary).allSatisfy(row -> {
            assertThat(row).containsKeys("target", "op", "naive_median_ms", "batched_median_ms", "speedup");
            assertThat(((Number) row.get("speedup")).doubleValue()).isPositive();
        });
    }
}
