package dev.lmcache.redis.codec;

import io.lettuce.core.output.CommandOutput;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.ProtocolKeyword;
import io.lettuce.core.protocol.RedisCommand;
import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Several commands handed to Lettuce as one: one entry in its queue of commands awaiting replies,
 * one write through the channel pipeline, one promise, one completion, instead of one of each per
 * command. On the wire they are the plain commands, back to back.
 *
 * <p>Redis answers with one reply per command; the channel's {@link ReplySplitter}, told of the
 * group by {@link WireEncoder}, announces them to Lettuce as one array of that many elements, and
 * the {@link Output} hands element {@code i} to command {@code i}'s own output. When the command
 * completes, each command's output holds its reply (or its error reply); {@link #allAnswered()}
 * says whether every reply arrived.
 *
 * <p>Only for connections set up by this library (where {@link WireEncoder} and {@link
 * ReplySplitter} are installed), and only for commands whose replies are not arrays.
 */
public final class PipelineCommand extends Command<byte[], ByteBuffer, Void> {

    /** Never on the wire: {@link #encode} writes the commands themselves. */
    private enum Keyword implements ProtocolKeyword {
        LMCACHE_PIPELINE;

        private final byte[] bytes = name().getBytes(StandardCharsets.US_ASCII);

        @Override
        public byte[] getBytes() {
            return bytes;
        }
    }

    private final List<RedisCommand<byte[], ByteBuffer, ?>> commands;

    public PipelineCommand(List<RedisCommand<byte[], ByteBuffer, ?>> commands) {
        super(Keyword.LMCACHE_PIPELINE, new Output(commands));
        this.commands = commands;
    }

    /** The commands, in the order they are written and answered. */
    public List<RedisCommand<byte[], ByteBuffer, ?>> commands() {
        return commands;
    }

    /** Whether every command got its reply (false if the group was cut short). */
    public boolean allAnswered() {
        return ((Output) getOutput()).received == commands.size();
    }

    @Override
    public void encode(ByteBuf buf) {
        for (RedisCommand<byte[], ByteBuffer, ?> c : commands) {
            c.encode(buf);
        }
    }

    /** Routes the elements of the announced array, one reply each, to the commands' outputs. */
    static final class Output extends CommandOutput<byte[], ByteBuffer, Void> {
        private final List<RedisCommand<byte[], ByteBuffer, ?>> commands;
        private boolean opened;
        private int received;

        Output(List<RedisCommand<byte[], ByteBuffer, ?>> commands) {
            super(BytesCodec.INSTANCE, null);
            this.commands = commands;
        }

        private CommandOutput<byte[], ByteBuffer, ?> next() {
            if (received >= commands.size()) {
                throw new IllegalStateException("more replies than the " + commands.size() + " commands of the group");
            }
            return commands.get(received++).getOutput();
        }

        @Override
        public void multi(int count) {
            if (opened) {
                // an element that is itself an array (none of the grouped commands returns one), or
                // the group re-sent after a reconnect while part of its replies had arrived
                throw new IllegalStateException("unexpected array reply in a group of " + commands.size()
                        + " commands (after " + received + " replies); the group fails");
            }
            if (count != commands.size()) {
                throw new IllegalStateException(count + " replies announced for a group of " + commands.size() + " commands");
            }
            opened = true;
        }

        @Override
        public void set(ByteBuffer bytes) {
            next().set(bytes);
        }

        @Override
        public void setSingle(ByteBuffer bytes) {
            next().setSingle(bytes);
        }

        @Override
        public void set(long integer) {
            next().set(integer);
        }

        @Override
        public void set(double number) {
            next().set(number);
        }

        @Override
        public void set(boolean value) {
            next().set(value);
        }

        @Override
        public void setBigNumber(ByteBuffer bytes) {
            next().setBigNumber(bytes);
        }

        @Override
        public void setError(ByteBuffer error) {
            next().setError(error);
        }
    }
}
