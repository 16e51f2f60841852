package dev.lmcache.redis;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

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
     * @throws IllegalArgumentException naming the value and the accepted ones
     */
    public static RedisMode fromConfig(String value) {
        if (value != null) {
            for (RedisMode m : values()) {
                if (m.configName().equalsIgnoreCase(value.trim())) {
                    return m;
                }
            }
        }
        throw new IllegalArgumentException("mode '" + value + "' is not supported; accepted: "
                + Arrays.stream(values()).map(RedisMode::configName).collect(Collectors.joining(", ")));
    }
}
