/**
 * Internal: the layout step: each {@link dev.lmcache.redis.KeyLayout}'s {@link
 * dev.lmcache.redis.KeyNaming}, reached through {@link dev.lmcache.redis.KeyNaming#of}. Nothing
 * here is API and it may change in any release; applications use {@code dev.lmcache.redis}.
 */
package dev.lmcache.redis.layout;
