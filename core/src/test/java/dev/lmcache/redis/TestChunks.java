package dev.lmcache.redis;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/** Test data: unique keys per test (servers are shared) and chunks with recognisable bytes. */
public final class TestChunks {
    private static final AtomicLong HASH = new AtomicLong(System.nanoTime() & 0xffffffffL);

    private TestChunks() {
    }

    /** A fresh key for {@code model} with a hash no other test uses. */
    public static ChunkKey key(String model) {
        return ChunkKey.of(model, 1, 0, HASH.incrementAndGet() * 7919, "bfloat16");
    }

    public static List<ChunkKey> keys(String model, int n) {
        List<ChunkKey> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(key(model));
        }
        return out;
    }

    /** A binary chunk of {@code size} bytes whose content depends on {@code seed}. */
    public static KvChunk chunk(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return new KvChunk(ChunkMetadata.binary(size), ByteBuffer.wrap(b));
    }

    /** A bf16 KV_2LTD chunk with shape [2, layers, tokens, hidden]. */
    public static KvChunk kvChunk(int layers, int tokens, int hidden, long seed) {
        ChunkMetadata m = ChunkMetadata.of(KvDtype.BFLOAT16, MemoryFormat.KV_2LTD, 2, layers, tokens, hidden);
        byte[] b = new byte[m.length()];
        new Random(seed).nextBytes(b);
        return new KvChunk(m, ByteBuffer.wrap(b));
    }

    public static List<KvChunk> chunks(int n, int size) {
        List<KvChunk> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(chunk(size, i * 31L + size));
        }
        return out;
    }

    public static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }
}
