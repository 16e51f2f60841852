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

class BenchOpsCommandTest {

    @TempDir
    Path dir;

    @Test
    @SuppressWarnings("unchecked")
    void concurrentCallersReportSetAndGetRatesWithoutErrors() throws Exception {
        Path json = dir.resolve("ops.json");
        Result r = run("bench", "ops", "--concurrency", "8", "--batch", "4", "--keys", "200", "--duration", "1",
                "--json", json.toString());
        assertThat(r.exitCode()).as("stdout: %s stderr: %s", r.out(), r.err()).isZero();
        assertThat(r.out()).contains("chunks/s", "redis-benchmark");
        Map<String, Object> doc = readJson(json);
        assertThat(doc).containsEntry("layout", "single").containsEntry("batch", 4).containsEntry("concurrency", 8);
        List<Map<String, Object>> phases = (List<Map<String, Object>>) doc.get("phases");
        assertThat(phases).extracting(p -> p.get("op")).containsExactly("set", "get");
        for (Map<String, Object> p : phases) {
            assertThat(((Number) p.get("chunks_per_s")).longValue()).isPositive();
            assertThat(((Number) p.get("calls")).longValue()).isPositive();
            assertThat(p).containsEntry("errors", 0).containsKeys("redis_keys_per_s", "gb_per_s", "p50_ms", "p99_ms");
        }
    }
}
