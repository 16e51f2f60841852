package dev.lmcache.redis;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Element type of a KV tensor as LMCache's {@code RemoteMetadata} header encodes it
 * (see {@code docs/LMCACHE-FORMAT.md} section 2).
 *
 * <p>Code 1 ("half") and code 2 ("float16") both mean IEEE fp16; LMCache writes 2, so
 * {@link #FLOAT16} encodes as 2 and {@link #fromCode(int)} accepts either.
 *
 * <p>This is the one table of dtype names: the names each dtype is known by ({@link #names()},
 * read by {@link #fromName}), and the dtype strings LMCache writes in chunk keys
 * ({@link #KEY_NAMES}, which include dtypes without a header code). Chunk keys and the
 * configuration ({@code single_chunk_dtype}) validate against it.
 */
public enum KvDtype {
    /** Untyped bytes (the {@code BINARY_BUFFER} format); one byte per element. */
    NONE(0, 1, "uint8"),
    FLOAT16(2, 2, "half"),
    BFLOAT16(3, 2, "bfloat16"),
    FLOAT32(4, 4, "float"),
    FLOAT64(5, 8, "double"),
    UINT8(6, 1, "uint8"),
    FLOAT8_E4M3FN(7, 1, "fp8_e4m3fn"),
    FLOAT8_E5M2(8, 1, "fp8_e5m2");

    /**
     * The dtype strings current LMCache writes in chunk keys, in the order messages list them:
     * the {@link #keyName()}s, and the tensor types that have no header code ({@code int8},
     * {@code int16}, {@code int32}, {@code int64}, {@code bool}, {@code fp8_e4m3fnuz},
     * {@code fp8_e5m2fnuz}), which a key may name but a header cannot encode.
     */
    public static final List<String> KEY_NAMES = List.of("half", "bfloat16", "float", "double", "int8", "uint8",
            "int16", "int32", "int64", "bool", "fp8_e4m3fn", "fp8_e4m3fnuz", "fp8_e5m2", "fp8_e5m2fnuz");

    /**
     * The key dtype strings of older LMCache releases: {@code fp8} (their name for torch.uint8)
     * and {@code fp8_e4m3} (float8_e4m3fn and _fnuz). {@code fp8_e5m2} kept its name.
     */
    public static final List<String> LEGACY_KEY_NAMES = List.of("fp8", "fp8_e4m3");

    /** The code older LMCache versions wrote for fp16; read as {@link #FLOAT16}. */
    private static final int LEGACY_HALF_CODE = 1;

    private static final Map<String, KvDtype> BY_NAME = new HashMap<>();

    static {
        alias(NONE, "none", "bytes", "byte");
        alias(FLOAT16, "half", "float16", "fp16", "f16");
        alias(BFLOAT16, "bfloat16", "bf16");
        alias(FLOAT32, "float", "float32", "fp32", "f32");
        alias(FLOAT64, "double", "float64", "fp64", "f64");
        // "fp8" is what early LMCache releases called torch.uint8 in keys.
        alias(UINT8, "uint8", "u8", "fp8");
        // "fp8_e4m3" is the older LMCache key name (it covered e4m3fn and e4m3fnuz).
        alias(FLOAT8_E4M3FN, "fp8_e4m3fn", "float8_e4m3fn", "fp8_e4m3");
        alias(FLOAT8_E5M2, "fp8_e5m2", "float8_e5m2");
    }

    private final int code;
    private final int byteSize;
    private final String keyName;

    KvDtype(int code, int byteSize, String keyName) {
        this.code = code;
        this.byteSize = byteSize;
        this.keyName = keyName;
    }

    private static void alias(KvDtype dtype, String... names) {
        for (String n : names) {
            BY_NAME.put(n, dtype);
        }
    }

    /** The code written in a {@code RemoteMetadata} header. */
    public int code() {
        return code;
    }

    /** Bytes per element. */
    public int byteSize() {
        return byteSize;
    }

    /**
     * The dtype string LMCache puts in chunk keys for tensors of this type ({@code half},
     * {@code bfloat16}, {@code float}, {@code double}, {@code uint8}, {@code fp8_e4m3fn},
     * {@code fp8_e5m2}). {@link #NONE} answers {@code "uint8"}: an untyped byte buffer is a
     * {@code torch.uint8} tensor in LMCache, which is how its key is named.
     */
    public String keyName() {
        return keyName;
    }

    /** Every name {@link #fromName} reads as this dtype, sorted (e.g. {@code bf16, bfloat16}). */
    public List<String> names() {
        return BY_NAME.entrySet().stream().filter(e -> e.getValue() == this).map(Map.Entry::getKey).sorted()
                .collect(Collectors.toUnmodifiableList());
    }

    /**
     * The dtype for a header code.
     *
     * @throws IllegalArgumentException naming the code and the accepted ones
     */
    public static KvDtype fromCode(int code) {
        if (code == LEGACY_HALF_CODE) {
            return FLOAT16;
        }
        for (KvDtype d : values()) {
            if (d.code == code) {
                return d;
            }
        }
        throw new IllegalArgumentException("dtype code " + code + " is not supported; accepted: 0 (none), "
                + "1 or 2 (float16), 3 (bfloat16), 4 (float32), 5 (float64), 6 (uint8), "
                + "7 (float8_e4m3fn), 8 (float8_e5m2)");
    }

    /**
     * The dtype for a torch or LMCache name, case-insensitively, with or without a
     * {@code torch.} prefix: {@code half}, {@code float16}, {@code fp16}, {@code bfloat16},
     * {@code bf16}, {@code float}, {@code float32}, {@code double}, {@code float64},
     * {@code uint8}, {@code fp8_e4m3fn}, {@code float8_e4m3fn}, {@code fp8_e5m2},
     * {@code float8_e5m2}, {@code none}, and the older key names {@code fp8} (uint8) and
     * {@code fp8_e4m3}.
     *
     * @throws IllegalArgumentException naming the value and the accepted names
     */
    public static KvDtype fromName(String name) {
        if (name != null) {
            String n = name.trim().toLowerCase(Locale.ROOT);
            if (n.startsWith("torch.")) {
                n = n.substring("torch.".length());
            }
            KvDtype d = BY_NAME.get(n);
            if (d != null) {
                return d;
            }
        }
        throw new IllegalArgumentException("dtype '" + name + "' has no RemoteMetadata code; accepted: "
                + Arrays.stream(values()).map(d -> String.join("/", d.names())).collect(Collectors.joining(", ")));
    }
}
