package dev.lmcache.redis.batch;

import dev.lmcache.redis.ChunkKey;
import java.util.List;

/** Checks of the caller's keys, before anything is scheduled: an invalid argument fails at once, naming it. */
final class Arguments {
    private Arguments() {
    }

    /** @throws IllegalArgumentException if {@code key} is null, naming {@code what} */
    static void checkKey(ChunkKey key, String what) {
        if (key == null) {
            throw new IllegalArgumentException(what + " is null; expected a ChunkKey");
        }
    }

    /** @throws IllegalArgumentException if the list or one of its keys is null, naming its position */
    static void checkKeys(List<ChunkKey> keys) {
        if (keys == null) {
            throw new IllegalArgumentException("keys is null; expected a list of ChunkKey (may be empty)");
        }
        for (int i = 0; i < keys.size(); i++) {
            if (keys.get(i) == null) {
                checkKey(null, "keys[" + i + "]"); // the message is built only when it is needed
            }
        }
    }

    /** The size of a list that may be null (validation reports the null). */
    static int size(List<?> l) {
        return l == null ? 0 : l.size();
    }
}
