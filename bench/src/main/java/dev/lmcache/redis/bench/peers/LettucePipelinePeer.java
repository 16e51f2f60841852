package dev.lmcache.redis.bench.peers;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.resource.ClientResources;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Plain Lettuce, pipelined as its documentation describes: auto-flush off, one async SET (GET)
 * per key, one {@code flushCommands()}, then await every command. Auto-flush is a setting of
 * the whole connection, so each caller gets a connection of its own (on a cluster, Lettuce's
 * cluster connection routes each command to its slot's master and flushes all of them).
 */
final class LettucePipelinePeer implements Peer {
    private final LettuceLink link;
    private final List<LettuceLink.Connection> connections = new ArrayList<>();

    LettucePipelinePeer(Server server, ClientResources resources) {
        this.link = new LettuceLink(server, resources);
    }

    @Override
    public String name() {
        return "lettuce-pipeline";
    }

    @Override
    public boolean blocking() {
        return false;
    }

    @Override
    public synchronized void prepare(int callers) {
        while (connections.size() < callers) {
            connections.add(link.connect(false));
        }
    }

    @Override
    public CompletableFuture<Void> batchedPut(int caller, List<BenchKey> keys, List<Payloads.Value> values) {
        LettuceLink.Connection c = connections.get(caller);
        List<RedisFuture<String>> replies = new ArrayList<>(keys.size());
        for (int i = 0; i < keys.size(); i++) {
            replies.add(c.async().set(keys.get(i).name(), values.get(i).bytes()));
        }
        c.stateful().flushCommands();
        return LettuceLink.Connection.all(replies);
    }

    @Override
    public CompletableFuture<List<ByteBuffer>> batchedGet(int caller, List<BenchKey> keys) {
        LettuceLink.Connection c = connections.get(caller);
        List<RedisFuture<byte[]>> replies = new ArrayList<>(keys.size());
        for (BenchKey k : keys) {
            replies.add(c.async().get(k.name()));
        }
        c.stateful().flushCommands();
        return LettuceLink.Connection.all(replies).thenApply(v -> {
            List<ByteBuffer> out = new ArrayList<>(replies.size());
            for (RedisFuture<byte[]> r : replies) {
                byte[] b = r.toCompletableFuture().join();
                out.add(b == null ? null : ByteBuffer.wrap(b));
            }
            return out;
        });
    }

    @Override
    public void delete(List<BenchKey> keys) {
        prepare(1);
        LettuceLink.Connection c = connections.get(0);
        List<RedisFuture<Long>> replies = new ArrayList<>(keys.size());
        for (BenchKey k : keys) {
            replies.add(c.async().del(k.name()));
        }
        c.stateful().flushCommands();
        LettuceLink.Connection.all(replies).join();
    }

    @Override
    public synchronized void close() {
        connections.forEach(LettuceLink.Connection::close);
        link.close();
    }
}
