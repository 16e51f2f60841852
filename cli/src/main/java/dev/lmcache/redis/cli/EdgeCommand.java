package dev.lmcache.redis.cli;

import dev.lmcache.redis.cli.target.Target;
import dev.lmcache.redis.edge.EdgeConfig;
import dev.lmcache.redis.edge.EdgeServer;
import dev.lmcache.redis.edge.WriteMode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code lmcache-redis edge}: the LMCache edge ({@link EdgeServer}) on the target, until Ctrl-C.
 * A thin shell: it parses the options into an {@link EdgeConfig} and runs the engine.
 */
@Command(name = "edge",
        description = {
            "Serve LMCache's native resp client (MP --l2-adapter '{\"type\":\"resp\",...}', in-process resp://) from the target:",
            "Redis Cluster, TLS, ACL tenants and a local memory tier for a client that speaks RESP2 to one plain server.",
            "Runs until Ctrl-C; queued write-behind values are flushed first."
        },
        sortOptions = false,
        mixinStandardHelpOptions = true)
final class EdgeCommand extends TargetCommand {

    @Option(names = "--listen", paramLabel = "HOST:PORT", required = true,
            description = "Where LMCache connects, e.g. 127.0.0.1:6380 (port 0: a free one).")
    String listen;

    @Option(names = "--chunk-bytes", paramLabel = "SIZE",
            description = "Size of every value (one full chunk, e.g. 32m). Without it, learned from the first SET.")
    ByteSize chunkBytes;

    @Option(names = "--max-value-bytes", paramLabel = "SIZE",
            description = "Refuse larger values before buffering them (default: the chunk size, else 512m).")
    ByteSize maxValueBytes;

    @Option(names = "--memory", paramLabel = "SIZE", defaultValue = "0",
            description = "Local memory tier for hot chunks (e.g. 4g; default: off).")
    ByteSize memory;

    @Option(names = "--lease", paramLabel = "DURATION", defaultValue = "10s",
            description = "With --memory: how long an EXISTS that answered 1 holds the value for the GET (default: ${DEFAULT-VALUE}).")
    TimeSpan lease;

    @Option(names = "--write", paramLabel = "MODE", defaultValue = "through",
            description = "through: +OK once Redis stored it (default); behind: +OK once queued (lost if the edge dies).")
    String write;

    @Option(names = "--write-queue", paramLabel = "SIZE", defaultValue = "256m",
            description = "With --write behind: the queue's size; SETs wait when it is full (default: ${DEFAULT-VALUE}).")
    ByteSize writeQueue;

    @Option(names = "--tenants", paramLabel = "FILE",
            description = "YAML file mapping AUTH user/password to a key prefix and/or an upstream ACL user.")
    Path tenants;

    @Option(names = "--metrics-port", paramLabel = "PORT", defaultValue = "0",
            description = "Serve Prometheus metrics at http://HOST:PORT/metrics (default: off).")
    int metricsPort;

    private final CountDownLatch stop = new CountDownLatch(1);

    @Override
    protected int run() throws Exception {
        EdgeConfig config = parsed(this::config);
        PrintWriter out = out();
        try (Target t = openTarget()) {
            EdgeServer edge = EdgeServer.start(config, t.config());
            out.println("LMCache edge listening on " + config.listen().getHostString() + ":" + edge.port() + " -> " + t.description());
            out.println("  MP:          --l2-adapter '{\"type\":\"resp\",\"host\":\"" + config.listen().getHostString()
                    + "\",\"port\":" + edge.port() + "}'");
            out.println("  in-process:  remote_url: resp://" + config.listen().getHostString() + ":" + edge.port());
            edge.metricsPort().ifPresent(p -> out.println("  metrics:     http://" + config.listen().getHostString() + ":" + p + "/metrics"));
            out.println("Press Ctrl-C to stop.");
            out.flush();
            Thread hook = new Thread(() -> {
                stop.countDown();
                edge.close();
            }, "lmcache-redis-edge-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                stop.await();
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException e) {
                    // the JVM is shutting down: the hook closes the edge
                }
                edge.close();
            }
        }
        return EXIT_OK;
    }

    private EdgeConfig config() {
        int colon = listen.lastIndexOf(':');
        int port;
        try {
            port = colon < 1 ? -1 : Integer.parseInt(listen.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        String host = colon < 1 ? "" : listen.substring(0, colon).replace("[", "").replace("]", "");
        if (port < 0 || port > 65535 || host.isBlank()) {
            throw new IllegalArgumentException("--listen needs HOST:PORT with a port 0..65535, e.g. 127.0.0.1:6380; got '" + listen + "'");
        }
        EdgeConfig.Builder b = EdgeConfig.builder()
                .listen(host, port)
                .memoryBytes(memory.bytes())
                .lease(lease.duration())
                .writeMode(WriteMode.parse(write))
                .writeQueueBytes(writeQueue.bytes())
                .metricsPort(metricsPort);
        if (chunkBytes != null) {
            b.chunkBytes(chunkBytes.bytes());
        }
        if (maxValueBytes != null) {
            b.maxValueBytes(maxValueBytes.bytes());
        }
        if (tenants != null) {
            b.tenantsFile(tenants);
        }
        return b.build();
    }
}
