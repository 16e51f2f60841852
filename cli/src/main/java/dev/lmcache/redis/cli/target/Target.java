package dev.lmcache.redis.cli.target;

import dev.lmcache.redis.KvCacheStore;
import dev.lmcache.redis.RedisMode;
import dev.lmcache.redis.StoreConfig;
import dev.lmcache.redis.embedded.EmbeddedRedis;
import dev.lmcache.redis.embedded.EmbeddedRedisCluster;
import java.time.Duration;

/**
 * A resolved place to work: the store configuration plus, for embedded runs, the servers this
 * process started (stopped on close).
 */
public final class Target implements AutoCloseable {
    private final StoreConfig config;
    private final String description;
    private final AutoCloseable servers;
    private final boolean cluster;
    private final double rttMs;

    private Target(StoreConfig config, String description, AutoCloseable servers, boolean cluster, double rttMs) {
        this.config = config;
        this.description = description;
        this.servers = servers;
        this.cluster = cluster;
        this.rttMs = rttMs;
    }

    /** A server that runs elsewhere, as {@code config} names it. */
    public static Target ofConfig(StoreConfig config) {
        return new Target(config, config.redactedUrl(), null, config.mode() == RedisMode.CLUSTER, 0);
    }

    /** Starts an embedded standalone server or 3-master cluster, behind a delay proxy if rttMs > 0. */
    public static Target embedded(boolean cluster, double rttMs) {
        Duration oneWay = Duration.ofNanos((long) (rttMs * 1e6 / 2));
        if (cluster) {
            EmbeddedRedisCluster.Builder b = EmbeddedRedisCluster.builder();
            if (rttMs > 0) {
                b.oneWayDelay(oneWay);
            }
            EmbeddedRedisCluster c = b.start();
            return new Target(StoreConfig.fromUrl(c.url()), "embedded 3-master cluster " + c.url() + rtt(rttMs), c, true, rttMs);
        }
        EmbeddedRedis.Builder b = EmbeddedRedis.builder();
        if (rttMs > 0) {
            b.oneWayDelay(oneWay);
        }
        EmbeddedRedis r = b.start();
        return new Target(StoreConfig.fromUrl(r.url()), "embedded standalone " + r.url() + rtt(rttMs), r, false, rttMs);
    }

    private static String rtt(double rttMs) {
        return rttMs > 0 ? String.format(" (emulated RTT %.1f ms)", rttMs) : "";
    }

    /** The same place with another configuration (layout, geometry); the servers stay this target's to stop. */
    public Target withConfig(StoreConfig c) {
        return new Target(c, description, servers, cluster, rttMs);
    }

    /** The store configuration for this place. */
    public StoreConfig config() {
        return config;
    }

    /** For messages: the redacted URL and what it is. */
    public String description() {
        return description;
    }

    /** Whether this process started the servers (they are thrown away on close). */
    public boolean isEmbedded() {
        return servers != null;
    }

    /** The round trip the delay proxy in front of embedded servers adds, in ms; 0 for none. */
    public double rttMs() {
        return rttMs;
    }

    /** Whether the target is a Redis Cluster. */
    public boolean isCluster() {
        return cluster;
    }

    /** A new store on this target's configuration; the caller closes it. */
    public KvCacheStore openStore() {
        return KvCacheStore.open(config);
    }

    /** Stops the servers this target started, if any; a failure to stop is a warning on stderr. */
    @Override
    public void close() {
        if (servers != null) {
            try {
                servers.close();
            } catch (Exception e) {
                System.err.println("warning: could not stop embedded servers cleanly: " + e);
            }
        }
    }
}
