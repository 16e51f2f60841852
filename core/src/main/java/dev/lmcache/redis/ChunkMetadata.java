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

    /** Dims per group in the header; shorter shapes are padded with trailing zeros. */
    public static final int MAX_DIMS = 4;

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
     * One tensor of a chunk: its element type and shape of 1 to 4 dims. The header always holds
     * 4 dims: a shorter shape is written padded with trailing zeros, as LMCache does since
     * 2026-04-17 (layer-wise chunks: {@code KV_T2D} and {@code KV_2TD} are 3-D, MLA layer-wise
     * 2-D); {@link ChunkMetadata#decode(ByteBuffer)} strips them again.
     *
     * @param dtype element type
     * @param shape 1 to 4 non-negative dims, as the tensor has them (not padded)
     */
    public record TensorGroup(KvDtype dtype, List<Integer> shape) {

        /**
         * Validates and freezes the fields.
         *
         * @throws IllegalArgumentException if the shape has no dim, more than 4, or a negative one
         */
        public TensorGroup {
            Objects.requireNonNull(dtype, "dtype");
            Objects.requireNonNull(shape, "shape");
            if (shape.isEmpty() || shape.size() > MAX_DIMS) {
                throw new IllegalArgumentException("tensor shape " + shape + " has " + shape.size()
                        + " dims; expected 1 to " + MAX_DIMS);
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
         * A group with the given 1 to 4 dims (written padded with trailing zeros to 4).
         *
         * @throws IllegalArgumentException for 0 or more than 4 dims, or a negative dim
         */
        public static TensorGroup of(KvDtype dtype, int... shape) {
            Objects.requireNonNull(shape, "shape");
            List<Integer> dims = new ArrayList<>(shape.length);
            for (int d : shape) {
                dims.add(d);
            }
            return new TensorGroup(dtype, dims);
        }

        /**
         * Bytes this tensor occupies: the product of the dims times the element size, except
         * that an untyped buffer ({@link KvDtype#NONE} with shape {@code [len, 0, 0, 0]} or {@code [len]}) is
         * {@code len} bytes. Saturates at {@link Long#MAX_VALUE} for absurd shapes.
         */
        public long byteSize() {
            if (dtype == KvDtype.NONE && shape.subList(1, shape.size()).stream().allMatch(d -> d == 0)) {
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
     * Header for one tensor of the given type and shape (1 to 4 dims, written padded with trailing zeros);
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
            for (int k = g.shape().size(); k < MAX_DIMS; k++) {
                le.putInt(0);
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
     * <p>Shapes: trailing zero dims are padding and are stripped (LMCache's rule since
     * 2026-04-17), except for {@code BINARY} and {@code BINARY_BUFFER} (fmt 4 and 5), whose
     * {@code [len, 0, 0, 0]} is kept as written; at least one dim remains. The form this
     * library wrote before it followed that rule, a 3-D layer-wise shape left-padded with a 1
     * ({@code [1, 256, 2, 1024]} for {@code KV_T2D} or {@code KV_2TD}, formats that are always
     * 3-D), reads as the 3-D shape too.
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
            Integer[] dims = new Integer[MAX_DIMS];
            for (int k = 0; k < MAX_DIMS; k++) {
                int d = le.getInt();
                if (d < 0) {
                    throw new IllegalArgumentException("metadata group " + i + " dim " + k + " is " + d
                            + "; expected >= 0");
                }
                dims[k] = d;
            }
            groups.add(new TensorGroup(dtype, unpad(fmt, dims)));
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

    private static List<Integer> unpad(int fmt, Integer[] dims) {
        if (fmt == MemoryFormat.BINARY.code() || fmt == MemoryFormat.BINARY_BUFFER.code()) {
            return Arrays.asList(dims);
        }
        int n = dims.length;
        while (n > 1 && dims[n - 1] == 0) {
            n--;
        }
        int from = 0;
        boolean threeD = fmt == MemoryFormat.KV_T2D.code() || fmt == MemoryFormat.KV_2TD.code();
        if (threeD && n == MAX_DIMS && dims[0] == 1) {
            from = 1;
        }
        return Arrays.asList(dims).subList(from, n);
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
