package dev.lmcache.redis.bench.peers;

import java.util.List;
import redis.clients.jedis.AbstractPipeline;

/** What the Jedis peers share: sizing their link to the callers, and deleting keys. */
final class JedisPeers {
    private JedisPeers() {
    }

    /** Returns {@code current} if its pool fits {@code callers}, else closes it and returns a new one. */
    static JedisLink linkFor(Server server, JedisLink current, int callers) {
        if (current != null && current.poolSize() >= callers) {
            return current;
        }
        if (current != null) {
            current.close();
        }
        return new JedisLink(server, callers);
    }

    /** Deletes the keys one DEL each, pipelined (a multi-key DEL must stay within one slot on a cluster). */
    static void delete(JedisLink link, List<BenchKey> keys) {
        try (AbstractPipeline p = link.pipelined()) {
            for (BenchKey k : keys) {
                p.del(k.name());
            }
            p.sync();
        }
    }
}
