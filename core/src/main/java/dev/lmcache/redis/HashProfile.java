package dev.lmcache.redis;

import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which of LMCache's token-hashing schemes to reproduce. LMCache changed the scheme several times;
 * each profile names one, by the name its golden vectors use. {@code LMCACHE-HASHING.md} has the
 * details and {@link TokenHasher} the combinations with {@link HashAlgorithm}.
 */
public enum HashProfile {
    /**
     * The multiprocess server's {@code TokenHasher} (LMCache since 2026-02; the default deployment
     * since about 2026-05): 32-byte digests chained, full chunks only (a trailing partial chunk has
     * no hash). {@code blake3} (the default) starts from BLAKE3 of 8 zero bytes and a zero uint32;
     * {@code sha256_cbor} hashes {@code [prev, [tokens], null]} and starts from SHA-256 of the CBOR
     * seed string. Keys carry the 64 hex digits of the digest.
     */
    MP("mp-current", HashAlgorithm.BLAKE3, EnumSet.of(HashAlgorithm.BLAKE3, HashAlgorithm.SHA256_CBOR)),
    /**
     * The in-process token database as of LMCache PR #2999 (2026-05-26): {@code (prev, tokens, ())}
     * hashed, {@code sha256_cbor} digests folded to their first 8 bytes as an unsigned 64-bit
     * integer, {@code builtin} hashes kept as Python's signed 64-bit ints. Keys carry the integer in
     * hex without padding ({@code -} and the absolute value for a negative one).
     */
    IN_PROCESS("nonmp-current", HashAlgorithm.BUILTIN, EnumSet.of(HashAlgorithm.SHA256_CBOR, HashAlgorithm.BUILTIN)),
    /**
     * The in-process token database from PR #1897 (2026-03-04) until PR #2999: like
     * {@link #IN_PROCESS}, but {@code sha256_cbor} chains the raw 32-byte digests and keys carry
     * their 64 hex digits. {@code builtin} hashes are the same as {@link #IN_PROCESS}'s.
     */
    IN_PROCESS_2026_03("nonmp-2026-03", HashAlgorithm.BUILTIN,
            EnumSet.of(HashAlgorithm.SHA256_CBOR, HashAlgorithm.BUILTIN));

    private final String profileName;
    private final HashAlgorithm defaultAlgorithm;
    private final Set<HashAlgorithm> algorithms;

    HashProfile(String profileName, HashAlgorithm defaultAlgorithm, EnumSet<HashAlgorithm> algorithms) {
        this.profileName = profileName;
        this.defaultAlgorithm = defaultAlgorithm;
        this.algorithms = Collections.unmodifiableSet(algorithms);
    }

    /** The profile's name as the golden vectors spell it ({@code mp-current}, {@code nonmp-current}, ...). */
    public String profileName() {
        return profileName;
    }

    /**
     * The algorithm LMCache uses when none is configured: {@code blake3} for the multiprocess server,
     * {@code builtin} for the in-process mode.
     */
    public HashAlgorithm defaultAlgorithm() {
        return defaultAlgorithm;
    }

    /** The algorithms this library reproduces under this profile (unmodifiable). */
    public Set<HashAlgorithm> algorithms() {
        return algorithms;
    }

    /** Whether only full chunks get a hash, whatever {@code save_unfull_chunk} says. */
    public boolean fullChunksOnly() {
        return this == MP;
    }

    /**
     * Parses a profile name, case-insensitively, ignoring surrounding blanks.
     *
     * @throws IllegalArgumentException naming the value and the accepted names
     */
    public static HashProfile parse(String value) {
        if (value != null) {
            String v = value.trim().toLowerCase(Locale.ROOT);
            for (HashProfile p : values()) {
                if (p.profileName.equals(v)) {
                    return p;
                }
            }
        }
        throw new IllegalArgumentException("hash profile '" + value + "' is not supported; accepted: "
                + Arrays.stream(values()).map(HashProfile::profileName).collect(Collectors.joining(", ")));
    }
}
