package dev.lmcache.redis.cli;

import dev.lmcache.redis.ChunkKey;
import dev.lmcache.redis.KeyNaming;
import dev.lmcache.redis.cli.target.Target;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Mixin;

/** A command on one chunk, named by its LMCache key: {@code put}, {@code get}, {@code exists}, {@code delete}. */
abstract class ChunkCommand extends StoreCommand {

    @Mixin
    KeyArgument key;

    /** The parsed key, set by {@link #prepare()} before the target opens. */
    ChunkKey chunkKey;

    /** Parses the key: a key that does not parse is a usage error before anything starts. */
    @Override
    protected void prepare() throws Exception {
        chunkKey = key.parse(target.configOnly());
    }

    /** The Redis key names of the chunk under the target's layout: metadata first, then data. */
    final List<String> redisKeys(Target target) {
        return KeyNaming.of(target.config(), target.isCluster()).keyNames(chunkKey);
    }

    /** The start of the command's {@code --json} result: {@code {"key": ...}}. */
    final Map<String, Object> json() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("key", chunkKey.toString());
        return json;
    }
}
