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

class BenchLoadCommandTest {

    @TempDir
    Path dir;

    @Test
    @SuppressWarnings("unchecked")
    void tenSecondsOfMixedLoadOnAThreeMasterClusterLoseNothingAndReportNoErrors() throws Exception {
        Path json = dir.resolve("load.json");
        Path png = dir.resolve("load.png");
        // the short version of the 60 s load of issue 6: a 3-master cluster, 10 s, nothing lost
        Result r = run("bench", "load", "--embedded-cluster", "--duration", "10s", "--concurrency", "8", "--chunk-bytes", "4k",
                "--max-chunks", "16", "--json", json.toString(), "--plot", png.toString());

        assertThat(r.exitCode()).as("stdout: %s stderr: %s", r.out(), r.err()).isZero();
        assertThat(r.out()).contains("ops/s", "heap MB", "direct MB", "Final read-back", "OK: no errors, nothing lost");
        Map<String, Object> doc = readJson(json);
        assertThat(doc).containsEntry("ok", true).containsEntry("read_missing", 0).containsEntry("read_mismatches", 0);
        assertThat((Map<String, Object>) doc.get("errors")).isEmpty();
        assertThat(((Number) doc.get("reads")).longValue()).isPositive();
        assertThat(((Number) doc.get("writes")).longValue()).isPositive();
        Map<String, Object> check = (Map<String, Object>) doc.get("final_check");
        assertThat(check).containsEntry("missing", 0).containsEntry("mismatched", 0).containsEntry("errors", 0);
        // every distinct chunk stored is read back; past --max-stored-bytes, writes rewrite earlier chunks
        assertThat(((Number) check.get("chunks")).longValue()).isPositive()
                .isLessThanOrEqualTo(((Number) doc.get("chunks_written")).longValue());
        List<Map<String, Object>> intervals = (List<Map<String, Object>>) doc.get("intervals");
        assertThat(intervals).hasSizeBetween(9, 11);
        assertThat(intervals.get(0)).containsKeys("t_s", "ops_per_s", "heap_used_bytes", "direct_bytes");
        Map<String, Object> memory = (Map<String, Object>) doc.get("memory");
        assertThat((Map<String, Object>) memory.get("max_after_warmup")).containsKeys("heap_used_bytes", "direct_bytes");
        assertThat((Map<String, Object>) memory.get("at_end")).containsKeys("heap_after_gc_bytes", "netty_direct_bytes");
        assertThat(javax.imageio.ImageIO.read(png.toFile())).isNotNull();
    }
}
