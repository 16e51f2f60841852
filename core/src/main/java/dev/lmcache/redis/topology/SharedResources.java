package dev.lmcache.redis.topology;

import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.NettyCustomizer;
import dev.lmcache.redis.codec.WireEncoder;
import io.lettuce.core.protocol.CommandEncoder;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import java.util.concurrent.TimeUnit;

/**
 * One Lettuce {@link ClientResources} (event loops, timers) per JVM, shared by every store and
 * shut down when the last store closes: threads are the expensive part of a client. Every
 * connection encodes with {@link WireEncoder}, which sends large values without copying them.
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
                            useWireEncoder(channel);
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

    /** Puts {@link WireEncoder} where Lettuce's encoder is in a new connection's pipeline. */
    static void useWireEncoder(Channel channel) {
        ChannelPipeline pipeline = channel.pipeline();
        if (pipeline.get(CommandEncoder.class) != null) {
            pipeline.replace(CommandEncoder.class, "lmcache-wire-encoder", new WireEncoder());
        }
    }
}
