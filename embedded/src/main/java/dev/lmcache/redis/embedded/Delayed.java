package dev.lmcache.redis.embedded;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Asks {@link RedisExtension} for a server or cluster reached through {@link DelayProxy}s that
 * delay each direction by {@link #oneWayMillis()}, so a round trip takes at least twice that.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface Delayed {
    /** The one-way delay in milliseconds (default 5, i.e. a round-trip time of at least 10 ms); must be positive. */
    int oneWayMillis() default 5;
}
