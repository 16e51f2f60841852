package dev.lmcache.redis;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The hash function LMCache names chunks with: the multiprocess server's {@code --hash-algorithm}
 * or the in-process {@code pre_caching_hash_algorithm} setting. Which algorithm goes with which
 * scheme is {@link HashProfile}'s business; see {@link TokenHasher} for the combinations.
 */
public enum HashAlgorithm {
    /**
     * BLAKE3-256 over the previous hash and the token ids as big-endian uint32: the multiprocess
     * server's default. Needs no seed.
     */
    BLAKE3("blake3"),
    /**
     * SHA-256 over the canonical CBOR of {@code [previous hash, [token ids], third element]}, vLLM's
     * {@code sha256_cbor}. The start value depends on the seed string (PYTHONHASHSEED).
     */
    SHA256_CBOR("sha256_cbor"),
    /**
     * Python's built-in {@code hash()} of {@code (previous hash, (token ids), ())}, as 64-bit CPython
     * 3.11 or later computes it: LMCache's in-process default. Reproducible only with a fixed integer
     * PYTHONHASHSEED.
     */
    BUILTIN("builtin");

    private final String configName;

    HashAlgorithm(String configName) {
        this.configName = configName;
    }

    /** The name LMCache's settings use ({@code blake3}, {@code sha256_cbor}, {@code builtin}). */
    public String configName() {
        return configName;
    }

    /**
     * Parses a setting value, case-insensitively, ignoring surrounding blanks. Also accepts
     * {@code sha256_cbor_64bit}, the name vLLM used before it was renamed to {@code sha256_cbor}
     * (LMCache maps the old name to the new function).
     *
     * @throws IllegalArgumentException naming the value and the accepted names
     */
    public static HashAlgorithm parse(String value) {
        if (value != null) {
            String v = value.trim().toLowerCase(Locale.ROOT);
            for (HashAlgorithm a : values()) {
                if (a.configName.equals(v)) {
                    return a;
                }
            }
            if (v.equals("sha256_cbor_64bit")) {
                return SHA256_CBOR;
            }
        }
        throw new IllegalArgumentException("hash algorithm '" + value + "' is not supported; accepted: "
                + Arrays.stream(values()).map(HashAlgorithm::configName).collect(Collectors.joining(", ")));
    }
}
