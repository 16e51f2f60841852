package dev.lmcache.redis.embedded;

import io.lettuce.core.RedisURI;
import io.lettuce.core.sentinel.api.StatefulRedisSentinelConnection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A Redis Sentinel setup on the loopback interface: one master, optional replicas and one sentinel
 * process ({@code redis-server sentinel.conf --sentinel}) monitoring the master with quorum 1.
 *
 * <p>{@link Builder#start()} returns once the sentinel reports the master's address, knows every
 * replica and every replica's link to the master is up. The sentinel itself requires no password
 * and uses no TLS; a password set with {@link Builder#password(String)} applies to the data nodes
 * (the sentinel is configured with it as {@code auth-pass}). Failure detection is quick for tests:
 * {@code down-after-milliseconds 2000}, {@code failover-timeout 10000}.
 *
 * <p>Instances are thread-safe; {@link #close()} stops all processes.
 */
public final class EmbeddedSentinel implements AutoCloseable {

    /** The master name used unless {@link Builder#masterName(String)} sets another. */
    public static final String DEFAULT_MASTER_NAME = "redismaster";
    private static final Pattern MASTER_NAME = Pattern.compile("[A-Za-z0-9._-]+");

    private final EmbeddedRedis master;
    private final List<EmbeddedRedis> replicas;
    private final RedisProcess sentinel;
    private final int sentinelPort;
    private final String masterName;
    private final String password;
    private final Admin admin;

    private EmbeddedSentinel(EmbeddedRedis master, List<EmbeddedRedis> replicas, RedisProcess sentinel, int sentinelPort,
            String masterName, String password, Admin admin) {
        this.master = master;
        this.replicas = List.copyOf(replicas);
        this.sentinel = sentinel;
        this.sentinelPort = sentinelPort;
        this.masterName = masterName;
        this.password = password;
        this.admin = admin;
    }

    /** Returns a builder for master name {@value #DEFAULT_MASTER_NAME}, no replica, no password. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns {@code redis-sentinel://127.0.0.1:<sentinelPort>}, without master name or credentials. */
    public String url() {
        return "redis-sentinel://127.0.0.1:" + sentinelPort;
    }

    /**
     * Returns a Lettuce sentinel URI for {@link #masterName()} with the data nodes' password (if any),
     * for {@code RedisClient.connect(...)} or master/replica connections.
     */
    public RedisURI redisUri() {
        RedisURI.Builder b = RedisURI.Builder.sentinel("127.0.0.1", sentinelPort, masterName);
        if (password != null) {
            b.withPassword(password.toCharArray());
        }
        return b.build();
    }

    /** Returns the sentinel's port. */
    public int sentinelPort() {
        return sentinelPort;
    }

    /** Returns the name the sentinel monitors the master under. */
    public String masterName() {
        return masterName;
    }

    /** Returns the data node the setup started with as master (a failover may change the actual master). */
    public EmbeddedRedis master() {
        return master;
    }

    /** Returns the replicas, in start order. */
    public List<EmbeddedRedis> replicas() {
        return replicas;
    }

    /** Returns the data nodes' password, if one was set. */
    public Optional<String> password() {
        return Optional.ofNullable(password);
    }

    /**
     * Asks the sentinel for the current master address (SENTINEL get-master-addr-by-name).
     *
     * @throws IllegalStateException if the sentinel does not answer or knows no master
     */
    public InetSocketAddress currentMasterAddress() {
        try (StatefulRedisSentinelConnection<String, String> c = admin.sentinel(sentinelPort)) {
            SocketAddress address = c.sync().getMasterAddrByName(masterName);
            if (!(address instanceof InetSocketAddress)) {
                throw new IllegalStateException("sentinel knows no master named '" + masterName + "'");
            }
            return (InetSocketAddress) address;
        }
    }

    /** Returns the sentinel process id. */
    public long sentinelPid() {
        return sentinel.pid();
    }

    /** Stops the sentinel and all data nodes and removes their directories. Idempotent. */
    @Override
    public void close() {
        sentinel.signalStop();
        master.signalStop();
        replicas.forEach(EmbeddedRedis::signalStop);
        try {
            sentinel.close();
        } finally {
            try {
                master.close();
            } finally {
                replicas.forEach(EmbeddedRedis::close);
                admin.close();
            }
        }
    }

    @Override
    public String toString() {
        return "EmbeddedSentinel[" + url() + ", master " + masterName + " at 127.0.0.1:" + master.port()
                + ", " + replicas.size() + " replica(s)]";
    }

    /** Configures and starts an {@link EmbeddedSentinel}. Builders are not thread-safe. */
    public static final class Builder {
        private String masterName = DEFAULT_MASTER_NAME;
        private String password;
        private int replicas;
        private Duration startTimeout = Duration.ofSeconds(30);

        private Builder() {
        }

        /**
         * The name the sentinel monitors the master under (default {@value #DEFAULT_MASTER_NAME}).
         *
         * @throws IllegalArgumentException unless made of letters, digits, '.', '_' and '-'
         */
        public Builder masterName(String name) {
            if (name == null || !MASTER_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("master name must match " + MASTER_NAME + ", was '" + name + "'");
            }
            this.masterName = name;
            return this;
        }

        /** The data nodes require this password; the sentinel authenticates to them with it. */
        public Builder password(String password) {
            EmbeddedRedis.builder().password(password);
            this.password = password;
            return this;
        }

        /**
         * Number of replicas of the master (default 0).
         *
         * @throws IllegalArgumentException if not in 0..4
         */
        public Builder replicas(int replicas) {
            if (replicas < 0 || replicas > 4) {
                throw new IllegalArgumentException("replicas must be 0..4, was " + replicas);
            }
            this.replicas = replicas;
            return this;
        }

        /**
         * Starts master, replicas and sentinel; returns once the sentinel reports the master and
         * knows the replicas.
         *
         * @throws IllegalStateException if a process cannot start or the sentinel is not ready within 30 s
         */
        public EmbeddedSentinel start() {
            List<EmbeddedRedis> started = new ArrayList<>();
            RedisProcess sentinel = null;
            Admin admin = new Admin(null, password);
            try {
                EmbeddedRedis master = dataNode().label("sentinel master").start();
                started.add(master);
                List<EmbeddedRedis> replicaList = new ArrayList<>();
                for (int i = 0; i < replicas; i++) {
                    EmbeddedRedis replica = dataNode().label("sentinel replica " + i)
                            .config("replicaof", "127.0.0.1", Integer.toString(master.port())).start();
                    started.add(replica);
                    replicaList.add(replica);
                }
                // Linked replicas show up in the master's INFO, which the sentinel reads as soon as it
                // connects; replicas attached later would only be found at its next poll, 10 s on.
                awaitReplicasLinked(replicaList, admin);
                int port = Ports.pickServerPort();
                Path dir = RedisProcess.newDir("lmcache-sentinel-" + port + "-");
                Path conf = dir.resolve("sentinel.conf");
                writeConfig(conf, port, dir, master.port());
                sentinel = new RedisProcess("sentinel 127.0.0.1:" + port, dir,
                        List.of(conf.toString(), "--sentinel"), port, EmbeddedRedis.DEFAULT_START_TIMEOUT);
                sentinel.start();
                EmbeddedSentinel result = new EmbeddedSentinel(master, replicaList, sentinel, port, masterName, password, admin);
                awaitReady(result, admin);
                return result;
            } catch (RuntimeException e) {
                if (sentinel != null) {
                    sentinel.close();
                }
                started.forEach(EmbeddedRedis::close);
                admin.close();
                throw e;
            }
        }

        private EmbeddedRedis.Builder dataNode() {
            EmbeddedRedis.Builder b = EmbeddedRedis.builder();
            if (password != null) {
                b.password(password);
            }
            return b;
        }

        private void writeConfig(Path conf, int port, Path dir, int masterPort) {
            StringBuilder sb = new StringBuilder();
            sb.append("port ").append(port).append('\n');
            sb.append("bind 127.0.0.1\n");
            sb.append("daemonize no\n");
            sb.append("logfile \"\"\n");
            sb.append("dir \"").append(dir).append("\"\n");
            sb.append("sentinel monitor ").append(masterName).append(" 127.0.0.1 ").append(masterPort).append(" 1\n");
            sb.append("sentinel down-after-milliseconds ").append(masterName).append(" 2000\n");
            sb.append("sentinel failover-timeout ").append(masterName).append(" 10000\n");
            sb.append("sentinel parallel-syncs ").append(masterName).append(" 1\n");
            if (password != null) {
                sb.append("sentinel auth-pass ").append(masterName).append(' ').append(password).append('\n');
            }
            try {
                Files.writeString(conf, sb.toString(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + conf, e);
            }
        }

        private void awaitReady(EmbeddedSentinel setup, Admin admin) {
            long deadline = System.nanoTime() + startTimeout.toNanos();
            String problem = "not asked yet";
            while (System.nanoTime() < deadline) {
                problem = readinessProblem(setup, admin);
                if (problem == null) {
                    return;
                }
                pause(50);
            }
            throw new IllegalStateException("sentinel not ready within " + startTimeout.toMillis() + " ms: " + problem
                    + "\n--- sentinel output ---\n" + String.join("\n", setup.sentinel.lastLines()));
        }

        private void awaitReplicasLinked(List<EmbeddedRedis> replicaList, Admin admin) {
            long deadline = System.nanoTime() + startTimeout.toNanos();
            for (EmbeddedRedis replica : replicaList) {
                while (!linked(replica, admin)) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException(replica + " did not link to its master within "
                                + startTimeout.toMillis() + " ms\n--- its output ---\n" + String.join("\n", replica.lastOutput()));
                    }
                    pause(20);
                }
            }
        }

        private static boolean linked(EmbeddedRedis replica, Admin admin) {
            String info = admin.tryOn(replica.port(), c -> c.info("replication"));
            return info != null && InfoFields.get(info, "master_link_status").orElse("").equals("up");
        }

        private static void pause(long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the sentinel setup", e);
            }
        }

        private String readinessProblem(EmbeddedSentinel setup, Admin admin) {
            try (StatefulRedisSentinelConnection<String, String> c = admin.sentinel(setup.sentinelPort)) {
                SocketAddress address = c.sync().getMasterAddrByName(masterName);
                if (!(address instanceof InetSocketAddress)
                        || ((InetSocketAddress) address).getPort() != setup.master.port()) {
                    return "sentinel reports master address " + address;
                }
                List<Map<String, String>> known = c.sync().replicas(masterName);
                if (known.size() < setup.replicas.size()) {
                    return "sentinel knows " + known.size() + " of " + setup.replicas.size() + " replicas";
                }
            } catch (RuntimeException e) {
                return "sentinel does not answer: " + e.getMessage();
            }
            for (EmbeddedRedis replica : setup.replicas) {
                if (!linked(replica, admin)) {
                    return replica + " has no replication link to the master yet";
                }
            }
            return null;
        }
    }
}
