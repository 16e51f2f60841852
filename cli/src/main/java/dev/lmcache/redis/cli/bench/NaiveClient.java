package dev.lmcache.redis.cli.bench;

import dev.lmcache.redis.ChunkKey;
import dev.lmcache.redis.ChunkMetadata;
import dev.lmcache.redis.RedisMode;
import dev.lmcache.redis.StoreConfig;
import dev.lmcache.redis.KeyNaming;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import dev.lmcache.redis.topology.LettuceSettings;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.protocol.ProtocolVersion;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The "before" of the comparison: LMCache's original Redis connector pattern, one key at a time
 * with every command awaited before the next. A chunk write is {@code SET K kv_bytes} then
 * {@code SET K metadata}; a read is {@code GET K metadata} then {@code GET K kv_bytes}: two
 * round trips per chunk. Plain Lettuce sync commands on the same server and key names as the
 * store (layouts without a metadata key cost one command per chunk).
 */
final class NaiveClient implements AutoCloseable {
    private final AutoCloseable client;
    private final AutoCloseable connection;
    private final RedisClusterCommands<byte[], byte[]> redis;
    private final KeyNaming naming;

    private NaiveClient(AutoCloseable client, AutoCloseable connection, RedisClusterCommands<byte[], byte[]> redis,
                             KeyNaming naming) {
        this.client = client;
        this.connection = connection;
        this.redis = redis;
        this.naming = naming;
    }

    /** Connects to the server (or cluster) the configuration names, with its credentials and TLS settings. */
    static NaiveClient connect(StoreConfig config) {
        boolean cluster = config.mode() == RedisMode.CLUSTER;
        KeyNaming naming = KeyNaming.of(config, cluster);
        List<RedisURI> uris = LettuceSettings.uris(config);
        if (cluster) {
            RedisClusterClient client = RedisClusterClient.create(uris);
            client.setOptions(ClusterClientOptions.builder(options(config)).validateClusterNodeMembership(false).build());
            try {
                StatefulRedisClusterConnection<byte[], byte[]> c = client.connect(ByteArrayCodec.INSTANCE);
                return new NaiveClient(client::shutdown, c, c.sync(), naming);
            } catch (RuntimeException e) {
                client.shutdown();
                throw e;
            }
        }
        RedisClient client = RedisClient.create();
        client.setOptions(options(config));
        try {
            StatefulRedisConnection<byte[], byte[]> c = client.connect(ByteArrayCodec.INSTANCE, uris.get(0));
            return new NaiveClient(client::shutdown, c, c.sync(), naming);
        } catch (RuntimeException e) {
            client.shutdown();
            throw e;
        }
    }

    /** Writes one chunk: data, then metadata, each awaited (the metadata marks the chunk readable). */
    void put(ChunkKey key, ChunkMetadata metadata, byte[] data) {
        redis.set(utf8(naming.dataKey(key)), data);
        if (naming.hasMetadataKey()) {
            redis.set(utf8(naming.metadataKey(key)), metadata.encode());
        }
    }

    /**
     * Reads one chunk: metadata, then data, each awaited. Returns the data, or null on a miss or
     * when the data does not have the length the metadata states.
     */
    byte[] get(ChunkKey key) {
        int expected = -1;
        if (naming.hasMetadataKey()) {
            byte[] meta = redis.get(utf8(naming.metadataKey(key)));
            if (meta == null) {
                return null;
            }
            expected = ChunkMetadata.decode(ByteBuffer.wrap(meta)).length();
        }
        byte[] data = redis.get(utf8(naming.dataKey(key)));
        if (data == null || (expected >= 0 && data.length != expected)) {
            return null;
        }
        return data;
    }

    /** Deletes the chunk's keys (one DEL per key: in a cluster they may live on different nodes). */
    void delete(ChunkKey key) {
        redis.del(utf8(naming.dataKey(key)));
        if (naming.hasMetadataKey()) {
            redis.del(utf8(naming.metadataKey(key)));
        }
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (Exception e) {
            // closing anyway
        }
        try {
            client.close();
        } catch (Exception e) {
            // closing anyway
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static ClientOptions options(StoreConfig c) {
        ClientOptions.Builder b = ClientOptions.builder().protocolVersion(ProtocolVersion.RESP2);
        if (c.tls()) {
            b.sslOptions(LettuceSettings.sslOptions(c));
        }
        return b.build();
    }
}
