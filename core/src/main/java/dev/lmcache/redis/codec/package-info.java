/**
 * Internal: the transport and decoder steps on the wire: Lettuce codecs and outputs that write
 * values without a copy and copy each read value once, from the socket's buffer into the caller's
 * (see {@code dev.lmcache.redis.batch} for the steps). Nothing here is API and it may change in
 * any release; applications use {@code dev.lmcache.redis}.
 */
package dev.lmcache.redis.codec;
