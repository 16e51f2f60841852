package dev.lmcache.redis.bench;

import dev.lmcache.redis.codec.BulkOutput;
import dev.lmcache.redis.codec.BytesCodec;
import dev.lmcache.redis.codec.ReplySplitter;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the reply splitter costs on a connection's read path, without the network: following 64
 * small GET replies that it passes on to Lettuce untouched (its overhead for small chunks), and
 * taking a 1 MiB value off the stream into a caller's direct buffer (the one copy of a large read).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ReplySplitterBenchmarks {
    private static final int SMALL_REPLIES = 64;

    private ByteBuf smallReplies;
    private ByteBuf largeReply;
    private ByteBuffer destination;
    private EmbeddedChannel channel;
    private ReplySplitter splitter;
    private Command<byte[], ByteBuffer, ?> get;

    @Setup
    public void setup() {
        ByteArrayOutputStream small = new ByteArrayOutputStream();
        for (int i = 0; i < SMALL_REPLIES; i++) {
            small.writeBytes("$2048\r\n".getBytes(StandardCharsets.US_ASCII));
            small.writeBytes(new byte[2048]);
            small.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        smallReplies = Unpooled.directBuffer().writeBytes(small.toByteArray());
        int size = 1 << 20;
        largeReply = Unpooled.directBuffer(size + 16).writeBytes(("$" + size + "\r\n").getBytes(StandardCharsets.US_ASCII))
                .writeBytes(new byte[size]).writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        destination = ByteBuffer.allocateDirect(size);
        splitter = new ReplySplitter();
        // what follows the splitter: Lettuce's decoder, here a sink
        channel = new EmbeddedChannel(splitter, new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ReferenceCountUtil.release(msg);
            }
        });
        get = new Command<>(CommandType.GET, new BulkOutput(BytesCodec.INSTANCE, n -> destination.clear()),
                new CommandArgs<>(BytesCodec.INSTANCE).addKey(new byte[] {'k'}));
    }

    @TearDown
    public void tearDown() {
        channel.finishAndReleaseAll();
        smallReplies.release();
        largeReply.release();
    }

    /** 64 replies of 2 KiB in one socket read, each paired with its GET and passed on whole. */
    @Benchmark
    public boolean followSixtyFourSmallReplies() {
        for (int i = 0; i < SMALL_REPLIES; i++) {
            splitter.expect(get);
        }
        channel.writeInbound(smallReplies.retainedDuplicate());
        return splitter.active();
    }

    /** A 1 MiB value copied from the socket's buffer into the caller's buffer. */
    @Benchmark
    public boolean divertOneMebibyteValue() {
        splitter.expect(get);
        channel.writeInbound(largeReply.retainedDuplicate());
        return splitter.active();
    }
}
