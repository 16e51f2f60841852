package dev.lmcache.redis;

import dev.lmcache.redis.config.ConfigNames;
import java.util.Locale;

/** How the store reaches its Redis or Valkey servers. */
public enum RedisMode {
    /** One server (or one unix socket); the endpoint list has exactly one entry. */
    STANDALONE,
    /** A Redis Cluster; the endpoints are seed nodes, the topology is discovered from them. */
    CLUSTER,
    /** A master found through Redis Sentinel; the endpoints are the sentinels. */
    SENTINEL;

    /** The configuration spelling ({@code standalone}, {@code cluster}, {@code sentinel}). */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a configuration value, case-insensitively, ignoring surrounding blanks.
     *
     * @throws IllegalArgumentException naming the value, the closest name if it looks like a typo, and
     *     the accepted ones
     */
    public static RedisMode fromConfig(String value) {
        return ConfigNames.parse(values(), RedisMode::configName, "mode", value);
    }
}
