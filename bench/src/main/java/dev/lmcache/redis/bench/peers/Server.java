package dev.lmcache.redis.bench.peers;

import dev.lmcache.redis.ConfigException;
import dev.lmcache.redis.HostAndPort;
import dev.lmcache.redis.RedisMode;
import dev.lmcache.redis.StoreConfig;
import dev.lmcache.redis.embedded.EmbeddedRedis;
import dev.lmcache.redis.embedded.EmbeddedRedisCluster;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import dev.lmcache.redis.embedded.ClusterNode;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * Where a workload runs: a standalone server or a cluster, either started for the run (embedded
 * redis-server processes, optionally behind an emulated round trip) or the user's own, given as
 * a URL. Every peer connects from the same URL; {@link #config()} is the store's reading of it,
 * and the plain clients take their endpoints, credentials, database and TLS flag from there.
 */
final class Server implements AutoCloseable {
    private final String name;
    private final StoreConfig config;
    private final String description;
    private final AutoCloseable embedded;
    private final double emulatedRttMs;

    private Server(String name, StoreConfig config, String description, AutoCloseable embedded, double emulatedRttMs) {
        this.name = name;
        this.config = config;
        this.description = description;
        this.embedded = embedded;
        this.emulatedRttMs = emulatedRttMs;
    }

    /** Starts an embedded standalone server or 3-master cluster, behind a delay proxy of {@code rttMs} (0: none). */
    static Server embedded(boolean cluster, double rttMs) {
        Duration oneWay = Duration.ofNanos(Math.round(rttMs * 1e6 / 2));
        String rtt = rttMs > 0 ? String.format(Locale.ROOT, ", emulated RTT %.1f ms", rttMs) : ", loopback";
        if (cluster) {
            EmbeddedRedisCluster.Builder b = EmbeddedRedisCluster.builder().masters(3);
            if (rttMs > 0) {
                b.oneWayDelay(oneWay);
            }
            EmbeddedRedisCluster c = b.start();
            return new Server("cluster", StoreConfig.fromUrl(c.url()), "embedded 3-master cluster " + c.url() + rtt, c, rttMs);
        }
        EmbeddedRedis.Builder b = EmbeddedRedis.builder();
        if (rttMs > 0) {
            b.oneWayDelay(oneWay);
        }
        EmbeddedRedis r = b.start();
        return new Server("standalone", StoreConfig.fromUrl(r.url()), "embedded standalone " + r.url() + rtt, r, rttMs);
    }

    /**
     * The user's server: {@code redis://}, {@code rediss://}, {@code valkey://} (standalone) or
     * {@code redis-cluster://}, {@code rediss-cluster://} (cluster), with credentials if needed.
     *
     * @throws ConfigException if the URL is invalid, or names a sentinel or unix socket (the plain
     *     clients here are set up for standalone and cluster servers only)
     */
    static Server ofUrl(String url) {
        StoreConfig config = StoreConfig.fromUrl(url);
        if (config.mode() == RedisMode.SENTINEL || config.unixSocket().isPresent()) {
            throw new ConfigException("--url " + config.redactedUrl() + ": PeerBench runs against a standalone server or a cluster"
                    + " over TCP; accepted: redis://, rediss://, valkey://, redis-cluster://, rediss-cluster://");
        }
        String kind = config.mode() == RedisMode.CLUSTER ? "cluster" : "standalone";
        return new Server(kind, config, config.redactedUrl() + " (" + kind + ")", null, 0);
    }

    /** {@code standalone} or {@code cluster}: the target column of the tables. */
    String name() {
        return name;
    }

    boolean isCluster() {
        return config.mode() == RedisMode.CLUSTER;
    }

    /** The store's configuration for this server (layout as the URL says; peers override it). */
    StoreConfig config() {
        return config;
    }

    /** The redacted URL and what it is, for the report. */
    String description() {
        return description;
    }

    /** The emulated round trip of an embedded server's delay proxy, 0 for loopback or the user's server. */
    double emulatedRttMs() {
        return emulatedRttMs;
    }

    /** Lettuce URIs of the endpoints (the server, or the cluster's seed nodes), with credentials and TLS. */
    List<RedisURI> lettuceUris() {
        List<RedisURI> uris = new ArrayList<>();
        for (HostAndPort hp : config.endpoints()) {
            RedisURI.Builder b = RedisURI.builder().withHost(hp.host()).withPort(hp.port()).withSsl(config.tls());
            if (!isCluster()) {
                b.withDatabase(config.database());
            }
            config.password().ifPresent(p -> config.username().ifPresentOrElse(
                    u -> b.withAuthentication(u, p), () -> b.withPassword(p)));
            uris.add(b.build());
        }
        return uris;
    }

    /**
     * The round trip as a client sees it: the best of 5 PINGs on each master, the slowest
     * master's best (what the store's {@code ping()} reports too), in nanoseconds.
     */
    long pingRttNanos() {
        if (isCluster()) {
            RedisClusterClient client = RedisClusterClient.create(lettuceUris());
            try (StatefulRedisClusterConnection<String, String> c = client.connect()) {
                long worst = 0;
                for (RedisClusterNode node : c.getPartitions()) {
                    if (node.is(RedisClusterNode.NodeFlag.UPSTREAM)) {
                        StatefulRedisConnection<String, String> n = c.getConnection(node.getNodeId());
                        worst = Math.max(worst, bestOfFivePings(() -> n.sync().ping()));
                    }
                }
                return worst;
            } finally {
                client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            }
        }
        RedisClient client = RedisClient.create(lettuceUris().get(0));
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            return bestOfFivePings(() -> c.sync().ping());
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    private static long bestOfFivePings(Runnable ping) {
        ping.run();
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            long t0 = System.nanoTime();
            ping.run();
            best = Math.min(best, System.nanoTime() - t0);
        }
        return best;
    }

    /**
     * The minor page faults of the embedded redis-server processes so far (summed over a
     * cluster's nodes), from {@code /proc/PID/stat}; empty for the user's server or where
     * {@code /proc} is not readable. A large-value workload's server should add none: it
     * overwrites values in memory it already has.
     */
    OptionalLong serverMinorFaults() {
        List<Long> pids = pids();
        if (pids.isEmpty()) {
            return OptionalLong.empty();
        }
        long sum = 0;
        for (long pid : pids) {
            try {
                String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
                // fields after the parenthesised command name: state is field 3, minflt field 10
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                sum += Long.parseLong(f[7]);
            } catch (IOException | RuntimeException e) {
                return OptionalLong.empty();
            }
        }
        return OptionalLong.of(sum);
    }

    /**
     * The CPU time the embedded redis-server processes have used so far, every thread (summed
     * over a cluster's nodes), in nanoseconds, from {@code /proc/PID/task/TID/schedstat}; empty
     * for the user's server or where {@code /proc} is not readable. Over a large-value
     * operation, this against the wall time shows how close the server is to one busy core.
     */
    OptionalLong serverCpuNanos() {
        List<Long> pids = pids();
        if (pids.isEmpty()) {
            return OptionalLong.empty();
        }
        long sum = 0;
        for (long pid : pids) {
            try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
                for (Path task : tasks) {
                    // first field: time spent on a CPU, ns
                    String stat = Files.readString(task.resolve("schedstat")).trim();
                    sum += Long.parseLong(stat.substring(0, stat.indexOf(' ')));
                }
            } catch (IOException | RuntimeException e) {
                return OptionalLong.empty();
            }
        }
        return OptionalLong.of(sum);
    }

    private List<Long> pids() {
        List<Long> pids = new ArrayList<>();
        if (embedded instanceof EmbeddedRedis r) {
            pids.add(r.pid());
        } else if (embedded instanceof EmbeddedRedisCluster c) {
            for (ClusterNode n : c.nodes()) {
                pids.add(n.pid());
            }
        }
        return pids;
    }

    /** Stops the embedded servers, if this run started them. */
    @Override
    public void close() {
        if (embedded != null) {
            try {
                embedded.close();
            } catch (Exception e) {
                System.err.println("warning: could not stop the embedded servers cleanly: " + e);
            }
        }
    }
}
