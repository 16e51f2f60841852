package dev.lmcache.redis.embedded;

import java.util.Optional;

/**
 * One redis-server node of an {@link EmbeddedRedisCluster}, with fault helpers.
 *
 * <p>The node id and ports never change, also across {@link #restart()}. Instances are thread-safe.
 */
public final class ClusterNode {

    private final EmbeddedRedis server;
    private final String nodeId;
    private final Admin admin;
    private volatile boolean lastKnownMaster;

    ClusterNode(EmbeddedRedis server, String nodeId, Admin admin, boolean master) {
        this.server = server;
        this.nodeId = nodeId;
        this.admin = admin;
        this.lastKnownMaster = master;
    }

    /** Returns the host clients reach the node at (always {@code 127.0.0.1}, as the cluster announces it). */
    public String host() {
        return "127.0.0.1";
    }

    /** Returns the port redis-server listens on (its TLS port for TLS clusters). */
    public int port() {
        return server.port();
    }

    /** Returns the port clients connect to and the cluster announces: the delay proxy's if any, else {@link #port()}. */
    public int clientPort() {
        return server.clientPort();
    }

    /** Returns {@code redis://127.0.0.1:clientPort} ({@code rediss://} for TLS), without credentials. */
    public String url() {
        return (server.isTls() ? "rediss://" : "redis://") + host() + ":" + clientPort();
    }

    /** Returns the cluster node id (40 hex characters). */
    public String nodeId() {
        return nodeId;
    }

    /**
     * Returns whether the node currently is a master, as the node itself reports; if it cannot be
     * asked (killed or paused), the role it last reported.
     */
    public boolean isMaster() {
        if (server.isAlive() && !isPaused()) {
            ClusterView view = view();
            if (view != null) {
                view.myself().ifPresent(me -> lastKnownMaster = me.isMaster());
            }
        }
        return lastKnownMaster;
    }

    /** Returns the node's own view of the cluster, or null if it does not answer. */
    ClusterView view() {
        if (!server.isAlive() || isPaused()) {
            return null;
        }
        String nodes = admin.tryOn(server.port(), c -> c.clusterNodes());
        return nodes == null ? null : ClusterView.parse(nodes);
    }

    /** Returns one line of CLUSTER INFO, or empty if the node does not answer. */
    Optional<String> clusterInfo(String field) {
        if (!server.isAlive() || isPaused()) {
            return Optional.empty();
        }
        String info = admin.tryOn(server.port(), c -> c.clusterInfo());
        return info == null ? Optional.empty() : InfoFields.get(info, field);
    }

    Optional<String> replicationInfo(String field) {
        if (!server.isAlive() || isPaused()) {
            return Optional.empty();
        }
        String info = admin.tryOn(server.port(), c -> c.info("replication"));
        return info == null ? Optional.empty() : InfoFields.get(info, field);
    }

    boolean isPaused() {
        return server.isPaused();
    }

    /** Returns the OS process id of the node's current process (changes on {@link #restart()}). */
    public long pid() {
        return server.pid();
    }

    /** Returns whether the node's process is running (also while paused). */
    public boolean isAlive() {
        return server.isAlive();
    }

    /** Kills the node's process with SIGKILL and waits until it is gone; the delay proxy (if any) stays. */
    public void kill() {
        admin.forget(server.port());
        server.kill();
    }

    /**
     * Restarts the node on the same port with the same node id and configuration; returns once it
     * accepts connections (use {@link EmbeddedRedisCluster#awaitHealthy(java.time.Duration)} to wait
     * for the cluster to agree again). Data is not kept.
     */
    public void restart() {
        admin.forget(server.port());
        server.restart();
    }

    /** Freezes the node (SIGSTOP) until {@link #resume()}. */
    public void pause() {
        admin.forget(server.port());
        server.pause();
    }

    /** Continues a node frozen by {@link #pause()} (SIGCONT). */
    public void resume() {
        server.resume();
    }

    EmbeddedRedis server() {
        return server;
    }

    @Override
    public String toString() {
        return "ClusterNode[" + nodeId.substring(0, 8) + " 127.0.0.1:" + clientPort()
                + (lastKnownMaster ? " master" : " replica") + "]";
    }
}
