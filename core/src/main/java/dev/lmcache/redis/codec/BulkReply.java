package dev.lmcache.redis.codec;

import java.nio.ByteBuffer;

/**
 * A present value: {@code data} holds its {@code size} bytes, or is null when the copy was skipped
 * ({@code failure} then says why if it was an error rather than a deliberate skip).
 */
public record BulkReply(ByteBuffer data, int size, RuntimeException failure) {
}
