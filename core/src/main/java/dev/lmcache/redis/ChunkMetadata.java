package dev.lmcache.redis;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A chunk's header: LMCache's {@code RemoteMetadata} ({@code docs/LMCACHE-FORMAT.md} section 2).
 *
 * <p>Encoded as little-endian signed 32-bit ints with no padding: {@code length, fmt}, then
 * per tensor group {@code dtype, s0, s1, s2, s3}. One group is 28 bytes (the common case and
 * the older fixed layout); {@code n} groups are {@code 8 + 20n} bytes.
 *
 * @param length the number of KV bytes that follow the header; authoritative, even when it
 *               differs from the shapes' size (compressed formats)
 * @param fmt    the {@code MemoryFormat} code; kept as an int because codes 7 and above differ
 *               between LMCache versions and must be carried through untouched
 * @param groups one or more tensor groups (several for e.g. MLA plus rope); immutable
 */
public record ChunkMetadata(int length, int fmt, List<TensorGroup> groups) {

    /** Size of the header with a single group. */
    public static final int SINGLE_GROUP_SIZE = 28;

    private static final int HEADER_SIZE = 8;
    private static final int GROUP_SIZE = 20;

    /**
     * Validates and freezes the fields.
     *
     * @throws IllegalArgumentException if {@code length} is negative or there is no group
     */
    public ChunkMetadata {
        if (length < 0) {
            throw new IllegalArgumentException("metadata length " + length + " is negative; expected >= 0");
        }
        Objects.requireNonNull(groups, "groups");
        if (groups.isEmpty()) {
            throw new IllegalArgumentException("metadata needs at least one tensor group");
        }
        groups = List.copyOf(groups);
    }

    /**
     * One tensor of a chunk: its element type and 4-dimensional shape.
     *
     * @param dtype element type
     * @param shape exactly 4 non-negative dims (use {@link #of(KvDtype, int...)} to pad fewer)
     */
    public record TensorGroup(KvDtype dtype, List<Integer> shape) {

        /**
         * Validates and freezes the fields.
         *
         * @throws IllegalArgumentException if the shape does not have exactly 4 dims or has a negative one
         */
        public TensorGroup {
            Objects.requireNonNull(dtype, "dtype");
            Objects.requireNonNull(shape, "shape");
            if (shape.size() != 4) {
                throw new IllegalArgumentException("tensor shape " + shape + " has " + shape.size()
                        + " dims; expected 4 (TensorGroup.of pads fewer with leading 1s)");
            }
            for (Integer d : shape) {
                if (d == null || d < 0) {
                    throw new IllegalArgumentException("tensor shape " + shape + " has a negative or missing dim; "
                            + "expected dims >= 0");
                }
            }
            shape = List.copyOf(shape);
        }

        /**
         * A group with 1 to 4 dims, left-padded with 1s to 4 (as LMCache does).
         *
         * @throws IllegalArgumentException for 0 or more than 4 dims, or a negative dim
         */
        public static TensorGroup of(KvDtype dtype, int... shape) {
            Objects.requireNonNull(shape, "shape");
            if (shape.length < 1 || shape.length > 4) {
                throw new IllegalArgumentException("tensor shape " + Arrays.toString(shape) + " has " + shape.length
                        + " dims; expected 1 to 4");
            }
            List<Integer> dims = new ArrayList<>(4);
            for (int i = shape.length; i < 4; i++) {
                dims.add(1);
            }
            for (int d : shape) {
                dims.add(d);
            }
            return new TensorGroup(dtype, dims);
        }

        /**
         * Bytes this tensor occupies: the product of the dims times the element size, except
         * that an untyped buffer ({@link KvDtype#NONE} with shape {@code [len, 0, 0, 0]}) is
         * {@code len} bytes. Saturates at {@link Long#MAX_VALUE} for absurd shapes.
         */
        public long byteSize() {
            if (dtype == KvDtype.NONE && shape.get(1) == 0 && shape.get(2) == 0 && shape.get(3) == 0) {
                return shape.get(0);
            }
            long n = dtype.byteSize();
            for (int d : shape) {
                n = saturatingMultiply(n, d);
            }
            return n;
        }

        /** For example {@code bfloat16 [2, 32, 256, 1024]}. */
        @Override
        public String toString() {
            return (dtype == KvDtype.NONE ? "none" : dtype.keyName()) + " " + shape;
        }
    }

    /**
     * Header for one tensor of the given type and shape (1 to 4 dims, left-padded with 1s);
     * {@code length} is the tensor's size.
     *
     * @throws IllegalArgumentException if the size does not fit in an int, or the shape is invalid
     */
    public static ChunkMetadata of(KvDtype dtype, MemoryFormat fmt, int... shape) {
        return ofGroups(fmt, List.of(TensorGroup.of(dtype, shape)));
    }

    /**
     * Header for several tensors stored back to back; {@code length} is the sum of their sizes.
     *
     * @throws IllegalArgumentException if the total does not fit in an int, or there is no group
     */
    public static ChunkMetadata ofGroups(MemoryFormat fmt, List<TensorGroup> groups) {
        Objects.requireNonNull(fmt, "fmt");
        Objects.requireNonNull(groups, "groups");
        long total = 0;
        for (TensorGroup g : groups) {
            total = saturatingAdd(total, g.byteSize());
        }
        if (total > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("tensor groups " + groups + " hold " + total
                    + " bytes; a chunk must be at most " + Integer.MAX_VALUE + " bytes");
        }
        return new ChunkMetadata((int) total, fmt.code(), groups);
    }

