package dev.lmcache.redis.cli;

import dev.lmcache.redis.KvCacheStore;
import dev.lmcache.redis.cli.target.Target;
import java.util.Map;
import picocli.CommandLine.Command;

/**
 * {@code lmcache-redis exists KEY}: prints {@code true} or {@code false}. Like {@code test(1)}
 * the exit status answers too: 0 when the chunk exists, 1 when it does not, 2 on any error
 * (usage or failure), so that {@code if lmcache-redis exists KEY --url ...; then} works.
 */
@Command(name = "exists",
        description = "Print true if the chunk KEY is stored (its metadata key, or its value for the raw layouts,"
                + " exists), else false. Exit status like test(1): 0 if it exists, 1 if not, 2 on any error.",
        sortOptions = false,
        mixinStandardHelpOptions = true,
        exitCodeOnExecutionException = ExistsCommand.ERROR)
final class ExistsCommand extends ChunkCommand {

    /** Exit status when the chunk is absent. */
    static final int ABSENT = 1;

    /** Exit status on any error: usage errors already use it, and failures must not read as "absent". */
    static final int ERROR = EXIT_USAGE;

    @Override
    protected int run(Target target, KvCacheStore store) {
        boolean exists = store.sync().exists(chunkKey);
        out().println(exists);
        out().flush();
        Map<String, Object> json = json();
        json.put("exists", exists);
        output.writeJson(json);
        return exists ? EXIT_OK : ABSENT;
    }
}
