package dev.lmcache.redis.cli;

import dev.lmcache.redis.KvCacheStore;
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

    private Target(StoreConfig config, String description, AutoCloseable servers, boolean cluster) {
        this.config = config;
        this.description = description;
        this.servers = servers;
        this.cluster = cluster;
    }

    static Target ofConfig(StoreConfig config, String url) {
        return new Target(config, config.redactedUrl(), null, config.mode() == dev.lmcache.redis.RedisMode.CLUSTER);
    }

    /** Starts an embedded standalone server or 3-master cluster, behind a delay proxy if rttMs > 0. */
    static Target embedded(boolean cluster, double rttMs) {
        Duration oneWay = Duration.ofNanos((long) (rttMs * 1e6 / 2));
        if (cluster) {
            EmbeddedRedisCluster.Builder b = EmbeddedRedisCluster.builder();
            if (rttMs > 0) {
                b.oneWayDelay(oneWay);
            }
            EmbeddedRedisCluster c = b.start();
            return new Target(StoreConfig.fromUrl(c.url()), "embedded 3-master cluster " + c.url() + rtt(rttMs), c, true);
        }
        EmbeddedRedis.Builder b = EmbeddedRedis.builder();
        if (rttMs > 0) {
            b.oneWayDelay(oneWay);
        }
        EmbeddedRedis r = b.start();
        return new Target(StoreConfig.fromUrl(r.url()), "embedded standalone " + r.url() + rtt(rttMs), r, false);
    }

    private static String rtt(double rttMs) {
        return rttMs > 0 ? String.format(" (emulated RTT %.1f ms)", rttMs) : "";
    }

    Target withConfig(StoreConfig c) {
        return new Target(c, description, servers, cluster);
    }

    public StoreConfig config() {
        return config;
    }

    /** For messages: the redacted URL and what it is. */
    public String description() {
        return description;
    }

    public boolean isEmbedded() {
        return servers != null;
    }

    public boolean isCluster() {
        return cluster;
    }

    /** The embedded servers (EmbeddedRedis or EmbeddedRedisCluster), or null. */
    public AutoCloseable servers() {
        return servers;
    }

    public KvCacheStore openStore() {
        return KvCacheStore.open(config);
    }

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
