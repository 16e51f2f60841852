package dev.lmcache.redis.edge;

import dev.lmcache.redis.KvCacheStore;
import dev.lmcache.redis.StoreConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The LMCache edge: a RESP2 server for LMCache's native {@code resp} client (MP
 * {@code --l2-adapter '{"type":"resp",...}'}, in-process {@code remote_url: resp://...}) that
 * stores every key under its own name, with the raw value, through a {@link KvCacheStore} on any
 * target the store reaches (standalone, cluster, sentinel, TLS, ACL users). Requests from all
 * client connections are batched into the store; replies go out in order per connection, byte
 * for byte what that client expects (see the README's "LMCache edge" section).
 *
 * <p>Started with {@link #start}; {@link #close} stops accepting, closes client connections,
 * flushes the write-behind queue and closes the stores. Thread-safe.
 */
public final class EdgeServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EdgeServer.class);
    /** Output above this per connection stops reading from that client until it drains below the low mark. */
    static final int HIGH_WATER = 8 << 20;
    static final int LOW_WATER = 2 << 20;

    private final EdgeConfig config;
    private final StoreConfig target;
    private final List<Upstream> upstreams;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final Channel server;
    private final ChannelGroup clients = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final MeterRegistry registry;
    private final PrometheusMeterRegistry prometheus;
    private final MetricsEndpoint endpoint;
    private final MemoryTier memory;
    private final CommandHandler handler;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final long startedAt = System.nanoTime();

    private EdgeServer(EdgeConfig config, StoreConfig target) {
        this.config = config;
        this.target = target;
        if (config.metricsPort() > 0) {
            prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            // the stores publish their own meters to the global registry (metrics: true)
            Metrics.globalRegistry.add(prometheus);
            registry = prometheus;
        } else {
            prometheus = null;
            registry = new SimpleMeterRegistry();
        }
        EdgeMetrics metrics = new EdgeMetrics(registry);
        ChunkSize chunkSize = new ChunkSize(config.chunkBytes().orElse(0));
        memory = config.memoryBytes() > 0 ? new MemoryTier(config.memoryBytes(), config.lease()) : null;
        upstreams = new ArrayList<>();
        Map<Tenant, Upstream> tenantUpstreams = new LinkedHashMap<>();
        Upstream defaultUpstream = null;
        MultiThreadIoEventLoopGroup bossGroup = null;
        MultiThreadIoEventLoopGroup workerGroup = null;
        MetricsEndpoint ep = null;
        try {
            StoreConfig base = config.metricsPort() > 0 ? target.toBuilder().metricsEnabled(true).build() : target;
            Map<String, Upstream> byUser = new LinkedHashMap<>();
            if (config.tenants().isEmpty() || config.tenants().stream().anyMatch(t -> t.upstreamUser().isEmpty())) {
                defaultUpstream = open(base, chunkSize, metrics);
                byUser.put("", defaultUpstream);
            }
            for (Tenant t : config.tenants()) {
                String user = t.upstreamUser().orElse("");
                Upstream u = byUser.get(user);
                if (u == null) {
                    u = open(base.toBuilder().username(user).password(t.upstreamPassword().orElseThrow()).build(), chunkSize, metrics);
                    byUser.put(user, u);
                }
                tenantUpstreams.put(t, u);
            }
            handler = new CommandHandler(chunkSize, config.tenants().isEmpty() ? defaultUpstream : null, tenantUpstreams,
                    metrics, this::info);
            metrics.gauge("lmcache.edge.write.queue.bytes", "bytes admitted to the write-behind queue, not yet acknowledged by Redis",
                    () -> upstreams.stream().mapToLong(Upstream::queuedBytes).sum());
            metrics.gauge("lmcache.edge.memory.bytes", "bytes held by the memory tier and its leases",
                    () -> memory == null ? 0 : memory.bytes());
            metrics.gauge("lmcache.edge.connections", "client connections open", connections::get);

            bossGroup = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
            workerGroup = new MultiThreadIoEventLoopGroup(Math.max(2, Runtime.getRuntime().availableProcessors()), NioIoHandler.newFactory());
            ServerBootstrap b = new ServerBootstrap()
                    .group(bossGroup, workerGroup)
                    .channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 256)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(LOW_WATER, HIGH_WATER))
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            clients.add(ch);
                            connections.incrementAndGet();
                            ch.pipeline().addLast("resp", new RespDecoder(config.maxValueBytes()));
                            ch.pipeline().addLast("edge", new EdgeConnection(handler, connections::decrementAndGet));
                        }
                    });
            InetSocketAddress at = config.listen();
            try {
                server = b.bind(at).syncUninterruptibly().channel();
            } catch (Exception e) {
                throw new IllegalStateException("cannot listen on " + at.getHostString() + ":" + at.getPort() + ": " + e.getMessage(), e);
            }
            if (memory != null) {
                long every = Math.max(50, config.lease().toMillis() / 2);
                workerGroup.scheduleAtFixedRate(memory::expireLeases, every, every, TimeUnit.MILLISECONDS);
            }
            if (prometheus != null) {
                ep = new MetricsEndpoint(at.getHostString(), config.metricsPort(), prometheus);
            }
        } catch (RuntimeException e) {
            if (bossGroup != null) {
                bossGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS);
                workerGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            }
            upstreams.forEach(Upstream::close);
            if (prometheus != null) {
                Metrics.globalRegistry.remove(prometheus);
            }
            throw e;
        }
        this.boss = bossGroup;
        this.workers = workerGroup;
        this.endpoint = ep;
    }

    private Upstream open(StoreConfig c, ChunkSize chunkSize, EdgeMetrics metrics) {
        Upstream u = new Upstream(upstreams.size(), KvCacheStore.open(c), memory, chunkSize, config, metrics);
        upstreams.add(u);
        return u;
    }

    /**
     * Connects to the target (failing fast if it cannot), then listens.
     *
     * @throws dev.lmcache.redis.KvCacheException if the target cannot be reached
     * @throws IllegalStateException if the address cannot be listened on
     */
    public static EdgeServer start(EdgeConfig config, StoreConfig target) {
        EdgeServer s = new EdgeServer(config, target);
        log.info("LMCache edge listening on {}:{} -> {} ({})", s.config.listen().getHostString(), s.port(),
                target.redactedUrl(), config);
        return s;
    }

    /** The port the edge listens on (the one chosen when configured with port 0). */
    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** The port of the Prometheus endpoint, if it is on. */
    public Optional<Integer> metricsPort() {
        return endpoint == null ? Optional.empty() : Optional.of(endpoint.port());
    }

    public EdgeConfig config() {
        return config;
    }

    /** The edge's meters ({@code lmcache.edge.*}); the Prometheus registry when the endpoint is on. */
    public MeterRegistry meters() {
        return registry;
    }

    /** Client connections open now. */
    public int connections() {
        return connections.get();
    }

    private String info() {
        long uptime = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startedAt);
        StringBuilder sb = new StringBuilder();
        sb.append("# Server\r\n")
                .append("redis_version:7.0.0\r\n")
                .append("lmcache_edge:1\r\n")
                .append("redis_mode:standalone\r\n")
                .append("tcp_port:").append(port()).append("\r\n")
                .append("uptime_in_seconds:").append(uptime).append("\r\n")
                .append("# Clients\r\n")
                .append("connected_clients:").append(connections.get()).append("\r\n")
                .append("# Memory\r\n")
                .append("used_memory:").append(memory == null ? 0 : memory.bytes()).append("\r\n")
                .append("# Edge\r\n")
                .append("upstream:").append(target.redactedUrl()).append("\r\n")
                .append("chunk_bytes:").append(handler.chunkBytes()).append("\r\n")
                .append("memory_tier_bytes:").append(config.memoryBytes()).append("\r\n")
                .append("write_mode:").append(config.writeMode().optionName()).append("\r\n")
                .append("write_queue_bytes:").append(upstreams.stream().mapToLong(Upstream::queuedBytes).sum()).append("\r\n")
                .append("tenants:").append(config.tenants().size()).append("\r\n");
        return sb.toString();
    }

    /**
     * Stops accepting and closes client connections, then waits for the write-behind queue to be
     * flushed (up to twice the store's request timeout, plus a second per 64 MiB queued), then
     * closes the stores and the metrics endpoint. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        server.close().syncUninterruptibly();
        clients.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        for (Upstream u : upstreams) {
            long queued = u.queuedBytes();
            long wait = target.requestTimeout().toMillis() * 2 + 1000 * (1 + queued / (64L << 20));
            try {
                if (!u.drain(wait)) {
                    log.warn("closing with {} bytes of write-behind values not flushed after {} ms: they are lost", u.queuedBytes(), wait);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                log.warn("interrupted while flushing the write-behind queue; {} bytes are lost", u.queuedBytes());
            }
            u.close();
        }
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        if (endpoint != null) {
            endpoint.close();
        }
        if (prometheus != null) {
            Metrics.globalRegistry.remove(prometheus);
            prometheus.close();
        }
        log.info("LMCache edge on port {} stopped", ((InetSocketAddress) server.localAddress()).getPort());
    }
}
