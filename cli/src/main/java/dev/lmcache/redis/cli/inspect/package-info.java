/** What {@code inspect} finds: chunks per model, orphans, TTLs, foreign keys. Internal to the tool. */
package dev.lmcache.redis.cli.inspect;
