package dev.lmcache.redis.cli;

import dev.lmcache.redis.ChunkKey;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code lmcache-redis delete KEY}: removes the chunk's keys. Deleting a chunk that is not stored
 * is not an error (exit 0, "nothing to delete"), so that deleting is idempotent.
 */
@Command(name = "delete",
        description = "Delete the chunk KEY (its metadata and data keys). Exit status 0 also when nothing was stored"
                + " under KEY.",
        sortOptions = false,
        mixinStandardHelpOptions = true)
final class DeleteCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    KeyArgument key;

    @Mixin
    TargetOptions target;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() throws Exception {
        ChunkKey chunkKey = key.parse(spec);
        boolean deleted = ChunkCommands.onStore(spec, target, store -> store.sync().remove(chunkKey));
        PrintWriter out = spec.commandLine().getOut();
        out.println(deleted ? "Deleted " + chunkKey : "Nothing to delete: " + chunkKey + " is not stored");
        out.flush();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("key", chunkKey.toString());
        json.put("deleted", deleted);
        output.writeJson(json);
        return CommandLine.ExitCode.OK;
    }
}
