package dev.lmcache.redis.layout;

import dev.lmcache.redis.ChunkKey;
import dev.lmcache.redis.KeyNaming;
import java.util.Optional;

/** Helpers shared by the namings: prefix validation, glob escaping, lenient chunk-key parsing. */
final class Names {

    private static final String GLOB_SPECIALS = "*?[]\\{}";

    private Names() {
    }

    /** The validated prefix, or null for none. */
    static String validatePrefix(String prefix) {
        if (prefix == null || prefix.isEmpty()) {
            return null;
        }
        for (int i = 0; i < prefix.length(); i++) {
            char c = prefix.charAt(i);
            if (c == '@' || GLOB_SPECIALS.indexOf(c) >= 0) {
                throw new IllegalArgumentException("key prefix '" + prefix + "' contains '" + c
                        + "'; expected a name without '@' or the glob characters *?[]\\{}");
            }
        }
        return prefix;
    }

    /** The glob matching chunk key strings of {@code model} (any model when null), e.g. {@code org/m@*}. */
    static String modelGlob(String model) {
        if (model == null) {
            return "*";
        }
        StringBuilder sb = new StringBuilder(model.length() + 4);
        for (int i = 0; i < model.length(); i++) {
            char c = model.charAt(i);
            // Redis globs treat only these specially; a backslash makes the next char literal.
            if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.append("@*").toString();
    }

    /** The chunk key for {@code s}, or null if it is not one (older forms accepted). */
    static ChunkKey parseOrNull(String s) {
        try {
            return ChunkKey.parse(s, true);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * Parses a two-key layout's name {@code lead + K + close + suffix}, where the suffix tells the
     * role: empty if the name has another shape or K is not a chunk key string.
     */
    static Optional<KeyNaming.NamedKey> parseTwoKey(String redisKey, String lead, String close,
                                                    String metadataSuffix, String dataSuffix) {
        if (!redisKey.startsWith(lead)) {
            return Optional.empty();
        }
        KeyNaming.Role role;
        String suffix;
        if (redisKey.endsWith(metadataSuffix)) {
            role = KeyNaming.Role.METADATA;
            suffix = metadataSuffix;
        } else if (redisKey.endsWith(dataSuffix)) {
            role = KeyNaming.Role.DATA;
            suffix = dataSuffix;
        } else {
            return Optional.empty();
        }
        int end = redisKey.length() - suffix.length() - close.length();
        if (end < lead.length() || !redisKey.startsWith(close, end)) {
            return Optional.empty();
        }
        ChunkKey k = parseOrNull(redisKey.substring(lead.length(), end));
        return k == null ? Optional.empty() : Optional.of(new KeyNaming.NamedKey(k, role));
    }
}