    /** Header for {@code length} untyped bytes: {@code BINARY_BUFFER}, dtype none, shape {@code [length, 0, 0, 0]}. */
    public static ChunkMetadata binary(int length) {
        return new ChunkMetadata(length, MemoryFormat.BINARY_BUFFER.code(),
                List.of(new TensorGroup(KvDtype.NONE, List.of(length, 0, 0, 0))));
    }

    /**
     * Header with every field given, for data whose size is not the shapes' size (compressed
     * formats) or for {@code fmt} codes this library does not name.
     *
     * @throws IllegalArgumentException as the canonical constructor
     */
    public static ChunkMetadata of(int length, int fmt, List<TensorGroup> groups) {
        return new ChunkMetadata(length, fmt, groups);
    }

    /** The named format, or empty when {@link #fmt()} is a code this library does not name. */
    public Optional<MemoryFormat> memoryFormat() {
        return MemoryFormat.fromCode(fmt);
    }

    /**
     * Bytes the groups' shapes describe. Informational: LMCache trusts {@link #length()},
     * which differs for compressed formats.
     */
    public long expectedDataBytes() {
        long total = 0;
        for (TensorGroup g : groups) {
            total = saturatingAdd(total, g.byteSize());
        }
        return total;
    }

    /** Size of the encoded header: {@code 8 + 20 * groups}. */
    public int encodedSize() {
        return HEADER_SIZE + GROUP_SIZE * groups.size();
    }

    /** The encoded header in a new array of {@link #encodedSize()} bytes. */
    public byte[] encode() {
        byte[] out = new byte[encodedSize()];
        encodeTo(ByteBuffer.wrap(out));
        return out;
    }

    /**
     * Writes the encoded header at {@code dst}'s position and advances it by
     * {@link #encodedSize()}. {@code dst}'s byte order setting is not changed.
     *
     * @throws BufferOverflowException if fewer than {@link #encodedSize()} bytes remain; nothing is written then
     */
    public void encodeTo(ByteBuffer dst) {
        if (dst.remaining() < encodedSize()) {
            throw new BufferOverflowException();
        }
        ByteBuffer le = dst.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        le.putInt(length).putInt(fmt);
        for (TensorGroup g : groups) {
            le.putInt(g.dtype().code());
            for (int d : g.shape()) {
                le.putInt(d);
            }
        }
        dst.position(le.position());
    }

    /**
     * Decodes a header from {@code src}'s remaining bytes without changing its position or byte
     * order. The number of groups is {@code (remaining - 8) / 20}; bytes after the last whole
     * group are ignored. Dtype code 1 reads as {@link KvDtype#FLOAT16} (re-encoded as 2); fmt
     * codes this library does not name are kept.
     *
     * @throws IllegalArgumentException if fewer than 28 bytes remain, or length, a dim or the
     *                                  dtype code is invalid; the message names which
     */
    public static ChunkMetadata decode(ByteBuffer src) {
        int size = src.remaining();
        if (size < SINGLE_GROUP_SIZE) {
            throw new IllegalArgumentException("metadata header is " + size + " bytes; expected "
                    + SINGLE_GROUP_SIZE + " (one group) or 8+20n");
        }
        ByteBuffer le = src.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int length = le.getInt();
        int fmt = le.getInt();
        if (length < 0) {
            throw new IllegalArgumentException("metadata length " + length + " is negative; expected >= 0");
        }
        int n = (size - HEADER_SIZE) / GROUP_SIZE;
        List<TensorGroup> groups = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int code = le.getInt();
            KvDtype dtype;
            try {
                dtype = KvDtype.fromCode(code);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("metadata group " + i + ": " + e.getMessage(), e);
            }
            Integer[] dims = new Integer[4];
            for (int k = 0; k < 4; k++) {
                int d = le.getInt();
                if (d < 0) {
                    throw new IllegalArgumentException("metadata group " + i + " dim " + k + " is " + d
                            + "; expected >= 0");
                }
                dims[k] = d;
            }
            groups.add(new TensorGroup(dtype, Arrays.asList(dims)));
        }
        return new ChunkMetadata(length, fmt, groups);
    }

    /**
     * Decodes a header from a whole array, as {@link #decode(ByteBuffer)}.
     *
     * @throws IllegalArgumentException as {@link #decode(ByteBuffer)}
     */
    public static ChunkMetadata decode(byte[] src) {
        return decode(ByteBuffer.wrap(src));
    }

    /** For example {@code ChunkMetadata[length=33554432, fmt=KV_2LTD(1), groups=[bfloat16 [2, 32, 256, 1024]]]}. */
    @Override
    public String toString() {
        String f = memoryFormat().map(m -> m.name() + "(" + fmt + ")").orElse("UNKNOWN(" + fmt + ")");
        return "ChunkMetadata[length=" + length + ", fmt=" + f + ", groups=" + groups + "]";
    }

    private static long saturatingMultiply(long a, long b) {
        long hi = Math.multiplyHigh(a, b);
        long lo = a * b;
        return (hi == 0 && lo >= 0) ? lo : Long.MAX_VALUE;
    }

    private static long saturatingAdd(long a, long b) {
        long r = a + b;
        return r < 0 ? Long.MAX_VALUE : r;
    }
}
