package dev.lmcache.redis.embedded;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import java.time.Duration;
import java.util.List;

/** Lettuce clients for tests, sharing one set of client resources for the whole run. */
final class TestClients {

    static final ClientResources RESOURCES = DefaultClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2).build();

    private TestClients() {
    }

    static RedisClient standalone(SslOptions ssl) {
        RedisClient client = RedisClient.create(RESOURCES);
        ClientOptions.Builder options = ClientOptions.builder().autoReconnect(false)
                .timeoutOptions(TimeoutOptions.enabled());
        if (ssl != null) {
            options.sslOptions(ssl);
        }
        client.setOptions(options.build());
        return client;
    }

    static RedisClusterClient cluster(List<RedisURI> seeds, SslOptions ssl) {
        RedisClusterClient client = RedisClusterClient.create(RESOURCES, seeds);
        ClusterClientOptions.Builder options = ClusterClientOptions.builder()
                .timeoutOptions(TimeoutOptions.enabled());
        if (ssl != null) {
            options.sslOptions(ssl);
        }
        client.setOptions(options.build());
        return client;
    }

    static void shutdown(io.lettuce.core.AbstractRedisClient client) {
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
}
