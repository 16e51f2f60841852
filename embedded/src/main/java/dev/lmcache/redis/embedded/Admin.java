package dev.lmcache.redis.embedded;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslVerifyMode;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.sentinel.api.StatefulRedisSentinelConnection;
import io.lettuce.core.sentinel.api.sync.RedisSentinelCommands;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Administrative Lettuce connections to embedded servers by their real port (never through a
 * delay proxy, so forming a cluster or waiting for a state does not pay the delay). Connections
 * are cached per port and never reconnect automatically: after a fault the caller drops them.
 */
final class Admin implements AutoCloseable {

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(5);

    private final ClientResources resources;
    private final RedisClient client;
    private final boolean tls;
    private final String password;
    private final Map<Integer, StatefulRedisConnection<String, String>> connections = new ConcurrentHashMap<>();

    Admin(TlsMaterial tlsMaterial, String password) {
        this.tls = tlsMaterial != null;
        this.password = password;
        this.resources = DefaultClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(1).build();
        this.client = RedisClient.create(resources);
        ClientOptions.Builder options = ClientOptions.builder()
                .autoReconnect(false)
                .protocolVersion(ProtocolVersion.RESP2)
                .timeoutOptions(TimeoutOptions.enabled(COMMAND_TIMEOUT));
        if (tlsMaterial != null) {
            options.sslOptions(tlsMaterial.sslOptions());
        }
        client.setOptions(options.build());
    }

    /** Returns sync commands on a (cached) connection to 127.0.0.1:port. */
    RedisCommands<String, String> node(int port) {
        StatefulRedisConnection<String, String> connection = connections.get(port);
        if (connection == null || !connection.isOpen()) {
            connection = client.connect(uri(port));
            connections.put(port, connection);
        }
        return connection.sync();
    }

    /** Drops the cached connection to a port (after its server was killed, paused or restarted). */
    void forget(int port) {
        StatefulRedisConnection<String, String> connection = connections.remove(port);
        if (connection != null) {
            connection.closeAsync();
        }
    }

    /** Opens a new sentinel connection; the caller closes it. Sentinels here never use TLS nor a password. */
    StatefulRedisSentinelConnection<String, String> sentinel(int port) {
        return client.connectSentinel(RedisURI.builder().withHost("127.0.0.1").withPort(port)
                .withTimeout(COMMAND_TIMEOUT).build());
    }

    private RedisURI uri(int port) {
        RedisURI.Builder builder = RedisURI.builder().withHost("127.0.0.1").withPort(port).withTimeout(COMMAND_TIMEOUT);
        if (tls) {
            // Verify the chain but not the host name: material made for a wrong host must still be administrable.
            builder.withSsl(true).withVerifyPeer(SslVerifyMode.CA);
        }
        if (password != null) {
            builder.withPassword(password.toCharArray());
        }
        return builder.build();
    }

    /** Runs one sync call against the node, returning null instead of throwing if it fails. */
    <T> T tryOn(int port, Function<RedisCommands<String, String>, T> call) {
        try {
            return call.apply(node(port));
        } catch (RuntimeException e) {
            forget(port);
            return null;
        }
    }

    @Override
    public void close() {
        connections.values().forEach(StatefulRedisConnection::closeAsync);
        connections.clear();
        // Shut down in the background: nothing waits for Lettuce's threads, which are daemons.
        client.shutdownAsync(0, 2, TimeUnit.SECONDS)
                .whenComplete((ignored, error) -> resources.shutdown(0, 2, TimeUnit.SECONDS));
    }
}
