/**
 * Internal: the hash slot of a Redis key name (CRC16, hash tags), for the planner step. Nothing
 * here is API and it may change in any release; applications use {@code dev.lmcache.redis}.
 */
package dev.lmcache.redis.key;
