package dev.lmcache.redis.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.output.IntegerOutput;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.RedisCommand;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The reply splitter's framing, fed the byte stream of a Redis connection cut at arbitrary
 * points (what a socket does): large values for GET outputs leave the stream whole and land in
 * their destinations; everything else reaches Lettuce byte for byte. End-to-end behaviour against
 * real servers is covered by the store's tests (every large read goes through the splitter).
 */
class ReplySplitterTest {
    private static final BytesCodec CODEC = BytesCodec.INSTANCE;
    private static final int BIG = ReplySplitter.MIN_DIVERT_BYTES;

    /** A destination that records what it was asked for. */
    static final class Recording implements BulkDestination {
        ByteBuffer buffer;
        int opens;
        int closes;

        @Override
        public ByteBuffer open(int size) {
            opens++;
            buffer = ByteBuffer.allocate(size);
            return buffer;
        }

        @Override
        public void close() {
            closes++;
        }
    }

    /** The replies of a script: what the server sends, and what Lettuce must receive. */
    private final ByteArrayOutputStream wire = new ByteArrayOutputStream();
    private final ByteArrayOutputStream expectedForward = new ByteArrayOutputStream();
    private final List<RedisCommand<byte[], ByteBuffer, ?>> commands = new ArrayList<>();
    private final List<Recording> destinations = new ArrayList<>();
    private final List<byte[]> divertedValues = new ArrayList<>();
    private final Random random = new Random(7);

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private byte[] value(int size) {
        byte[] v = new byte[size];
        random.nextBytes(v);
        return v;
    }

