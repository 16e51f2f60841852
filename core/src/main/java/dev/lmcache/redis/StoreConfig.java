package dev.lmcache.redis;

/** STUB: replaced by the configuration work. */
public final class StoreConfig {
    public static StoreConfig fromUrl(String url) {
        throw new UnsupportedOperationException();
    }
}
