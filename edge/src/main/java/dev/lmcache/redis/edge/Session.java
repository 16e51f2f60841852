package dev.lmcache.redis.edge;

import java.nio.charset.StandardCharsets;

/**
 * What one client connection is authenticated as: the upstream its commands go to and the prefix
 * its keys get. Confined to the connection's event loop.
 */
final class Session {
    /** Null until AUTH succeeds when tenants are configured. */
    Upstream upstream;
    byte[] prefix = new byte[0];
    String user = "default";

    boolean authenticated() {
        return upstream != null;
    }

    /** The stored name of a key the client sent. */
    Name name(byte[] key) {
        if (prefix.length == 0) {
            return upstream.name(key);
        }
        byte[] full = new byte[prefix.length + key.length];
        System.arraycopy(prefix, 0, full, 0, prefix.length);
        System.arraycopy(key, 0, full, prefix.length, key.length);
        return upstream.name(full);
    }

    void become(Upstream u, String keyPrefix, String userName) {
        upstream = u;
        prefix = keyPrefix.getBytes(StandardCharsets.UTF_8);
        user = userName;
    }
}
