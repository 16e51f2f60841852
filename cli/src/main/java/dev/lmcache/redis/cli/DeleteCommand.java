package dev.lmcache.redis.cli;

import dev.lmcache.redis.KvCacheStore;
import dev.lmcache.redis.cli.target.Target;
import java.util.Map;
import picocli.CommandLine.Command;

/**
 * {@code lmcache-redis delete KEY}: removes the chunk's keys. Deleting a chunk that is not stored
 * is not an error (exit 0, "nothing to delete"), so that deleting is idempotent.
 */
@Command(name = "delete",
        description = "Delete the chunk KEY (its metadata and data keys). Exit status 0 also when nothing was stored"
                + " under KEY.",
        sortOptions = false,
        mixinStandardHelpOptions = true)
final class DeleteCommand extends ChunkCommand {

    @Override
    protected int run(Target target, KvCacheStore store) {
        boolean deleted = store.sync().remove(chunkKey);
        out().println(deleted ? "Deleted " + chunkKey : "Nothing to delete: " + chunkKey + " is not stored");
        out().flush();
        Map<String, Object> json = json();
        json.put("deleted", deleted);
        output.writeJson(json);
        return EXIT_OK;
    }
}
