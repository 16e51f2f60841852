package dev.lmcache.redis.cli;

import dev.lmcache.redis.ChunkKey;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

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
final class ExistsCommand implements Callable<Integer> {

    /** Exit status when the chunk is absent. */
    static final int ABSENT = 1;

    /** Exit status on any error: usage errors already use it, and failures must not read as "absent". */
    static final int ERROR = CommandLine.ExitCode.USAGE;

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
        boolean exists = ChunkCommands.onStore(spec, target, store -> store.sync().exists(chunkKey));
        spec.commandLine().getOut().println(exists);
        spec.commandLine().getOut().flush();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("key", chunkKey.toString());
        json.put("exists", exists);
        output.writeJson(json);
        return exists ? CommandLine.ExitCode.OK : ABSENT;
    }
}
