package dev.lmcache.redis.embedded;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Asks {@link RedisExtension} for an {@link EmbeddedRedisCluster} with this many replicas per
 * master, or an {@link EmbeddedSentinel} with this many replicas (default for both: none).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface Replicas {
    /** Replicas per master (cluster) or in total (sentinel), 0..4. */
    int value() default 1;
}
