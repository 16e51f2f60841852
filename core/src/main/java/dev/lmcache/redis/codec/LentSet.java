package dev.lmcache.redis.codec;

import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * SET key value [EX ttl] whose value is {@linkplain ValueLease lent} to the socket:
 * {@link WireEncoder} writes the RESP framing around the caller's buffer instead of copying the
 * value into an outbound buffer. Through any other encoder it encodes like a plain SET (a copy).
 */
public final class LentSet extends Command<byte[], ByteBuffer, String> {
    private static final byte[] CRLF = {'\r', '\n'};

    private final byte[] key;
    private final ValueLease lease;
    private final long ttlSeconds;

    public LentSet(byte[] key, ValueLease lease, long ttlSeconds) {
        super(CommandType.SET, new StatusOutput<>(BytesCodec.INSTANCE), args(key, lease.value(), ttlSeconds));
        this.key = key;
        this.lease = lease;
        this.ttlSeconds = ttlSeconds;
    }

    private static CommandArgs<byte[], ByteBuffer> args(byte[] key, ByteBuffer value, long ttlSeconds) {
        CommandArgs<byte[], ByteBuffer> args = new CommandArgs<>(BytesCodec.INSTANCE).addKey(key).addValue(value);
        if (ttlSeconds > 0) {
            args.add("EX").add(ttlSeconds);
        }
        return args;
    }

    ValueLease lease() {
        return lease;
    }

    /** {@code *n $3 SET $k key $v}: everything before the value's bytes. */
    void writeHead(ByteBuf out, int valueBytes) {
        out.writeByte('*').writeBytes(ascii(ttlSeconds > 0 ? 5 : 3)).writeBytes(CRLF);
        bulk(out, CommandType.SET.getBytes());
        bulk(out, key);
        out.writeByte('$').writeBytes(ascii(valueBytes)).writeBytes(CRLF);
    }

    /** The CRLF ending the value, then {@code EX ttl} if any. */
    void writeTail(ByteBuf out) {
        out.writeBytes(CRLF);
        if (ttlSeconds > 0) {
            bulk(out, "EX".getBytes(StandardCharsets.US_ASCII));
            bulk(out, ascii(ttlSeconds));
        }
    }

    private static void bulk(ByteBuf out, byte[] bytes) {
        out.writeByte('$').writeBytes(ascii(bytes.length)).writeBytes(CRLF).writeBytes(bytes).writeBytes(CRLF);
    }

    private static byte[] ascii(long n) {
        return Long.toString(n).getBytes(StandardCharsets.US_ASCII);
    }
}
