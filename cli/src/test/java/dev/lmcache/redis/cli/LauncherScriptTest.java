package dev.lmcache.redis.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./lmcache-redis} launcher rebuilds its jar when a source is newer than the jar.
 * Runs the real script in a copy of the checkout's layout, with {@code mvn} and {@code java}
 * replaced by scripts that record their calls (a real build would take a minute).
 */
class LauncherScriptTest {
    private static final Path SCRIPT = Path.of("..", "lmcache-redis");
    private static final Instant JAR_TIME = Instant.parse("2026-01-01T12:00:00Z");

    @TempDir
    Path root;

    @TempDir
    Path bin;

    private Path log;
    private Path jar;

    private record Result(int exitCode, String err, List<String> calls) {
    }

    @BeforeEach
    void layOutACheckout() throws IOException {
        Files.copy(SCRIPT, root.resolve("lmcache-redis"));
        log = bin.resolve("calls.log");
        jar = root.resolve("cli/target/lmcache-redis.jar");
        for (String file : List.of("pom.xml", "core/pom.xml", "core/src/main/java/A.java", "embedded/pom.xml",
                "embedded/src/main/java/B.java", "cli/pom.xml", "cli/src/main/java/C.java",
                "cli/src/main/resources/logback.xml", "cli/target/classes/C.class", "bench/src/main/java/D.java")) {
            touch(file, JAR_TIME.minusSeconds(3600));
        }
        touch("cli/target/lmcache-redis.jar", JAR_TIME);
        // mvn "builds" by touching the jar; java prints its arguments
        stub("mvn", "echo \"mvn $*\" >> '" + log + "'\nmkdir -p cli/target && touch cli/target/lmcache-redis.jar\n");
        stub("java", "echo \"java $*\" >> '" + log + "'\n");
        for (String tool : List.of("bash", "env", "find", "dirname", "readlink", "mkdir", "touch")) {
            Path real = List.of(Path.of("/usr/bin", tool), Path.of("/bin", tool)).stream().filter(Files::exists)
                    .findFirst().orElseThrow();
            Files.createSymbolicLink(bin.resolve(tool), real);
        }
    }

    private void touch(String file, Instant time) throws IOException {
        Path p = root.resolve(file);
        Files.createDirectories(p.getParent());
        if (!Files.exists(p)) {
            Files.writeString(p, file);
        }
        Files.setLastModifiedTime(p, FileTime.from(time));
    }

    private void stub(String name, String body) throws IOException {
        Path p = bin.resolve(name);
        Files.writeString(p, "#!/bin/bash\n" + body);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private Result launch() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(bin.resolve("bash").toString(), root.resolve("lmcache-redis").toString(),
                "version").redirectErrorStream(false);
        Map<String, String> env = pb.environment();
        env.clear();
        env.put("PATH", bin.toString());
        Process p = pb.start();
        p.getOutputStream().close();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        List<String> calls = Files.exists(log) ? Files.readAllLines(log) : List.of();
        Files.deleteIfExists(log);
        return new Result(p.exitValue(), err, calls);
    }

    @Test
    void aJarNewerThanEverySourceRunsWithoutABuild() throws Exception {
        Result r = launch();
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.calls()).containsExactly("java -jar " + jar.toRealPath() + " version");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void aSourceOrPomNewerThanTheJarRebuildsItFirst() throws Exception {
        for (String source : List.of("core/src/main/java/A.java", "embedded/src/main/java/B.java",
                "cli/src/main/resources/logback.xml", "pom.xml", "cli/pom.xml")) {
            touch("cli/target/lmcache-redis.jar", JAR_TIME);
            touch(source, JAR_TIME.plusSeconds(60));
            Result r = launch();
            assertThat(r.exitCode()).as("%s: %s", source, r.err()).isZero();
            assertThat(r.calls()).as(source).containsExactly("mvn -B -q -DskipTests package -pl cli -am",
                    "java -jar " + jar.toRealPath() + " version");
            assertThat(r.err()).as(source).contains(source + " changed since the jar was built; building it");
            // the stub build made the jar the newest file: the next run starts at once
            assertThat(launch().calls()).as(source).hasSize(1);
            touch(source, JAR_TIME.minusSeconds(3600));
        }
    }

    @Test
    void buildOutputAndOtherModulesDoNotCountAsSources() throws Exception {
        touch("cli/target/classes/C.class", JAR_TIME.plusSeconds(60));
        touch("bench/src/main/java/D.java", JAR_TIME.plusSeconds(60));
        assertThat(launch().calls()).containsExactly("java -jar " + jar.toRealPath() + " version");
    }

    @Test
    void aMissingJarIsBuilt() throws Exception {
        Files.delete(jar);
        Result r = launch();
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.calls()).hasSize(2).first().asString().startsWith("mvn ");
        assertThat(r.err()).contains("lmcache-redis.jar not found; building it");
    }

    @Test
    void withoutMavenAStaleJarStillRunsWithAWarning() throws Exception {
        Files.delete(bin.resolve("mvn"));
        touch("core/src/main/java/A.java", JAR_TIME.plusSeconds(60));
        Result r = launch();
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.calls()).containsExactly("java -jar " + jar.toRealPath() + " version");
        assertThat(r.err()).contains("warning: core/src/main/java/A.java changed since the jar was built, but mvn is"
                + " not on PATH");
    }
}
