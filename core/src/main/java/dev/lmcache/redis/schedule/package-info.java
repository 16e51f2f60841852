/**
 * Internal: the scheduler step: the priority queue of calls (PEEK, PREFETCH, GET, PUT) and the
 * byte budget on what is in flight. Nothing here is API and it may change in any release;
 * applications use {@code dev.lmcache.redis}.
 */
package dev.lmcache.redis.schedule;
