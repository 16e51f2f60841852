package dev.lmcache.redis.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;
import picocli.CommandLine;

class BenchCompareCommandTest {

    @TempDir
    Path dir;

    record Result(int exitCode, String out, String err) {
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    /** JSON is YAML: SnakeYAML (already a dependency) reads it back. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> readJson(Path file) throws Exception {
        return (Map<String, Object>) new Yaml().load(Files.readString(file));
    }

    @Test
    @SuppressWarnings("unchecked")
    void oneCombinationPrintsTheTableAndWritesJsonWithTheDocumentedFields() throws Exception {
        Path json = dir.resolve("compare.json");
        Result r = run("bench", "compare", "--keys", "20", "--value-bytes", "512", "--reps", "3", "--warmup", "1",
                "--json", json.toString());

        assertThat(r.exitCode()).as("stderr: %s", r.err()).isZero();
        assertThat(r.out()).contains("median ms", "p95 ms", "p99 ms", "speedup", "naive", "batched", "Verified");
        Map<String, Object> doc = readJson(json);
        assertThat(doc).containsKeys("target", "cluster", "results");
        List<Map<String, Object>> results = (List<Map<String, Object>>) doc.get("results");
        assertThat(results).hasSize(1);
        Map<String, Object> one = results.get(0);
        assertThat(one).containsEntry("keys", 20).containsEntry("value_bytes", 512).containsEntry("mismatches", 0)
                .containsKeys("naive_reps", "batched_reps", "warmup", "read", "write");
        for (String op : List.of("read", "write")) {
            Map<String, Object> side = (Map<String, Object>) one.get(op);
            assertThat(side).containsKeys("naive", "batched", "speedup");
            assertThat(((Number) side.get("speedup")).doubleValue()).isPositive();
            Map<String, Object> naive = (Map<String, Object>) side.get("naive");
            assertThat(naive).containsEntry("count", 3).containsKeys("median_ms", "p95_ms", "p99_ms", "max_ms", "mean_ms");
            assertThat(((Number) naive.get("median_ms")).doubleValue()).isPositive();
        }
    }

    @Test
    void aSweepWritesOneCsvRowPerCombinationOpAndMode() throws Exception {
        Path csv = dir.resolve("sweep.csv");
        Result r = run("bench", "compare", "--keys", "4,8", "--value-bytes", "256,1k", "--reps", "2", "--warmup", "0",
                "--csv", csv.toString());

        assertThat(r.exitCode()).as("stderr: %s", r.err()).isZero();
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        assertThat(lines.get(0)).isEqualTo("keys,value_bytes,op,mode,median_ms,p95_ms,p99_ms,speedup");
        assertThat(lines).hasSize(1 + 2 * 2 * 4);
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            assertThat(f).hasSize(8);
            assertThat(f[0]).isIn("4", "8");
            assertThat(f[1]).isIn("256", "1024");
            assertThat(f[2]).isIn("read", "write");
            assertThat(f[3]).isIn("naive", "batched");
            assertThat(Double.parseDouble(f[4])).isPositive();
            assertThat(Double.parseDouble(f[7])).isPositive();
        }
        assertThat(lines).anyMatch(l -> l.startsWith("8,1024,write,batched,"));
        assertThat(r.out()).contains("Compare sweep");
    }

    @Test
    void theComparisonRunsOnAClusterWithAClusterClientForTheNaiveSide() throws Exception {
        Path json = dir.resolve("cluster.json");
        Result r = run("bench", "compare", "--embedded-cluster", "--keys", "30", "--value-bytes", "256", "--reps", "2",
                "--warmup", "0", "--json", json.toString());

        assertThat(r.exitCode()).as("stdout: %s stderr: %s", r.out(), r.err()).isZero();
        assertThat(r.out()).contains("cluster", "Verified");
        assertThat(readJson(json)).containsEntry("cluster", true);
    }

    @Test
    void thePlotIsAReadablePngImage() throws Exception {
        Path png = dir.resolve("compare.png");
        Result r = run("bench", "compare", "--keys", "10", "--value-bytes", "256", "--reps", "2", "--warmup", "0",
                "--plot", png.toString());

        assertThat(r.exitCode()).as("stderr: %s", r.err()).isZero();
        byte[] head = java.util.Arrays.copyOf(Files.readAllBytes(png), 8);
        assertThat(head).containsExactly(0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n');
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(1000);
        assertThat(image.getHeight()).isEqualTo(600);
    }

    @Test
    void aSweepPlotIsAPngToo() throws Exception {
        Path png = dir.resolve("sweep.png");
        Result r = run("bench", "compare", "--keys", "4,8", "--value-bytes", "256", "--reps", "1", "--warmup", "0",
                "--plot", png.toString());

        assertThat(r.exitCode()).as("stderr: %s", r.err()).isZero();
        assertThat(ImageIO.read(png.toFile())).isNotNull();
    }

    @Test
    void anOutOfRangeKeyCountIsAUsageErrorNamingTheOption() {
        Result r = run("bench", "compare", "--keys", "0");

        assertThat(r.exitCode()).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(r.err()).contains("--keys", "out of range");
    }

    @Test
    void benchWithoutASubcommandIsAUsageErrorListingThem() {
        Result r = run("bench");

        assertThat(r.exitCode()).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(r.err()).contains("compare", "workload", "load", "throughput");
    }
}
