package dev.lmcache.redis.topology;

import dev.lmcache.redis.codec.ReplySplitter;
import dev.lmcache.redis.codec.ValueReadAllocator;
import dev.lmcache.redis.codec.WireEncoder;
import io.lettuce.core.protocol.CommandEncoder;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.NettyCustomizer;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.MaxMessagesRecvByteBufAllocator;
import io.netty.handler.flush.FlushConsolidationHandler;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * One Lettuce {@link ClientResources} (event loops, timers) per JVM, shared by every store and
 * shut down when the last store closes: threads are the expensive part of a client. Every
 * connection encodes with {@link WireEncoder}, which sends large values without copying them, reads
 * large values straight into the caller's buffer ({@link ReplySplitter}, over plain TCP by the
 * socket itself through a {@link ValueReadAllocator}), and consolidates flushes (Netty's {@link FlushConsolidationHandler}): concurrent small calls share
 * write syscalls.
 */
final class SharedResources {
    private static ClientResources resources;
    private static int users;

    private SharedResources() {
    }

    static synchronized ClientResources acquire() {
        if (resources == null) {
            resources = DefaultClientResources.builder()
                    .nettyCustomizer(new NettyCustomizer() {
                        @Override
                        public void afterChannelInitialized(Channel channel) {
                            configure(channel);
                        }
                    })
                    .build();
        }
        users++;
        return resources;
    }

    static synchronized void release() {
        if (--users == 0 && resources != null) {
            resources.shutdown(0, 2, TimeUnit.SECONDS);
            resources = null;
        }
    }

    /**
     * Transports whose read fills the buffer it was given within that one read call (readiness
     * based: NIO, epoll, kqueue), so a caller's buffer is never written after the read returns.
     * Not io_uring, whose reads complete later, possibly after the value was given up on.
     */
    private static final Set<String> READS_IN_PLACE = Set.of("io.netty.channel.socket.nio.NioSocketChannel",
            "io.netty.channel.epoll.EpollSocketChannel", "io.netty.channel.kqueue.KQueueSocketChannel");

    /** At most this many flushes are held back before one write goes out anyway. */
    private static final int FLUSHES_PER_WRITE = 256;

    /**
     * Puts {@link WireEncoder} where Lettuce's encoder is in a new connection's pipeline, with its
     * {@link ReplySplitter} in front of Lettuce's decoder, and consolidates its flushes.
     */
    static void configure(Channel channel) {
        ChannelPipeline pipeline = channel.pipeline();
        if (pipeline.get(CommandEncoder.class) != null) {
            // inbound, the splitter sees decrypted bytes (after any SslHandler) before Lettuce's CommandHandler
            ReplySplitter splitter = new ReplySplitter();
            pipeline.replace(CommandEncoder.class, "lmcache-wire-encoder", new WireEncoder(splitter));
            pipeline.addBefore("lmcache-wire-encoder", "lmcache-reply-splitter", splitter);
            // lets the socket read the rest of a large value straight into the caller's buffer (the
            // splitter declines where the bytes are not the socket's, e.g. under TLS)
            if (READS_IN_PLACE.contains(channel.getClass().getName())
                    && channel.config().getRecvByteBufAllocator() instanceof MaxMessagesRecvByteBufAllocator current) {
                channel.config().setRecvByteBufAllocator(new ValueReadAllocator(current, splitter));
            }
        }
        // many small calls in flight: their flushes (one per call and node) become one write
        // syscall per read loop or event-loop turn instead of one each
        pipeline.addFirst("lmcache-flush-consolidation", new FlushConsolidationHandler(FLUSHES_PER_WRITE, true));
    }
}
