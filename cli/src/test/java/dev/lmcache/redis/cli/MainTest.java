package dev.lmcache.redis.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MainTest {

    private record Result(int exitCode, String out, String err) {
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void versionPrintsTheToolJavaAndLettuceVersions() {
        Result result = run("version");
        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("lmcache-redis 0.1.0-SNAPSHOT")
                .contains("Java " + System.getProperty("java.version"))
                .contains("Lettuce 7.7.0");
    }

    @Test
    void theVersionOptionPrintsTheSameAsTheVersionCommand() {
        assertThat(run("--version").out()).isEqualTo(run("version").out());
    }

    @Test
    void helpListsTheSubcommands() {
        Result result = run("--help");
        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("version").contains("server");
    }

    @Test
    void helpListsTheCommandsInSectionsAndAnyOtherCommandUnderOther() {
        StringWriter out = new StringWriter();
        CommandLine cli = Main.commandLine().setOut(new PrintWriter(out, true));
        cli.addSubcommand("extra", new VersionCommand());
        assertThat(cli.execute("--help")).isZero();
        String help = out.toString();
        assertThat(help).containsSubsequence("Try:", "demo", "check", "server", "Chunks:", "put", "get", "exists", "delete",
                "Operate:", "inspect", "acl", "Measure:", "bench", "Other:", "version", "help", "extra");
        assertThat(help).doesNotContain("Commands:");
        for (String name : CommandSections.listed()) {
            assertThat(cli.getSubcommands()).as("a section lists %s, which is no command", name).containsKey(name);
        }
    }

    @Test
    void anUnknownCommandIsAUsageError() {
        Result result = run("no-such-command");
        assertThat(result.exitCode()).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(result.err()).contains("no-such-command");
    }

    @Test
    void noCommandIsAUsageErrorThatShowsTheUsage() {
        Result result = run();
        assertThat(result.exitCode()).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(result.err()).contains("Usage: lmcache-redis");
    }

    @Test
    void clusterOnlyOptionsWithoutClusterAreAUsageError() {
        Result result = run("server", "--replicas", "1");
        assertThat(result.exitCode()).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(result.err()).contains("--masters and --replicas need --cluster");
    }

    @Test
    void serverClusterPrintsAWorkingUrlAndStopsCleanlyWhenInterrupted() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
        AtomicInteger exitCode = new AtomicInteger(-1);
        Thread server = new Thread(() -> exitCode.set(cli.execute("server", "--cluster")), "server-command");
        server.start();
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!out.toString().contains("Press Ctrl-C") && System.nanoTime() < deadline && server.isAlive()) {
                Thread.sleep(20);
            }
            assertThat(out.toString()).as("stdout; stderr: %s", err).contains("Press Ctrl-C");

            String url = out.toString().lines().filter(l -> l.trim().startsWith("URL:")).findFirst().orElseThrow()
                    .replaceFirst(".*URL:\\s*", "").trim();
            assertThat(url).startsWith("redis-cluster://127.0.0.1:");
            List<RedisURI> seeds = new ArrayList<>();
            for (String hostPort : url.substring("redis-cluster://".length()).split(",")) {
                String[] parts = hostPort.split(":");
                seeds.add(RedisURI.create(parts[0], Integer.parseInt(parts[1])));
            }
            RedisClusterClient client = RedisClusterClient.create(seeds);
            try (StatefulRedisClusterConnection<String, String> c = client.connect()) {
                c.sync().set("cli-test:a", "1");
                c.sync().set("cli-test:b", "2");
                assertThat(c.sync().get("cli-test:a")).isEqualTo("1");
                assertThat(c.sync().get("cli-test:b")).isEqualTo("2");
            } finally {
                client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            }

            server.interrupt();
            server.join(Duration.ofSeconds(20).toMillis());
            assertThat(server.isAlive()).isFalse();
            assertThat(exitCode.get()).isZero();
            assertThat(err.toString()).contains("Stopped.");
            for (RedisURI seed : seeds) {
                assertThat(accepts(seed.getPort())).as("port %d still accepts connections", seed.getPort()).isFalse();
            }
        } finally {
            server.interrupt();
            server.join(Duration.ofSeconds(20).toMillis());
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
