package dev.lmcache.redis.layout;

import dev.lmcache.redis.KeyLayout;
import dev.lmcache.redis.KeyNaming;

/**
 * Internal: the implementation of {@link KeyNaming#of(KeyLayout, boolean, String, Integer)}, the one public
 * type of this package; the namings themselves are package-private.
 */
public final class Namings {
    private Namings() {
    }

    /** See {@link KeyNaming#of(KeyLayout, boolean, String, Integer)}. */
    public static KeyNaming of(KeyLayout layout, boolean cluster, String keyPrefixOrNull, Integer mpObjectGroupOrNull) {
        String prefix = Names.validatePrefix(keyPrefixOrNull);
        return switch (layout) {
            case LMCACHE -> new LmcacheNaming(prefix);
            case TAGGED -> new TaggedNaming(prefix, cluster);
            case SINGLE -> new SingleNaming(prefix);
            case MP -> new MpNaming(prefix, mpObjectGroupOrNull);
        };
    }
}
