package dev.lmcache.redis.cli;

import dev.lmcache.redis.ChunkKey;
import dev.lmcache.redis.KeyNaming;
import dev.lmcache.redis.KvCacheStore;
import dev.lmcache.redis.StoreConfig;
import java.io.PrintWriter;
import java.util.List;
import java.util.function.Function;
import picocli.CommandLine.Model.CommandSpec;

/** What the single-chunk commands ({@code put}, {@code get}, {@code exists}, {@code delete}) share. */
final class ChunkCommands {
    private ChunkCommands() {
    }

    /** The Redis key names of {@code key} under {@code config}'s layout: metadata first, then data. */
    static List<String> redisKeys(StoreConfig config, boolean cluster, ChunkKey key) {
        return KeyNaming.of(config, cluster).keyNames(key);
    }

    /**
     * Runs one operation on a store opened on the command's target (with the note about a
     * throw-away server when none was given), and closes both.
     */
    static <T> T onStore(CommandSpec spec, TargetOptions target, Function<KvCacheStore, T> operation) {
        noteEmbedded(spec, target);
        try (Target t = target.open(); KvCacheStore store = t.openStore()) {
            return operation.apply(store);
        }
    }

    /**
     * Says on stderr that the chunk lives in a throw-away server when no target was given: a put
     * there is lost when the command ends, which is rarely what someone debugging wants.
     */
    static void noteEmbedded(CommandSpec spec, TargetOptions target) {
        if (target.none()) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("note: no --url or --config given: using a throw-away embedded Redis for this command only");
            err.flush();
        }
    }
}
