/**
 * Real Redis servers for tests, demos and benchmarks: {@link dev.lmcache.redis.embedded.EmbeddedRedis}
 * (standalone, optionally with password, ACL users, TLS, memory limits), {@link
 * dev.lmcache.redis.embedded.EmbeddedRedisCluster}, {@link dev.lmcache.redis.embedded.EmbeddedSentinel},
 * {@link dev.lmcache.redis.embedded.TlsMaterial} generated at run time, a {@link
 * dev.lmcache.redis.embedded.DelayProxy} that adds network latency, and the JUnit 5 {@link
 * dev.lmcache.redis.embedded.RedisExtension} that injects them into tests.
 *
 * <p>Every server is a separate {@code redis-server} OS process bound to 127.0.0.1 with its own
 * temporary directory and nothing persisted; a JVM shutdown hook kills whatever was not closed.
 * The binary is the one bundled in {@code com.github.codemonstur:embedded-redis} (Redis 6.2) unless
 * the system property {@code lmcache.redis.server} or the environment variable
 * {@code LMCACHE_REDIS_SERVER} names another, e.g. {@code /usr/bin/redis-server} (7.x works too).
 */
package dev.lmcache.redis.embedded;
