package dev.lmcache.redis;

/**
 * Base class of the exceptions the store reports: a failed operation, never a silent miss.
 * Messages name the chunk key(s) concerned and the cause, and never contain credentials.
 */
public class KvCacheException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public KvCacheException(String message) {
        super(message);
    }

    public KvCacheException(String message, Throwable cause) {
        super(message, cause);
    }
}
