package dev.lmcache.redis.cli;

import dev.lmcache.redis.cli.text.Failures;
import dev.lmcache.redis.embedded.ClusterNode;
import dev.lmcache.redis.embedded.EmbeddedRedis;
import dev.lmcache.redis.embedded.EmbeddedRedisCluster;
import dev.lmcache.redis.embedded.TlsMaterial;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code lmcache-redis server}: starts a throw-away Redis (standalone, or a cluster with
 * {@code --cluster}) on 127.0.0.1, prints how to connect, and runs until interrupted. Nothing is
 * persisted; Ctrl-C stops every process and removes their directories.
 */
@Command(name = "server",
        description = {
            "Start a throw-away Redis server or cluster on 127.0.0.1 and print how to connect.",
            "Runs until Ctrl-C; nothing is persisted."
        },
        sortOptions = false,
        mixinStandardHelpOptions = true)
final class ServerCommand extends BaseCommand {

    @Option(names = "--cluster", description = "Start a Redis Cluster instead of a standalone server.")
    boolean cluster;

    @Option(names = "--masters", paramLabel = "N", defaultValue = "3",
            description = "Cluster masters (with --cluster; default: ${DEFAULT-VALUE}).")
    int masters;

    @Option(names = "--replicas", paramLabel = "N", defaultValue = "0",
            description = "Replicas per master (with --cluster; default: ${DEFAULT-VALUE}).")
    int replicas;

    @Option(names = "--tls", description = "Listen with TLS only, with a CA generated now (its file is printed).")
    boolean tls;

    @Option(names = "--password", paramLabel = "SECRET", description = "Require this password (default user).")
    String password;

    @Option(names = "--rtt-ms", paramLabel = "MS",
            description = "Add this round-trip time with a delay proxy in front of each server (half each way).")
    double rttMillis;

    @Option(names = "--port", paramLabel = "PORT",
            description = "Port of the server (of the first node with --cluster, the others follow). Default: a free one.")
    int port;

    /** Released by the shutdown hook (Ctrl-C); an in-process caller stops the command by interrupting its thread. */
    private final CountDownLatch stop = new CountDownLatch(1);

    @Override
    protected int run() {
        validate();
        PrintWriter out = out();
        PrintWriter err = err();
        TlsMaterial material = tls ? TlsMaterial.generate() : null;
        Duration oneWay = Duration.ofNanos(Math.round(rttMillis * 1_000_000 / 2));
        AutoCloseable running;
        try {
            running = cluster ? startCluster(material, oneWay, out) : startStandalone(material, oneWay, out);
        } catch (RuntimeException e) {
            throw new IllegalStateException("could not start Redis: " + Failures.message(e), e);
        }
        if (material != null) {
            out.println("  TLS CA:      " + material.caCert());
            out.println("  Client cert: " + material.clientCert() + "  key: " + material.clientKey() + " (for mutual TLS)");
        }
        if (password != null) {
            out.println("  Password:    the one given with --password (not part of the URL)");
        }
        if (!oneWay.isZero()) {
            out.println("  Delay:       " + formatMillis(rttMillis) + " ms round trip (a proxy in front of each server)");
        }
        out.println("Nothing is persisted. Press Ctrl-C to stop.");
        out.flush();

        Thread hook = new Thread(() -> {
            stop.countDown();
            closeQuietly(running);
        }, "lmcache-redis-server-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        boolean interrupted = false;
        try {
            stop.await();
        } catch (InterruptedException e) {
            // Interruption is the in-process way to stop: shut down gracefully, then restore the flag.
            interrupted = true;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // The JVM is already shutting down; the hook does the closing.
            }
            closeQuietly(running);
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        err.println("Stopped.");
        err.flush();
        return EXIT_OK;
    }

    private void validate() {
        if (!cluster && (masters != 3 || replicas != 0)) {
            throw usageError("--masters and --replicas need --cluster");
        }
        if (masters < 1 || masters > 64) {
            throw usageError("--masters must be 1..64, was " + masters);
        }
        if (replicas < 0 || replicas > 4) {
            throw usageError("--replicas must be 0..4, was " + replicas);
        }
        if (rttMillis < 0 || rttMillis > 10_000) {
            throw usageError("--rtt-ms must be 0..10000, was " + rttMillis);
        }
        if (port != 0 && (port < 1 || port > (cluster ? 55535 - 300 : 65535))) {
            throw usageError("--port must be 1.." + (cluster ? 55535 - 300 : 65535)
                    + (cluster ? " (each cluster node also uses port+10000)" : "") + ", was " + port);
        }
        if (password != null && (password.isBlank() || password.chars().anyMatch(Character::isWhitespace))) {
            throw usageError("--password must be non-blank without whitespace");
        }
    }

    private AutoCloseable startStandalone(TlsMaterial material, Duration oneWay, PrintWriter out) {
        EmbeddedRedis.Builder builder = EmbeddedRedis.builder().oneWayDelay(oneWay);
        if (material != null) {
            builder.tls(material);
        }
        if (password != null) {
            builder.password(password);
        }
        if (port != 0) {
            builder.port(port);
        }
        EmbeddedRedis redis = builder.start();
        out.println("Redis is ready (standalone, redis-server pid " + redis.pid() + ").");
        out.println("  URL:         " + redis.url());
        if (!oneWay.isZero()) {
            out.println("  Real port:   " + redis.port() + " (without the delay)");
        }
        return redis;
    }

    private AutoCloseable startCluster(TlsMaterial material, Duration oneWay, PrintWriter out) {
        EmbeddedRedisCluster.Builder builder = EmbeddedRedisCluster.builder()
                .masters(masters).replicasPerMaster(replicas).oneWayDelay(oneWay);
        if (material != null) {
            builder.tls(material);
        }
        if (password != null) {
            builder.password(password);
        }
        if (port != 0) {
            builder.basePort(port);
        }
        EmbeddedRedisCluster redis = builder.start();
        out.println("Redis Cluster is ready (" + masters + " masters, " + replicas + " replicas per master).");
        out.println("  URL:         " + redis.url());
        out.println("  Seed nodes:  " + String.join(" ", redis.seedUrls()));
        out.println("  Nodes:       " + redis.nodes().stream()
                .map(n -> n.clientPort() + (n.isMaster() ? " (master)" : " (replica)"))
                .collect(Collectors.joining(", ")));
        if (!oneWay.isZero()) {
            out.println("  Real ports:  " + redis.nodes().stream().map(ClusterNode::port).map(String::valueOf)
                    .collect(Collectors.joining(", ")) + " (without the delay)");
        }
        return redis;
    }

    private static String formatMillis(double millis) {
        return millis == Math.rint(millis) ? Long.toString((long) millis) : Double.toString(millis);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // Shutting down anyway; the embedded module's own hook kills whatever is left.
        }
    }
}
