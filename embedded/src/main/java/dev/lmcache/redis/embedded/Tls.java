package dev.lmcache.redis.embedded;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Asks {@link RedisExtension} for a TLS-only {@link EmbeddedRedis} or {@link EmbeddedRedisCluster},
 * using the run's shared {@link TlsMaterial} (inject a {@code TlsMaterial} parameter to get its CA).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface Tls {
}
