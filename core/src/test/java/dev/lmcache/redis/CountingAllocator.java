package dev.lmcache.redis;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link BufferAllocator} for tests that counts the buffers it hands out and those given back,
 * to prove that every buffer is either in a chunk returned to the caller or released.
 */
public final class CountingAllocator implements BufferAllocator {
    public final AtomicInteger allocated = new AtomicInteger();
    public final AtomicInteger released = new AtomicInteger();
    private final boolean direct;

    private CountingAllocator(boolean direct) {
        this.direct = direct;
    }

    /** Hands out direct buffers (what the socket can read into). */
    public static CountingAllocator direct() {
        return new CountingAllocator(true);
    }

    /** Hands out heap buffers. */
    public static CountingAllocator heap() {
        return new CountingAllocator(false);
    }

    /** Buffers handed out and not given back. */
    public int outstanding() {
        return allocated.get() - released.get();
    }

    @Override
    public ByteBuffer allocate(ChunkKey key, int size) {
        allocated.incrementAndGet();
        return direct ? ByteBuffer.allocateDirect(size) : ByteBuffer.allocate(size);
    }

    @Override
    public void release(ChunkKey key, ByteBuffer buffer) {
        released.incrementAndGet();
    }
}
