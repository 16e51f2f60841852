/**
 * Internal: connections and routing for the planner and transport steps: standalone, sentinel and
 * cluster as one {@link dev.lmcache.redis.topology.RedisTopology} strategy, built from {@link
 * dev.lmcache.redis.StoreConfig} with Lettuce. Nothing here is API and it may change in any
 * release; applications use {@code dev.lmcache.redis}.
 */
package dev.lmcache.redis.topology;
