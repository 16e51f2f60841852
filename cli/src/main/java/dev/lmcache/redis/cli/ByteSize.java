package dev.lmcache.redis.cli;

import dev.lmcache.redis.cli.text.Human;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A byte size as every size option spells it ({@code --chunk-bytes}, {@code --max-inflight},
 * ...): a number of bytes with an optional unit {@code k}, {@code m}, {@code g} or {@code t},
 * binary (1k = 1024) and case-insensitive, each unit also spelled with {@code b} or {@code ib}
 * ({@code 32MiB}, {@code 512mb}); {@code 2048}, {@code 2k}, {@code 1.5m} and {@code 1g} are sizes.
 * The result must be whole bytes. This is the grammar of the store's own size settings
 * ({@code max_inflight_bytes: 1g}), so a size reads the same on the command line and in a config.
 *
 * @param bytes the size in bytes, at least 0
 */
record ByteSize(long bytes) {
    /** What a rejection says is accepted. */
    static final String ACCEPTED = "a number of bytes with an optional unit k, m, g or t (binary: 1k = 1024),"
            + " e.g. 2048, 32k, 8m, 1g, 32MiB";

    ByteSize {
        if (bytes < 0) {
            throw new IllegalArgumentException("a size is at least 0 bytes, was " + bytes);
        }
    }

    /**
     * Parses a size.
     *
     * @throws IllegalArgumentException naming the text and the accepted forms
     */
    static ByteSize parse(String text) {
        try {
            // the store's own grammar (dev.lmcache.redis.ByteSize), in this tool's words
            return new ByteSize(dev.lmcache.redis.ByteSize.parse(text == null ? "" : text));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "' is not a byte size; accepted: " + ACCEPTED, e);
        }
    }

    /** The size as an int, for chunk sizes; the caller has checked the range. */
    int intBytes() {
        return Math.toIntExact(bytes);
    }

    /** For people: {@code 512 B}, {@code 2 KiB}, {@code 1.5 MiB}. */
    @Override
    public String toString() {
        return Human.size(bytes);
    }

    /** The picocli converter: a rejection is a usage error naming the option and the accepted forms. */
    static final class Converter implements ITypeConverter<ByteSize> {
        @Override
        public ByteSize convert(String value) {
            try {
                return parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