    private static byte[] bulk(byte[] v) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(ascii("$" + v.length + "\r\n"));
        b.writeBytes(v);
        b.writeBytes(ascii("\r\n"));
        return b.toByteArray();
    }

    /** A GET whose reply is {@code reply}, expected to reach Lettuce unchanged. */
    private Recording get(byte[] reply) {
        Recording d = new Recording();
        commands.add(new Command<>(CommandType.GET, new BulkOutput(CODEC, d), new CommandArgs<>(CODEC).addKey(ascii("k"))));
        wire.writeBytes(reply);
        expectedForward.writeBytes(reply);
        return d;
    }

    /** A GET whose reply is a value large enough to be diverted. */
    private void divertedGet(int size) {
        byte[] v = value(size);
        Recording d = new Recording();
        commands.add(new Command<>(CommandType.GET, new BulkOutput(CODEC, d), new CommandArgs<>(CODEC).addKey(ascii("k"))));
        wire.writeBytes(bulk(v));
        expectedForward.writeBytes(ascii("$0\r\n\r\n"));
        destinations.add(d);
        divertedValues.add(v);
    }

    /** Another command (not a GET output), whose reply must pass whatever it holds. */
    private void other(byte[] reply) {
        commands.add(new Command<>(CommandType.PING, new StatusOutput<>(CODEC), null));
        wire.writeBytes(reply);
        expectedForward.writeBytes(reply);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            b.writeBytes(p);
        }
        return b.toByteArray();
    }

    /** Every RESP2/RESP3 reply shape, large values at the top level of GETs and elsewhere. */
    private void script() {
        divertedGet(BIG + 17);
        other(ascii("+PONG\r\n"));
        get(ascii("$5\r\nhello\r\n"));
        get(ascii("_\r\n"));
        get(ascii("$-1\r\n"));
        get(ascii("$0\r\n\r\n"));
        get(bulk(value(BIG - 1)));
        other(concat(ascii("*4\r\n"), bulk(value(BIG + 5)), ascii(":5\r\n%1\r\n+k\r\n*2\r\n$-1\r\n,1.5\r\n"),
                ascii("*1\r\n|1\r\n+ttl\r\n:3\r\n#t\r\n")));
        get(ascii("-ERR wrong type\r\n"));
        divertedGet(3 * BIG + 1);
        other(bulk(value(BIG * 2)));
        other(ascii("*-1\r\n"));
        other(ascii("~2\r\n(12345678901234567890\r\n!5\r\nerror\r\n"));
        other(ascii("=15\r\ntxt:Some string\r\n"));
        divertedGet(BIG);
        other(ascii(":-42\r\n"));
        divertedGet(BIG + 1);
        get(ascii("$10\r\n0123456789\r\n"));
    }

    private EmbeddedChannel channel(ReplySplitter splitter) {
        EmbeddedChannel ch = new EmbeddedChannel(splitter);
        commands.forEach(splitter::expect);
        return ch;
    }

    /** Feeds the wire bytes in pieces of the given sizes (cycled); returns what was forwarded. */
    private static byte[] feed(EmbeddedChannel ch, byte[] bytes, int[] pieces) {
        List<ByteBuf> inputs = new ArrayList<>();
        ByteArrayOutputStream forwarded = new ByteArrayOutputStream();
        int p = 0;
        for (int off = 0; off < bytes.length; ) {
            int n = Math.min(pieces[p++ % pieces.length], bytes.length - off);
            ByteBuf in = Unpooled.buffer(n).writeBytes(bytes, off, n);
            inputs.add(in);
            ch.writeInbound(in);
            off += n;
            for (Object o; (o = ch.readInbound()) != null; ) {
                ByteBuf b = (ByteBuf) o;
                byte[] out = new byte[b.readableBytes()];
                b.readBytes(out);
                b.release();
                forwarded.writeBytes(out);
            }
        }
        assertThat(inputs).as("every input buffer released").allSatisfy(in -> assertThat(in.refCnt()).isZero());
        return forwarded.toByteArray();
    }

    private void assertDelivered() {
        for (int i = 0; i < destinations.size(); i++) {
            Recording d = destinations.get(i);
            assertThat(d.opens).isEqualTo(1);
            assertThat(d.closes).isEqualTo(1);
            assertThat(d.buffer.array()).as("diverted value %d", i).isEqualTo(divertedValues.get(i));
        }
    }

    private void assertSplits(int[] pieces) {
        ReplySplitter splitter = new ReplySplitter();
        EmbeddedChannel ch = channel(splitter);
        byte[] forwarded = feed(ch, wire.toByteArray(), pieces);
        assertThat(forwarded).as("bytes forwarded with pieces %s", Arrays.toString(pieces))
                .isEqualTo(expectedForward.toByteArray());
        assertDelivered();
        assertThat(splitter.active()).isTrue();
        ch.finishAndReleaseAll();
    }

    @Test
    void divertsLargeGetValuesAndForwardsEverythingElseInOneInput() {
        script();
        assertSplits(new int[] {Integer.MAX_VALUE});
    }

    @Test
    void divertsTheSameWhenTheStreamArrivesByteByByte() {
        script();
        assertSplits(new int[] {1});
    }

    @Test
    void divertsTheSameWhateverTheCutPoints() {
        script();
        byte[] wireBytes = wire.toByteArray();
        Random r = new Random(42);
        for (int run = 0; run < 40; run++) {
            int[] pieces = new int[64];
            for (int i = 0; i < pieces.length; i++) {
                // small pieces cut headers, large ones cut bodies and hold several replies
                pieces[i] = r.nextBoolean() ? 1 + r.nextInt(9) : 1 + r.nextInt(3 * BIG);
            }
            destinations.forEach(d -> {
                d.opens = 0;
                d.closes = 0;
            });
            ReplySplitter splitter = new ReplySplitter();
            EmbeddedChannel ch = channel(splitter);
            assertThat(feed(ch, wireBytes, pieces)).isEqualTo(expectedForward.toByteArray());
            assertDelivered();
            ch.finishAndReleaseAll();
        }
    }

    @Test
    void theOutputCompletesWithTheDivertedValueWhenLettuceDecodesThePlaceholder() {
        divertedGet(BIG + 3);
        assertSplits(new int[] {1000});
        BulkOutput output = (BulkOutput) commands.get(0).getOutput();
        output.set(ByteBuffer.allocate(0)); // what Lettuce does with "$0\r\n\r\n"
        BulkReply reply = output.get();
        assertThat(reply.size()).isEqualTo(BIG + 3);
        byte[] got = new byte[reply.data().remaining()];
        reply.data().get(got);
        assertThat(got).isEqualTo(divertedValues.get(0));
    }

    @Test
    void aSkippedValueIsDroppedWithoutACopyAndReportedBySize() {
        BulkOutput output = new BulkOutput(CODEC, size -> null);
        commands.add(new Command<>(CommandType.GET, output, new CommandArgs<>(CODEC).addKey(ascii("k"))));
        wire.writeBytes(bulk(value(BIG + 9)));
        expectedForward.writeBytes(ascii("$0\r\n\r\n"));
        assertSplits(new int[] {4096});
        output.set(ByteBuffer.allocate(0));
        assertThat(output.get()).isEqualTo(new BulkReply(null, BIG + 9, null));
    }

    @Test
    void aPushFrameStopsSplittingAndEverythingPassesUnchanged() {
        divertedGet(BIG + 1);
        byte[] push = ascii(">2\r\n+invalidate\r\n*1\r\n$3\r\nkey\r\n");
        byte[] big = bulk(value(BIG + 2));
        Recording d = get(new byte[0]);
        byte[] wireBytes = concat(wire.toByteArray(), push, big);
        ReplySplitter splitter = new ReplySplitter();
        EmbeddedChannel ch = channel(splitter);
        byte[] forwarded = feed(ch, wireBytes, new int[] {7, 50_000});
        assertThat(forwarded).isEqualTo(concat(ascii("$0\r\n\r\n"), push, big));
        assertThat(splitter.active()).isFalse();
        assertThat(d.opens).as("the reply after the push is not diverted").isZero();
        ch.finishAndReleaseAll();
    }

    @Test
    void aReplyWithNoCommandWaitingStopsSplitting() {
        byte[] big = bulk(value(BIG + 2));
        ReplySplitter splitter = new ReplySplitter();
        EmbeddedChannel ch = channel(splitter);
        assertThat(feed(ch, concat(ascii(":1\r\n"), big), new int[] {3})).isEqualTo(concat(ascii(":1\r\n"), big));
        assertThat(splitter.active()).isFalse();
        ch.finishAndReleaseAll();
    }

    @Test
    void aSubscriptionStopsSplittingBeforeItsMessagesArrive() {
        ReplySplitter splitter = new ReplySplitter();
        splitter.expect(new Command<>(CommandType.SUBSCRIBE, new IntegerOutput<>(CODEC), null));
        assertThat(splitter.active()).isFalse();
    }

    @Test
    void aConnectionClosedInTheMiddleOfAValueClosesItsDestination() {
        divertedGet(BIG * 2);
        byte[] wireBytes = wire.toByteArray();
        ReplySplitter splitter = new ReplySplitter();
        EmbeddedChannel ch = channel(splitter);
        feed(ch, Arrays.copyOf(wireBytes, BIG), new int[] {BIG});
        Recording d = destinations.get(0);
        assertThat(d.opens).isEqualTo(1);
        assertThat(d.closes).isZero();
        ch.close();
        assertThat(d.closes).as("closed when the channel went inactive").isEqualTo(1);
    }

    @Test
    void aFailingDestinationIsReportedAndTheStreamStaysInStep() {
        RuntimeException boom = new IllegalStateException("no memory");
        BulkOutput failing = new BulkOutput(CODEC, size -> {
            throw boom;
        });
        commands.add(new Command<>(CommandType.GET, failing, new CommandArgs<>(CODEC).addKey(ascii("k"))));
        wire.writeBytes(bulk(value(BIG + 4)));
        expectedForward.writeBytes(ascii("$0\r\n\r\n"));
        divertedGet(BIG + 8);
        assertSplits(new int[] {333});
        failing.set(ByteBuffer.allocate(0));
        assertThat(failing.get().failure()).isSameAs(boom);
        assertThat(failing.get().data()).isNull();
    }

    @Test
    void repliesBeforeADivertedValueReachLettuceBeforeItsDestinationIsAsked() {
        // the destination of a chunk's data depends on its metadata reply, decoded just before
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        List<Integer> seenAtOpen = new ArrayList<>();
        BulkOutput metadata = new BulkOutput(CODEC, ByteBuffer::allocate);
        BulkOutput data = new BulkOutput(CODEC, size -> {
            seenAtOpen.add(seen.size());
            return ByteBuffer.allocate(size);
        });
        ReplySplitter splitter = new ReplySplitter();
        EmbeddedChannel ch = new EmbeddedChannel(splitter, new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ByteBuf b = (ByteBuf) msg;
                byte[] out = new byte[b.readableBytes()];
                b.readBytes(out);
                b.release();
                seen.writeBytes(out);
            }
        });
        splitter.expect(new Command<>(CommandType.GET, metadata, new CommandArgs<>(CODEC).addKey(ascii("m"))));
        splitter.expect(new Command<>(CommandType.GET, data, new CommandArgs<>(CODEC).addKey(ascii("d"))));
        byte[] meta = bulk(value(28));
        ch.writeInbound(Unpooled.wrappedBuffer(concat(meta, bulk(value(BIG + 1)))));
        assertThat(seenAtOpen).as("bytes Lettuce had when the data's buffer was asked for").containsExactly(meta.length);
        ch.finishAndReleaseAll();
    }

    /** A group of the given commands, as Lettuce would be handed it. */
    private static PipelineCommand group(List<RedisCommand<byte[], ByteBuffer, ?>> commands) {
        return new PipelineCommand(new ArrayList<>(commands));
    }

    @Test
    void aCommandGroupsRepliesReachLettuceAsOneArrayWithLargeValuesDivertedWhateverTheCutPoints() {
        // single commands, then a group of six (a large value among them), then single commands
        other(ascii("+PONG\r\n"));
        int groupStart = commands.size();
        get(ascii("$3\r\nabc\r\n"));
        other(ascii("+OK\r\n"));
        divertedGet(BIG + 11);
        get(ascii("$-1\r\n"));
        other(ascii("-MOVED 3999 127.0.0.1:6381\r\n"));
        other(ascii(":1\r\n"));
        int groupEnd = commands.size();
        divertedGet(BIG * 2);
        other(ascii("+OK\r\n"));
        byte[] forwardedSingles = expectedForward.toByteArray();
        // what Lettuce must see: the group's replies behind an array header of six
        byte[] pong = ascii("+PONG\r\n");
        byte[] expected = concat(pong, ascii("*6\r\n"), Arrays.copyOfRange(forwardedSingles, pong.length, forwardedSingles.length));
        byte[] wireBytes = wire.toByteArray();
        Random r = new Random(3);
        for (int run = 0; run < 30; run++) {
            int[] pieces = new int[32];
            for (int i = 0; i < pieces.length; i++) {
                pieces[i] = run == 0 ? 1 : r.nextBoolean() ? 1 + r.nextInt(7) : 1 + r.nextInt(2 * BIG);
            }
            destinations.forEach(d -> {
                d.opens = 0;
                d.closes = 0;
            });
            ReplySplitter splitter = new ReplySplitter();
            EmbeddedChannel ch = new EmbeddedChannel(splitter);
            splitter.expect(commands.get(0));
            splitter.expect(group(commands.subList(groupStart, groupEnd)));
            commands.subList(groupEnd, commands.size()).forEach(splitter::expect);
            assertThat(feed(ch, wireBytes, pieces)).as("run %d", run).isEqualTo(expected);
            assertDelivered();
            assertThat(splitter.active()).isTrue();
            ch.finishAndReleaseAll();
        }
    }

    @Test
    void givingUpPairingWhileAGroupAwaitsRepliesClosesTheConnection() {
        ReplySplitter splitter = new ReplySplitter();
        EmbeddedChannel ch = new EmbeddedChannel(splitter);
        splitter.expect(group(List.of(
                new Command<>(CommandType.GET, new BulkOutput(CODEC, ByteBuffer::allocate), new CommandArgs<>(CODEC).addKey(ascii("a"))),
                new Command<>(CommandType.GET, new BulkOutput(CODEC, ByteBuffer::allocate), new CommandArgs<>(CODEC).addKey(ascii("b"))))));
        // the first reply arrives, then something that cannot be paired (a RESP3 push)
        feed(ch, ascii("$1\r\na\r\n>1\r\n+x\r\n"), new int[] {100});
        assertThat(splitter.active()).isFalse();
        assertThat(ch.isOpen()).as("Lettuce would read the group's second reply as the next command's").isFalse();
    }

    @Test
    void withoutGroupsGivingUpPairingLeavesTheConnectionOpen() {
        ReplySplitter splitter = new ReplySplitter();
        EmbeddedChannel ch = new EmbeddedChannel(splitter);
        splitter.expect(new Command<>(CommandType.PING, new StatusOutput<>(CODEC), null));
        feed(ch, ascii("+PONG\r\n>1\r\n+x\r\n"), new int[] {100});
        assertThat(splitter.active()).isFalse();
        assertThat(ch.isOpen()).isTrue();
        ch.finishAndReleaseAll();
    }

    @Test
    void givingUpPairingWhileAValueIsHalfwayDivertedClosesTheConnectionAndItsDestination() {
        divertedGet(BIG * 2);
        byte[] wireBytes = wire.toByteArray();
        ReplySplitter splitter = new ReplySplitter();
        EmbeddedChannel ch = channel(splitter);
        feed(ch, Arrays.copyOf(wireBytes, BIG), new int[] {BIG});
        // a write that is not a command, while the rest of the value is still to come
        splitter.unpairedWrite();
        assertThat(splitter.active()).isFalse();
        assertThat(ch.isOpen()).as("Lettuce would read the rest of the value as a reply").isFalse();
        assertThat(destinations.get(0).closes).as("the destination is closed, not left open").isEqualTo(1);
    }
}
