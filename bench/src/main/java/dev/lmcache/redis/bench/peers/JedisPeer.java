package dev.lmcache.redis.bench.peers;

import java.util.List;
import redis.clients.jedis.AbstractPipeline;

/**
 * What the Jedis peers share: a link (a connection pool) sized to the callers, blocking calls on
 * the caller's thread, deleting keys and closing.
 */
abstract class JedisPeer implements Peer {
    private final String name;
    private final Server server;
    /** The link sized by {@link #prepare}; read by the calls. */
    JedisLink link;

    JedisPeer(String name, Server server) {
        this.name = name;
        this.server = server;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final boolean blocking() {
        return true;
    }

    @Override
    public final synchronized void prepare(int callers) {
        link = linkFor(server, link, callers);
    }

    @Override
    public final void delete(List<BenchKey> keys) {
        prepare(1);
        delete(link, keys);
    }

    @Override
    public final synchronized void close() {
        if (link != null) {
            link.close();
        }
    }

    /** Returns {@code current} if its pool fits {@code callers}, else closes it and returns a new one. */
    private static JedisLink linkFor(Server server, JedisLink current, int callers) {
        if (current != null && current.poolSize() >= callers) {
            return current;
        }
        if (current != null) {
            current.close();
        }
        return new JedisLink(server, callers);
    }

    /** Deletes the keys one DEL each, pipelined (a multi-key DEL must stay within one slot on a cluster). */
    private static void delete(JedisLink link, List<BenchKey> keys) {
        try (AbstractPipeline p = link.pipelined()) {
            for (BenchKey k : keys) {
                p.del(k.name());
            }
            p.sync();
        }
    }
}
