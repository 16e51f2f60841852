package dev.lmcache.redis.topology;

import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.protocol.RedisCommand;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The connection to one Redis node. Commands handed to {@link #dispatch} are written in order and
 * flushed once: a whole group costs one write, and its replies one round trip.
 */
public final class NodeLink {
    private final String name;
    private final StatefulRedisConnection<byte[], ByteBuffer> connection;

    public NodeLink(String name, StatefulRedisConnection<byte[], ByteBuffer> connection) {
        this.name = name;
        this.connection = connection;
    }

    /** host:port of the node (for messages). */
    public String name() {
        return name;
    }

    public void dispatch(List<? extends RedisCommand<byte[], ByteBuffer, ?>> commands) {
        if (commands.size() == 1) {
            connection.dispatch(commands.get(0));
        } else {
            connection.dispatch(commands);
        }
    }

    public void dispatch(RedisCommand<byte[], ByteBuffer, ?> command) {
        connection.dispatch(command);
    }

    public RedisAsyncCommands<byte[], ByteBuffer> async() {
        return connection.async();
    }

    @Override
    public String toString() {
        return name;
    }
}
