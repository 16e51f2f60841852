package dev.lmcache.redis.topology;

import dev.lmcache.redis.ConfigException;
import dev.lmcache.redis.HostAndPort;
import dev.lmcache.redis.StoreConfig;
import dev.lmcache.redis.TlsVerify;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.SslVerifyMode;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.protocol.ProtocolVersion;
import java.util.ArrayList;
import java.util.List;

/**
 * Translates a {@link StoreConfig} into Lettuce URIs and options. Public (though not part of the
 * store's API) for tools that need plain Lettuce access to the same servers with the same
 * credentials and TLS settings, such as the CLI's {@code inspect} and its naive benchmark client.
 */
public final class LettuceSettings {
    private LettuceSettings() {
    }

    /** The URIs to connect to: one (standalone, unix socket, sentinel) or the cluster seeds. */
    public static List<RedisURI> uris(StoreConfig c) {
        List<RedisURI> out = new ArrayList<>();
        switch (c.mode()) {
            case SENTINEL -> {
                RedisURI.Builder b = null;
                for (HostAndPort hp : c.endpoints()) {
                    b = b == null ? RedisURI.Builder.sentinel(hp.host(), hp.port(), c.sentinelMasterName())
                            : b.withSentinel(hp.host(), hp.port());
                }
                RedisURI uri = common(b, c).build();
                // LMCache's REDIS_TIMEOUT bounds the talk with the sentinels, not the data commands
                uri.getSentinels().forEach(sentinel -> sentinel.setTimeout(c.sentinelTimeout()));
                out.add(uri);
            }
            case STANDALONE -> {
                if (c.unixSocket().isPresent()) {
                    out.add(common(RedisURI.Builder.socket(c.unixSocket().get().toString()), c).build());
                } else {
                    HostAndPort hp = c.endpoints().get(0);
                    out.add(common(RedisURI.Builder.redis(hp.host(), hp.port()), c).build());
                }
            }
            case CLUSTER -> {
                for (HostAndPort hp : c.endpoints()) {
                    out.add(common(RedisURI.Builder.redis(hp.host(), hp.port()), c).build());
                }
            }
            default -> throw new ConfigException("unsupported mode " + c.mode());
        }
        return out;
    }

    private static RedisURI.Builder common(RedisURI.Builder b, StoreConfig c) {
        b.withTimeout(c.requestTimeout()).withDatabase(c.database());
        if (c.password().isPresent()) {
            char[] pw = c.password().get();
            if (c.username().isPresent()) {
                b.withAuthentication(c.username().get(), pw);
            } else {
                b.withPassword(pw);
            }
        }
        if (c.tls()) {
            b.withSsl(true).withVerifyPeer(switch (c.tlsVerify()) {
                case FULL -> SslVerifyMode.FULL;
                case CA -> SslVerifyMode.CA;
                case NONE -> SslVerifyMode.NONE;
            });
        }
        return b;
    }

    /** TLS options: the configured CA file as trust anchor and, for mTLS, the client certificate and key. */
    public static SslOptions sslOptions(StoreConfig c) {
        SslOptions.Builder b = SslOptions.builder().jdkSslProvider();
        c.tlsCaFile().ifPresent(ca -> b.trustManager(ca.toFile()));
        if (c.tlsCertFile().isPresent() && c.tlsKeyFile().isPresent()) {
            b.keyManager(c.tlsCertFile().get().toFile(), c.tlsKeyFile().get().toFile(), null);
        }
        return b.build();
    }

    private static <B extends ClientOptions.Builder> B fill(B b, StoreConfig c) {
        b.protocolVersion(ProtocolVersion.RESP2)
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                // request timeouts are enforced per dispatched group by the engine (see Dispatcher)
                .timeoutOptions(TimeoutOptions.builder().timeoutCommands(false).build())
                // a plain queue of commands awaiting replies: the hash-indexed one only speeds up
                // removing a command whose write failed, and costs a hash map operation per command
                .useHashIndexQueue(false)
                .socketOptions(SocketOptions.builder().connectTimeout(c.connectTimeout()).keepAlive(true).tcpNoDelay(true).build());
        if (c.tls()) {
            b.sslOptions(sslOptions(c));
        }
        return b;
    }

    static ClientOptions clientOptions(StoreConfig c) {
        return fill(ClientOptions.builder(), c).build();
    }

    static ClusterClientOptions clusterOptions(StoreConfig c) {
        ClusterTopologyRefreshOptions.Builder refresh = ClusterTopologyRefreshOptions.builder()
                .enableAllAdaptiveRefreshTriggers();
        if (!c.topologyRefreshPeriod().isZero()) {
            refresh.enablePeriodicRefresh(c.topologyRefreshPeriod());
        }
        return fill(ClusterClientOptions.builder(), c).topologyRefreshOptions(refresh.build()).maxRedirects(5)
                .validateClusterNodeMembership(false).build();
    }

    static boolean verifyDisabled(StoreConfig c) {
        return c.tls() && c.tlsVerify() == TlsVerify.NONE;
    }
}
