package dev.lmcache.redis;

import dev.lmcache.redis.config.ConfigNames;
import java.util.Locale;

/**
 * How one chunk is laid out as Redis keys. See {@code docs/LMCACHE-FORMAT.md} section 3 and 6.
 *
 * <ul>
 *   <li>{@link #LMCACHE}: two keys, {@code K + "metadata"} and {@code K + "kv_bytes"}; what upstream
 *       LMCache writes for {@code redis://}, {@code rediss://}, {@code redis-cluster://} and
 *       {@code redis-sentinel://}. The default.</li>
 *   <li>{@link #TAGGED}: two keys {@code K:metadata} / {@code K:kv_bytes} (standalone) or
 *       {@code {K}:metadata} / {@code {K}:kv_bytes} (cluster, both keys in one slot); what the
 *       Python enhanced connector writes.</li>
 *   <li>{@link #SINGLE}: one key {@code K} holding the raw KV bytes, geometry from configuration;
 *       what LMCache's {@code valkey://} and {@code resp://} connectors write.</li>
 *   <li>{@link #MP}: one key per chunk named like LMCache's multiprocess server
 *       ({@code [prefix@]model@rank%08x@hash[@salt]}), raw bytes.</li>
 * </ul>
 */
public enum KeyLayout {
    LMCACHE, TAGGED, SINGLE, MP;

    /** The configuration spelling ({@code lmcache}, {@code tagged}, {@code single}, {@code mp}). */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether each chunk is stored as a metadata key plus a data key. */
    public boolean hasMetadataKey() {
        return this == LMCACHE || this == TAGGED;
    }

    /**
     * Parses a configuration value, case-insensitively.
     *
     * @throws IllegalArgumentException naming the value, the closest name if it looks like a typo, and
     *     the accepted ones
     */
    public static KeyLayout fromConfig(String value) {
        return ConfigNames.parse(values(), KeyLayout::configName, "key_layout", value);
    }
}
