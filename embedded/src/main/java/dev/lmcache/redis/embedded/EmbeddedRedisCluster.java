package dev.lmcache.redis.embedded;

import io.lettuce.core.RedisURI;
import io.lettuce.core.SslVerifyMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Redis Cluster of redis-server processes on the loopback interface: by default 3 masters
 * with the 16384 slots split evenly and no replicas.
 *
 * <p>{@link Builder#start()} returns only when every node reports {@code cluster_state:ok}, every
 * node agrees on slot ownership and every replica's link to its master is up. With a delay
 * ({@link Builder#oneWayDelay(Duration)}) each node has its own {@link DelayProxy} and announces
 * the proxy's port, so every client hop, redirections included, pays the delay, while the
 * cluster bus between nodes stays direct.
 *
 * <pre>{@code
 * try (EmbeddedRedisCluster cluster = EmbeddedRedisCluster.builder().masters(3).start()) {
 *     RedisClusterClient client = RedisClusterClient.create(cluster.seedUris());
 * }
 * }</pre>
 *
 * <p>Instances are thread-safe; {@link #close()} stops every node.
 */
public final class EmbeddedRedisCluster implements AutoCloseable {

    /** Number of hash slots in Redis Cluster. */
    public static final int SLOTS = 16384;
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedRedisCluster.class);
    private static final Duration FORM_TIMEOUT = Duration.ofSeconds(30);

    private final List<ClusterNode> nodes;
    private final List<ClusterNode> initialMasters;
    private final Admin admin;
    private final boolean tls;
    private final String password;

    private EmbeddedRedisCluster(List<ClusterNode> nodes, int masters, Admin admin, boolean tls, String password) {
        this.nodes = List.copyOf(nodes);
        this.initialMasters = List.copyOf(nodes.subList(0, masters));
        this.admin = admin;
        this.tls = tls;
        this.password = password;
    }

    /** Returns a builder for a 3-master cluster without replicas, auth, TLS or delay. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns all nodes: the initial masters first, then the replicas grouped by master. */
    public List<ClusterNode> nodes() {
        return nodes;
    }

    /** Returns the nodes that currently report themselves as masters (see {@link ClusterNode#isMaster()}). */
    public List<ClusterNode> masters() {
        return nodes.stream().filter(ClusterNode::isMaster).collect(Collectors.toUnmodifiableList());
    }

    /** Returns the nodes that currently report themselves as replicas. */
    public List<ClusterNode> replicas() {
        return nodes.stream().filter(n -> !n.isMaster()).collect(Collectors.toUnmodifiableList());
    }

    /**
     * Returns {@code redis-cluster://127.0.0.1:p1,127.0.0.1:p2,...} with the client ports of the
     * initial masters ({@code rediss-cluster://} for TLS), without credentials.
     */
    public String url() {
        return (tls ? "rediss-cluster://" : "redis-cluster://") + initialMasters.stream()
                .map(n -> n.host() + ":" + n.clientPort()).collect(Collectors.joining(","));
    }

    /** Returns one {@code redis://127.0.0.1:port} URL ({@code rediss://} for TLS) per initial master, without credentials. */
    public List<String> seedUrls() {
        return initialMasters.stream().map(ClusterNode::url).collect(Collectors.toUnmodifiableList());
    }

    /**
     * Returns Lettuce URIs of the initial masters with the password (if any) and, for TLS, SSL
     * with full host-name verification; pass them to {@code RedisClusterClient.create(...)} (TLS
     * clients also need {@link TlsMaterial#sslOptions()} in their client options).
     */
    public List<RedisURI> seedUris() {
        List<RedisURI> uris = new ArrayList<>();
        for (ClusterNode n : initialMasters) {
            RedisURI.Builder b = RedisURI.builder().withHost(n.host()).withPort(n.clientPort());
            if (tls) {
                b.withSsl(true).withVerifyPeer(SslVerifyMode.FULL);
            }
            if (password != null) {
                b.withPassword(password.toCharArray());
            }
            uris.add(b.build());
        }
        return List.copyOf(uris);
    }

    /** Returns the password every node requires, if one was set. */
    public Optional<String> password() {
        return Optional.ofNullable(password);
    }

    /** Returns whether the nodes listen (and talk among themselves) with TLS only. */
    public boolean isTls() {
        return tls;
    }

    /**
     * Returns the node that currently owns the slot, as the first answering node sees it.
     *
     * @throws IllegalArgumentException if the slot is not in 0..16383
     * @throws IllegalStateException    if no node answers or none owns the slot
     */
    public ClusterNode masterFor(int slot) {
        if (slot < 0 || slot >= SLOTS) {
            throw new IllegalArgumentException("slot must be 0.." + (SLOTS - 1) + ", was " + slot);
        }
        for (ClusterNode n : nodes) {
            ClusterView view = n.view();
            if (view == null) {
                continue;
            }
            Optional<ClusterView.Entry> owner = view.ownerOf(slot);
            if (owner.isPresent()) {
                return byId(owner.get().id()).orElseThrow(() -> new IllegalStateException(
                        "slot " + slot + " is owned by unknown node " + owner.get().id()));
            }
        }
        throw new IllegalStateException("no answering node knows an owner of slot " + slot);
    }

    /**
     * Promotes a replica with CLUSTER FAILOVER (coordinated with its master) and waits until it is
     * a master and the cluster is healthy again.
     *
     * @throws IllegalArgumentException if the node is not a replica of this cluster
     * @throws IllegalStateException    if the failover does not complete within 15 s
     */
    public void failover(ClusterNode replica) {
        Objects.requireNonNull(replica, "replica");
        if (!nodes.contains(replica)) {
            throw new IllegalArgumentException(replica + " is not a node of this cluster");
        }
        if (replica.isMaster()) {
            throw new IllegalArgumentException(replica + " is a master; failover(...) takes a replica");
        }
        admin.node(replica.port()).clusterFailover(false);
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!replica.isMaster()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("CLUSTER FAILOVER on " + replica + " did not make it a master within 15 s");
            }
            sleep(20);
        }
        awaitHealthy(Duration.ofSeconds(15));
    }

    /**
     * Waits until every running, unpaused node reports {@code cluster_state:ok}, all of them agree on
     * slot ownership and replication roles, and every replica whose master runs has its link up.
     * Useful after {@link ClusterNode#restart()} or a failover.
     *
     * @throws IllegalStateException if that does not happen within the timeout, describing what was missing
     */
    public void awaitHealthy(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String problem;
        while ((problem = healthProblem()) != null) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("cluster not healthy within " + timeout.toMillis() + " ms: " + problem);
            }
            sleep(20);
        }
    }

    /** Returns null if healthy, else a description of the first problem found. */
    private String healthProblem() {
        String signature = null;
        Map<String, ClusterView> views = new LinkedHashMap<>();
        for (ClusterNode n : nodes) {
            if (!n.isAlive() || n.isPaused()) {
                continue;
            }
            ClusterView view = n.view();
            if (view == null) {
                return n + " does not answer CLUSTER NODES";
            }
            if (view.entries().size() < nodes.size() || view.entries().stream().anyMatch(ClusterView.Entry::inHandshake)) {
                return n + " does not know all " + nodes.size() + " nodes yet";
            }
            String state = n.clusterInfo("cluster_state").orElse("unknown");
            if (!state.equals("ok")) {
                return n + " reports cluster_state:" + state;
            }
            String s = view.topologySignature();
            if (signature == null) {
                signature = s;
            } else if (!signature.equals(s)) {
                return "nodes disagree on the topology: " + signature + " vs " + s + " (from " + n + ")";
            }
            views.put(n.nodeId(), view);
        }
        if (views.isEmpty()) {
            return "no node is running";
        }
        for (ClusterNode n : nodes) {
            ClusterView mine = views.get(n.nodeId());
            if (mine == null) {
                continue;
            }
            ClusterView.Entry me = mine.myself().orElseThrow();
            if (me.isMaster()) {
                continue;
            }
            Optional<ClusterNode> master = byId(me.masterId());
            boolean masterRuns = master.map(m -> m.isAlive() && !m.isPaused()).orElse(false);
            if (masterRuns && !n.replicationInfo("master_link_status").orElse("").equals("up")) {
                return n + " has no replication link to its master yet";
            }
        }
        return null;
    }

    private Optional<ClusterNode> byId(String id) {
        return nodes.stream().filter(n -> n.nodeId().equals(id)).findFirst();
    }

    /** Stops every node (in parallel), closes the delay proxies and removes the nodes' directories. Idempotent. */
    @Override
    public void close() {
        for (ClusterNode n : nodes) {
            n.server().signalStop();
        }
        RuntimeException failure = null;
        for (ClusterNode n : nodes) {
            try {
                n.server().close();
            } catch (RuntimeException e) {
                failure = failure == null ? e : failure;
            }
        }
        admin.close();
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public String toString() {
        return "EmbeddedRedisCluster[" + url() + ", " + nodes.size() + " nodes" + (password != null ? ", password set" : "") + "]";
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the cluster", e);
        }
    }

    /** Configures and starts an {@link EmbeddedRedisCluster}. Builders are not thread-safe. */
    public static final class Builder implements ServerBuilder<Builder> {
        private int masters = 3;
        private int replicasPerMaster;
        private String password;
        private TlsMaterial tls;
        private Duration oneWayDelay;
        private int basePort;
        private final Map<String, String[]> config = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Number of masters (default 3); the slots are split evenly among them.
         *
         * @throws IllegalArgumentException if not in 1..64
         */
        public Builder masters(int masters) {
            if (masters < 1 || masters > 64) {
                throw new IllegalArgumentException("masters must be 1..64, was " + masters);
            }
            this.masters = masters;
            return this;
        }

        /**
         * Number of replicas of each master (default 0).
         *
         * @throws IllegalArgumentException if not in 0..4
         */
        public Builder replicasPerMaster(int replicas) {
            if (replicas < 0 || replicas > 4) {
                throw new IllegalArgumentException("replicasPerMaster must be 0..4, was " + replicas);
            }
            this.replicasPerMaster = replicas;
            return this;
        }

        /** Every node requires this password (and uses it to authenticate to its master). */
        public Builder password(String password) {
            // Validate now so the error names the cluster builder call.
            EmbeddedRedis.builder().password(password);
            this.password = password;
            return this;
        }

        /** TLS only, between clients and nodes and among nodes ({@code tls-cluster}, {@code tls-replication}). */
        public Builder tls(TlsMaterial material) {
            this.tls = Objects.requireNonNull(material, "material");
            return this;
        }

        /** Puts a {@link DelayProxy} with this one-way delay in front of every node, announced to clients. */
        public Builder oneWayDelay(Duration delay) {
            EmbeddedRedis.builder().oneWayDelay(delay);
            this.oneWayDelay = delay.isZero() ? null : delay;
            return this;
        }

        /**
         * Uses consecutive ports from {@code basePort} for the nodes instead of free ports picked
         * automatically (the cluster bus uses port+10000 for each).
         *
         * @throws IllegalArgumentException if the ports would exceed 55535
         */
        public Builder basePort(int basePort) {
            if (basePort < 1 || basePort > Ports.MAX_SERVER_PORT - 300) {
                throw new IllegalArgumentException("basePort must be 1.." + (Ports.MAX_SERVER_PORT - 300)
                        + " (each node's cluster bus uses port+10000), was " + basePort);
            }
            this.basePort = basePort;
            return this;
        }

        /**
         * Applies a redis-server directive to every node; overrides the defaults here
         * ({@code cluster-node-timeout 3000}).
         */
        public Builder config(String key, String... values) {
            EmbeddedRedis.builder().config(key, values);
            config.put(key, values.clone());
            return this;
        }

        /**
         * Starts the nodes, forms the cluster and returns once it is healthy (see class comment).
         *
         * @throws IllegalStateException if a node cannot start or the cluster does not form within 30 s
         */
        public EmbeddedRedisCluster start() {
            int total = masters * (1 + replicasPerMaster);
            List<EmbeddedRedis> servers = startServers(total);
            Admin admin = new Admin(tls, password);
            try {
                EmbeddedRedisCluster cluster = form(servers, admin);
                LOG.debug("cluster ready: {}", cluster);
                return cluster;
            } catch (RuntimeException e) {
                admin.close();
                servers.forEach(EmbeddedRedis::signalStop);
                servers.forEach(EmbeddedRedis::close);
                throw e;
            }
        }

        private List<EmbeddedRedis> startServers(int total) {
            ExecutorService pool = Executors.newFixedThreadPool(Math.min(total, 8), r -> {
                Thread t = new Thread(r, "embedded-cluster-start");
                t.setDaemon(true);
                return t;
            });
            List<Future<EmbeddedRedis>> futures = new ArrayList<>();
            for (int i = 0; i < total; i++) {
                EmbeddedRedis.Builder b = EmbeddedRedis.builder()
                        .label("cluster node " + i)
                        .config("cluster-enabled", "yes")
                        .config("cluster-node-timeout", "3000")
                        .announceProxy(true);
                if (basePort != 0) {
                    b.port(basePort + i);
                }
                if (password != null) {
                    b.password(password);
                }
                if (tls != null) {
                    b.tls(tls).config("tls-cluster", "yes").config("tls-replication", "yes");
                }
                if (oneWayDelay != null) {
                    b.oneWayDelay(oneWayDelay);
                }
                config.forEach(b::config);
                futures.add(pool.submit(b::start));
            }
            pool.shutdown();
            List<EmbeddedRedis> started = new ArrayList<>();
            RuntimeException failure = null;
            for (Future<EmbeddedRedis> f : futures) {
                try {
                    started.add(f.get());
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    failure = failure != null ? failure : cause instanceof RuntimeException
                            ? (RuntimeException) cause : new IllegalStateException(cause);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    failure = failure != null ? failure : new IllegalStateException("interrupted while starting the cluster", e);
                }
            }
            if (failure != null) {
                started.forEach(EmbeddedRedis::close);
                throw failure;
            }
            return started;
        }

        private EmbeddedRedisCluster form(List<EmbeddedRedis> servers, Admin admin) {
            int total = servers.size();
            List<String> ids = new ArrayList<>();
            for (EmbeddedRedis s : servers) {
                ids.add(admin.node(s.port()).clusterMyId());
            }
            for (int i = 0; i < masters; i++) {
                int from = (int) ((long) SLOTS * i / masters);
                int to = (int) ((long) SLOTS * (i + 1) / masters);
                int[] slots = new int[to - from];
                for (int s = 0; s < slots.length; s++) {
                    slots[s] = from + s;
                }
                admin.node(servers.get(i).port()).clusterAddSlots(slots);
            }
            // Distinct epochs up front: no epoch collisions to resolve, so the cluster settles sooner.
            for (int i = 0; i < total; i++) {
                admin.node(servers.get(i).port()).clusterSetConfigEpoch(i + 1);
            }
            for (int i = 1; i < total; i++) {
                admin.node(servers.get(0).port()).clusterMeet("127.0.0.1", servers.get(i).port());
            }
            List<ClusterNode> nodes = new ArrayList<>();
            for (int i = 0; i < total; i++) {
                nodes.add(new ClusterNode(servers.get(i), ids.get(i), admin, i < masters));
            }
            long deadline = System.nanoTime() + FORM_TIMEOUT.toNanos();
            if (replicasPerMaster > 0) {
                awaitAllKnown(nodes, deadline);
                for (int m = 0; m < masters; m++) {
                    for (int r = 0; r < replicasPerMaster; r++) {
                        int index = masters + m * replicasPerMaster + r;
                        admin.node(servers.get(index).port()).clusterReplicate(ids.get(m));
                    }
                }
            }
            EmbeddedRedisCluster cluster = new EmbeddedRedisCluster(nodes, masters, admin, tls != null, password);
            long left = deadline - System.nanoTime();
            cluster.awaitHealthy(Duration.ofNanos(Math.max(left, 0)));
            return cluster;
        }

        /** A replica can only be attached to a master it already knows. */
        private static void awaitAllKnown(List<ClusterNode> nodes, long deadline) {
            for (ClusterNode n : nodes) {
                while (true) {
                    ClusterView view = n.view();
                    if (view != null && view.entries().size() >= nodes.size()
                            && view.entries().stream().noneMatch(ClusterView.Entry::inHandshake)) {
                        break;
                    }
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException(n + " did not learn about all " + nodes.size()
                                + " nodes within " + FORM_TIMEOUT.toMillis() + " ms");
                    }
                    sleep(10);
                }
            }
        }
    }
}
