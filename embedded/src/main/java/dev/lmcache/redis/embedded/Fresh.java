package dev.lmcache.redis.embedded;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Asks {@link RedisExtension} for a dedicated instance that no other test sees, for destructive
 * tests (kill, pause, FLUSHALL, failover...). It is closed when the scope it was injected into
 * ends: after the test method for a test-method parameter, after the test class for a constructor
 * or {@code @BeforeAll} parameter.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface Fresh {
}
