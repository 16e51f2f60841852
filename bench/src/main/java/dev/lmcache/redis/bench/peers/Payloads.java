package dev.lmcache.redis.bench.peers;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The values a workload writes, one per key index, and the check of what is read back.
 *
 * <p>Each value is pseudo-random bytes of its own (so a value read under the wrong key is
 * caught), and its first 16 bytes carry a stamp of the peer and the repetition that wrote it
 * ({@link #stamp}), so a write that silently did nothing is caught too: the read would return
 * the previous repetition's bytes. One set of values serves every peer in turn (peers never run
 * at the same time), which keeps a 16 x 32 MiB workload at 512 MiB of sources.
 *
 * <p>Values exist as heap arrays (what Jedis and Lettuce's byte-array codec take) and, once a
 * peer asks for it, as a direct-buffer copy (what the store sends without a copy); stamping
 * updates both.
 */
final class Payloads {
    private static final int STAMP_BYTES = 16;

    private final Value[] values;
    private final int size;

    /** One value, as a heap array and, on demand, a direct copy with the same bytes. */
    static final class Value {
        private final byte[] heap;
        private volatile ByteBuffer direct;

        private Value(byte[] heap) {
            this.heap = heap;
        }

        /** The bytes; callers must not modify them. */
        byte[] bytes() {
            return heap;
        }

        /** A direct buffer with the same bytes (position 0, limit the size); a new view per call, the bytes shared. */
        ByteBuffer direct() {
            ByteBuffer d = direct;
            if (d == null) {
                synchronized (this) {
                    d = direct;
                    if (d == null) {
                        d = ByteBuffer.allocateDirect(heap.length);
                        d.put(heap).flip();
                        direct = d;
                    }
                }
            }
            return d.duplicate();
        }

        private void stampBoth(int peer, int rep, long index) {
            ByteBuffer s = ByteBuffer.allocate(STAMP_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            s.putInt(peer).putInt(rep).putLong(index).flip();
            int n = Math.min(STAMP_BYTES, heap.length);
            s.get(heap, 0, n);
            ByteBuffer d = direct;
            if (d != null) {
                d.duplicate().put(heap, 0, n);
            }
        }

        private boolean sameAs(ByteBuffer read) {
            return read != null && read.remaining() == heap.length && read.mismatch(ByteBuffer.wrap(heap)) == -1;
        }
    }

    /**
     * Makes {@code count} values of {@code size} bytes each.
     *
     * @throws IllegalArgumentException if count or size is below 1
     */
    Payloads(int count, int size, long seed) {
        if (count < 1 || size < 1) {
            throw new IllegalArgumentException("need at least one value of at least one byte, was " + count + " x " + size);
        }
        this.size = size;
        this.values = new Value[count];
        for (int i = 0; i < count; i++) {
            byte[] b = new byte[size];
            SplittableRandom random = new SplittableRandom(seed * 1_000_003L + i);
            LongBuffer longs = ByteBuffer.wrap(b).asLongBuffer();
            while (longs.hasRemaining()) {
                longs.put(random.nextLong());
            }
            for (int j = size - size % Long.BYTES; j < size; j++) {
                b[j] = (byte) random.nextInt();
            }
            values[i] = new Value(b);
        }
    }

    int count() {
        return values.length;
    }

    int size() {
        return size;
    }

    Value get(int index) {
        return values[index];
    }

    /** Values {@code from} (inclusive) to {@code to} (exclusive). */
    List<Value> range(int from, int to) {
        List<Value> out = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            out.add(values[i]);
        }
        return out;
    }

    /** Marks every value as written by {@code peer} in repetition {@code rep}; call only while no write is in flight. */
    void stamp(int peer, int rep) {
        for (int i = 0; i < values.length; i++) {
            values[i].stampBoth(peer, rep, i);
        }
    }

    /**
     * Counts the reads among {@code read} (aligned with indices {@code from, from+1, ...}) that
     * are not byte for byte the current value; a missing value ({@code null}) counts too.
     */
    int mismatches(int from, List<ByteBuffer> read) {
        int bad = 0;
        for (int i = 0; i < read.size(); i++) {
            if (!values[from + i].sameAs(read.get(i))) {
                bad++;
            }
        }
        return bad;
    }
}
