/** The seven connector checks of {@code check} and {@code demo}, through the store API. Internal to the tool. */
package dev.lmcache.redis.cli.check;
