package dev.lmcache.redis.codec;

import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.ToByteBufEncoder;
import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;

/**
 * Keys as UTF-8 byte arrays (rendered once per chunk, reused for slot hashing and encoding) and
 * values as {@link ByteBuffer}s written straight into Netty's outbound buffer: the one user-space
 * copy of a write. The caller's buffer is read through a duplicate, so its position and limit
 * never move.
 */
public final class BytesCodec implements RedisCodec<byte[], ByteBuffer>, ToByteBufEncoder<byte[], ByteBuffer> {

    public static final BytesCodec INSTANCE = new BytesCodec();

    private BytesCodec() {
    }

    @Override
    public byte[] decodeKey(ByteBuffer bytes) {
        byte[] b = new byte[bytes.remaining()];
        bytes.get(b);
        return b;
    }

    @Override
    public ByteBuffer decodeValue(ByteBuffer bytes) {
        ByteBuffer copy = ByteBuffer.allocate(bytes.remaining());
        copy.put(bytes).flip();
        return copy;
    }

    @Override
    public ByteBuffer encodeKey(byte[] key) {
        return ByteBuffer.wrap(key);
    }

    @Override
    public ByteBuffer encodeValue(ByteBuffer value) {
        return value == null ? ByteBuffer.allocate(0) : value.duplicate();
    }

    @Override
    public void encodeKey(byte[] key, ByteBuf target) {
        target.writeBytes(key);
    }

    @Override
    public void encodeValue(ByteBuffer value, ByteBuf target) {
        if (value != null) {
            target.writeBytes(value.duplicate());
        }
    }

    @Override
    public int estimateSize(Object keyOrValue) {
        if (keyOrValue instanceof byte[] b) {
            return b.length;
        }
        if (keyOrValue instanceof ByteBuffer bb) {
            return bb.remaining();
        }
        return 0;
    }

    @Override
    public boolean isEstimateExact() {
        return true;
    }
}
