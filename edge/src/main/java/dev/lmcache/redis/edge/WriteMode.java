package dev.lmcache.redis.edge;

import java.util.Locale;

/** When the edge answers a client's SET. */
public enum WriteMode {
    /** {@code +OK} once Redis acknowledged the write (the default): nothing is lost if the edge dies. */
    THROUGH,
    /**
     * {@code +OK} once the value is in the edge's bounded write queue, flushed to Redis in pipelined
     * bursts and drained on shutdown. Values still queued are lost if the edge process dies.
     */
    BEHIND;

    /** Parses {@code through} or {@code behind} (any case); the message names the accepted values. */
    public static WriteMode parse(String text) {
        if (text != null) {
            for (WriteMode m : values()) {
                if (m.name().equalsIgnoreCase(text.trim())) {
                    return m;
                }
            }
        }
        throw new IllegalArgumentException("write mode '" + text + "' is not known; expected through or behind");
    }

    /** The name as written in options: {@code through} or {@code behind}. */
    public String optionName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
