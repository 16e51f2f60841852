package dev.lmcache.redis;

/**
 * When written keys expire, part of {@link StoreConfig#expiry()}. With a TTL, Redis's own
 * eviction of expiring keys ({@code volatile-*} policies) turns the store into an LRU cache.
 *
 * @param ttlSeconds   the expiry of written keys in seconds, {@code >= 0}; 0 (the default) means none
 * @param refreshOnHit whether a hit renews the expiry (GETEX); default {@value #DEFAULT_REFRESH_ON_HIT}
 */
public record Expiry(long ttlSeconds, boolean refreshOnHit) {
    /** Default of {@link #ttlSeconds()}: no expiry. */
    public static final long DEFAULT_TTL_SECONDS = 0;
    /** Default of {@link #refreshOnHit()}. */
    public static final boolean DEFAULT_REFRESH_ON_HIT = true;
    /** The defaults: keys never expire. */
    public static final Expiry NEVER = new Expiry(DEFAULT_TTL_SECONDS, DEFAULT_REFRESH_ON_HIT);

    /**
     * Checks the TTL.
     *
     * @throws ConfigException if {@code ttlSeconds} is negative
     */
    public Expiry {
        checkTtl(ttlSeconds);
    }

    static long checkTtl(long seconds) {
        if (seconds < 0) {
            throw StoreConfig.invalid("ttlSeconds", seconds, "an integer >= 0 (0 means no expiry)");
        }
        return seconds;
    }

    /** The TTL a hit sets again: {@link #ttlSeconds()} when keys expire and hits renew them, else 0. */
    public long refreshSeconds() {
        return ttlSeconds > 0 && refreshOnHit ? ttlSeconds : 0;
    }
}
