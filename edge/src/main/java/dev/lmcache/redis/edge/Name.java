package dev.lmcache.redis.edge;

import java.util.Arrays;

/** A key as stored in Redis (tenant prefix included), and which upstream it lives in: the edge's cache key. */
final class Name {
    final int upstream;
    final byte[] bytes;
    private final int hash;

    Name(int upstream, byte[] bytes) {
        this.upstream = upstream;
        this.bytes = bytes;
        this.hash = 31 * upstream + Arrays.hashCode(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Name n && n.hash == hash && n.upstream == upstream && Arrays.equals(n.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    }
}
