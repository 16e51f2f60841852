package dev.lmcache.redis.bench.peers;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.resource.ClientResources;
import java.util.ArrayList;
import java.util.List;

/**
 * What the plain-Lettuce peers on one shared auto-flushing connection share (plain calls and
 * MSET/MGET): the connection, opened once for all callers, non-blocking calls, deleting keys and
 * closing.
 */
abstract class SharedConnectionPeer implements Peer {
    private final String name;
    private final LettuceLink link;
    /** The shared connection, opened by {@link #prepare}; read by the calls. */
    LettuceLink.Connection connection;

    SharedConnectionPeer(String name, Server server, ClientResources resources) {
        this.name = name;
        this.link = new LettuceLink(server, resources);
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final boolean blocking() {
        return false;
    }

    @Override
    public final synchronized void prepare(int callers) {
        if (connection == null) {
            connection = link.connect(true);
        }
    }

    @Override
    public final void delete(List<BenchKey> keys) {
        prepare(1);
        List<RedisFuture<Long>> replies = new ArrayList<>(keys.size());
        for (BenchKey k : keys) {
            replies.add(connection.async().del(k.name()));
        }
        LettuceLink.Connection.all(replies).join();
    }

    @Override
    public final synchronized void close() {
        if (connection != null) {
            connection.close();
        }
        link.close();
    }
}
