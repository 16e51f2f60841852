package dev.lmcache.redis.codec;

import io.lettuce.core.output.CommandOutput;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.RedisCommand;
import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The integer replies of a run of one-key commands ({@code EXISTS key} per key) sent as one
 * {@link PipelineCommand}, collected in order into one array: no output, arguments object or
 * future per key. A lookup of a 32k-token prompt at tensor-parallel size 4 asks about 512 keys;
 * through the general per-call path each key cost a command with its own arguments and output, a
 * future and its completion, about as much client time as the server's work for it.
 *
 * <p>Reply {@code i} is the one to command {@code i} of {@link #commands}: Redis answers in order,
 * and {@link PipelineCommand} hands the group's replies to its commands' outputs in order, all of
 * which are this one. An error reply (MOVED, ASK, a server error) is kept as that key's error;
 * any reply that is not an integer is kept as an error naming what came instead.
 *
 * <p>Filled on the connection's event loop; read by whoever the group's completion runs on, which
 * Lettuce's completion orders after every reply.
 */
public final class IntegerReplies extends CommandOutput<byte[], ByteBuffer, Void> {
    private final long[] values;
    private final String[] errors;
    private int next;
    private int errorCount;

    /** Room for {@code count} replies. */
    public IntegerReplies(int count) {
        super(BytesCodec.INSTANCE, null);
        this.values = new long[count];
        this.errors = new String[count];
    }

    /**
     * One {@code TYPE key} command per key, in order, all answering into this output; to be sent
     * together as one {@link PipelineCommand}.
     *
     * @throws IllegalArgumentException if there are not exactly as many keys as replies this output holds
     */
    public List<RedisCommand<byte[], ByteBuffer, ?>> commands(CommandType type, List<byte[]> keys) {
        if (keys.size() != values.length) {
            throw new IllegalArgumentException(keys.size() + " keys for an output of " + values.length + " replies");
        }
        byte[] head = ("*2\r\n$" + type.name().length() + "\r\n" + type.name() + "\r\n$").getBytes(StandardCharsets.US_ASCII);
        List<RedisCommand<byte[], ByteBuffer, ?>> out = new ArrayList<>(keys.size());
        for (byte[] key : keys) {
            out.add(new KeyCommand(type, this, head, key));
        }
        return out;
    }

    /** How many replies arrived. */
    public int received() {
        return next;
    }

    /** Reply {@code i}'s integer (0 if it was an error or has not arrived). */
    public long value(int i) {
        return values[i];
    }

    /** Reply {@code i}'s error text, or null if it was an integer (or has not arrived). */
    public String error(int i) {
        return errors[i];
    }

    /** Whether any reply was an error. */
    public boolean anyError() {
        return errorCount > 0;
    }

    private int slot() {
        if (next >= values.length) {
            throw new IllegalStateException("more replies than the " + values.length + " commands of the group");
        }
        return next++;
    }

    private void unexpected(String what) {
        errors[slot()] = "unexpected " + what + " reply where an integer was expected";
        errorCount++;
    }

    @Override
    public void set(long integer) {
        values[slot()] = integer;
    }

    @Override
    public void setError(ByteBuffer error) {
        errors[slot()] = StandardCharsets.UTF_8.decode(error).toString();
        errorCount++;
    }

    @Override
    public void set(ByteBuffer bytes) {
        unexpected(bytes == null ? "nil" : "bulk string");
    }

    @Override
    public void setSingle(ByteBuffer bytes) {
        unexpected("status");
    }

    @Override
    public void set(double number) {
        unexpected("double");
    }

    @Override
    public void set(boolean value) {
        unexpected("boolean");
    }

    @Override
    public void setBigNumber(ByteBuffer bytes) {
        unexpected("big number");
    }

    /**
     * {@code TYPE key}, encoded straight from its key bytes. Never completed on its own: the group
     * it belongs to is.
     */
    private static final class KeyCommand extends Command<byte[], ByteBuffer, Void> {
        private final byte[] head;
        private final byte[] key;

        KeyCommand(CommandType type, IntegerReplies output, byte[] head, byte[] key) {
            super(type, output);
            this.head = head;
            this.key = key;
        }

        @Override
        public void encode(ByteBuf buf) {
            buf.writeBytes(head);
            writeDecimal(buf, key.length);
            buf.writeShort(CRLF);
            buf.writeBytes(key);
            buf.writeShort(CRLF);
        }

        private static final int CRLF = ('\r' << 8) | '\n';

        private static void writeDecimal(ByteBuf buf, int n) {
            if (n >= 10) {
                writeDecimal(buf, n / 10);
            }
            buf.writeByte('0' + n % 10);
        }
    }
}
