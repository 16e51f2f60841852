package dev.lmcache.redis.embedded;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A loopback TCP proxy that delays every byte by a fixed one-way delay in each direction, so a
 * client talking to a server through it sees a round-trip time of at least twice the delay.
 *
 * <p>Byte order is preserved per direction. Reading from a side stops while the other side's
 * socket is not writable or while more than {@value #MAX_PENDING_BYTES} bytes are waiting out
 * their delay, so a large transfer never buffers without bound. The proxy runs on its own event
 * loop threads (daemon, shared by all proxies in the JVM, never by Lettuce) with TCP_NODELAY, so
 * it adds little latency beyond the delay itself (about a millisecond of timer granularity).
 *
 * <p>Instances are thread-safe. {@link #close()} closes the listening socket and every proxied
 * connection.
 */
public final class DelayProxy implements AutoCloseable {

    /** Upper bound on bytes held back (per connection and direction) while they wait out the delay. */
    static final int MAX_PENDING_BYTES = 16 * 1024 * 1024;

    private static final class Loops {
        static final EventLoopGroup GROUP = new MultiThreadIoEventLoopGroup(
                2, new DefaultThreadFactory("lmcache-delay-proxy", true), NioIoHandler.newFactory());
    }

    private final String targetHost;
    private final int targetPort;
    private final long delayNanos;
    private final Channel server;
    private final ChannelGroup channels = new DefaultChannelGroup("delay-proxy", GlobalEventExecutor.INSTANCE);

    private DelayProxy(String targetHost, int targetPort, Duration oneWayDelay, int listenPort) {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.delayNanos = oneWayDelay.toNanos();
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(Loops.GROUP)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.AUTO_READ, false)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel inbound) {
                        channels.add(inbound);
                        connectUpstream(inbound);
                    }
                });
        try {
            this.server = bootstrap.bind("127.0.0.1", listenPort).sync().channel();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while binding the delay proxy", e);
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot listen on 127.0.0.1:" + listenPort + " for the delay proxy: " + e, e);
        }
        channels.add(server);
    }

    /**
     * Starts a proxy on a free loopback port forwarding to {@code targetHost:targetPort}.
     *
     * @param oneWayDelay delay added in each direction; zero forwards immediately
     * @throws IllegalArgumentException if the delay is negative or the port out of range
     */
    public static DelayProxy start(String targetHost, int targetPort, Duration oneWayDelay) {
        return start(targetHost, targetPort, oneWayDelay, 0);
    }

    /**
     * Starts a proxy on {@code 127.0.0.1:listenPort} (0 = any free port) forwarding to
     * {@code targetHost:targetPort}. The target need not be up yet: each accepted connection
     * connects to it separately, and is closed if that fails.
     *
     * @throws IllegalArgumentException if the delay is negative or a port is out of range
     * @throws IllegalStateException    if the listen port cannot be bound
     */
    public static DelayProxy start(String targetHost, int targetPort, Duration oneWayDelay, int listenPort) {
        Objects.requireNonNull(targetHost, "targetHost");
        Objects.requireNonNull(oneWayDelay, "oneWayDelay");
        if (oneWayDelay.isNegative()) {
            throw new IllegalArgumentException("oneWayDelay must be >= 0, was " + oneWayDelay);
        }
        if (targetPort < 1 || targetPort > 65535) {
            throw new IllegalArgumentException("targetPort must be 1..65535, was " + targetPort);
        }
        if (listenPort < 0 || listenPort > 65535) {
            throw new IllegalArgumentException("listenPort must be 0 (any) or 1..65535, was " + listenPort);
        }
        return new DelayProxy(targetHost, targetPort, oneWayDelay, listenPort);
    }

    /** Returns the loopback port clients connect to. */
    public int listenPort() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** Returns the one-way delay added in each direction. */
    public Duration oneWayDelay() {
        return Duration.ofNanos(delayNanos);
    }

    /** Returns the port this proxy forwards to. */
    public int targetPort() {
        return targetPort;
    }

    private void connectUpstream(SocketChannel inbound) {
        Bootstrap bootstrap = new Bootstrap()
                .group(inbound.eventLoop())
                .channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5000)
                .handler(new ChannelInboundHandlerAdapter());
        bootstrap.connect(targetHost, targetPort).addListener((ChannelFutureListener) future -> {
            if (!future.isSuccess()) {
                inbound.close();
                return;
            }
            Channel outbound = future.channel();
            channels.add(outbound);
            Relay toServer = new Relay(outbound);
            Relay toClient = new Relay(inbound);
            toServer.peer = toClient;
            toClient.peer = toServer;
            inbound.pipeline().addLast(toServer);
            outbound.pipeline().addLast(toClient);
            inbound.read();
            outbound.read();
            inbound.config().setAutoRead(true);
            outbound.config().setAutoRead(true);
        });
    }

    /**
     * Reads from the channel it is installed on and writes, after the delay, to {@code target}.
     * Both channels of a connection share one event loop, so no state here needs locking.
     */
    private final class Relay extends ChannelInboundHandlerAdapter {
        private final Channel target;
        private Relay peer;
        private Channel source;
        private long pendingBytes;

        Relay(Channel target) {
            this.target = target;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            source = ctx.channel();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof ByteBuf)) {
                ReferenceCountUtil.release(msg);
                return;
            }
            ByteBuf buf = (ByteBuf) msg;
            if (delayNanos == 0) {
                target.writeAndFlush(buf);
                updateReading();
                return;
            }
            int size = buf.readableBytes();
            pendingBytes += size;
            updateReading();
            ctx.executor().schedule(() -> {
                pendingBytes -= size;
                if (target.isActive()) {
                    target.writeAndFlush(buf);
                } else {
                    buf.release();
                }
                updateReading();
            }, delayNanos, TimeUnit.NANOSECONDS);
        }

        /** Called when the target's writability may have changed: our source may read again. */
        void updateReading() {
            boolean shouldRead = target.isWritable() && pendingBytes <= MAX_PENDING_BYTES;
            if (source != null && source.config().isAutoRead() != shouldRead) {
                source.config().setAutoRead(shouldRead);
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            // Our own channel is the peer relay's target.
            peer.updateReading();
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            // Close the other side only after the bytes already read have been delivered.
            if (delayNanos == 0) {
                closeAfterFlush(target);
            } else {
                ctx.executor().schedule(() -> closeAfterFlush(target), delayNanos, TimeUnit.NANOSECONDS);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    private static void closeAfterFlush(Channel channel) {
        if (channel.isActive()) {
            channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** Closes the listening socket and every proxied connection; waits until they are closed. */
    @Override
    public void close() {
        channels.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    @Override
    public String toString() {
        return "DelayProxy[127.0.0.1:" + (server.isOpen() ? listenPort() : -1) + " -> " + targetHost + ":" + targetPort
                + ", oneWay=" + oneWayDelay().toMillis() + "ms]";
    }
}
