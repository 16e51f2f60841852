/** The Redis ACL rule of {@code acl} that confines a user to one tenant's keys. Internal to the tool. */
package dev.lmcache.redis.cli.acl;
