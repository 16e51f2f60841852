/**
 * Internal: reading the store's configuration from the forms LMCache users already have:
 * connection URLs, LMCache YAML files, {@code LMCACHE_*} environment variables and the
 * {@code extra_config} map. The types here are public only so that {@link dev.lmcache.redis.StoreConfig}
 * can use them; applications use {@code StoreConfig}'s factories and builder, which are the
 * supported API.
 */
package dev.lmcache.redis.config;
