package dev.lmcache.redis;

/**
 * A setting is unknown or invalid. The message names the setting, the value that was given
 * (never for secrets) and the accepted values. Thrown at start, before any connection is made.
 */
public class ConfigException extends KvCacheException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
