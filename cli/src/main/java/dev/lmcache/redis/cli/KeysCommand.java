package dev.lmcache.redis.cli;

import dev.lmcache.redis.ChunkHash;
import dev.lmcache.redis.ChunkKey;
import dev.lmcache.redis.KeyNaming;
import dev.lmcache.redis.PrefixQuery;
import dev.lmcache.redis.RedisMode;
import dev.lmcache.redis.StoreConfig;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code lmcache-redis keys}: a prompt's token ids to the chunk hashes and Redis keys LMCache
 * writes for it, for debugging a deployment. Needs no server.
 */
@Command(name = "keys",
        description = {
            "Print the chunk hashes and Redis keys LMCache writes for a prompt (no server needed).",
            "",
            "Hashes --tokens as the LMCache deployment does (--hash-algorithm, --hash-seed, --chunk-size, or the same"
                + " settings from --config lmcache.yaml) and names every chunk once per rank in the key layout"
                + " (--layout mp for LMCache's multiprocess server, lmcache for the in-process redis:// connector).",
        },
        sortOptions = false,
        mixinStandardHelpOptions = true)
final class KeysCommand extends TargetCommand {

    @Mixin
    TokenOptions prompt;

    @Mixin
    OutputOptions output;

    @Override
    protected int run() {
        StoreConfig config = target.configOnly();
        PrefixQuery q = prompt.query(spec, config);
        List<List<ChunkKey>> keys = prompt.keys(spec, q, config);
        KeyNaming naming = KeyNaming.of(config, config.mode() == RedisMode.CLUSTER);
        PrintWriter out = out();
        out.println(LookupCommand.describe(q, config));
        List<Map<String, Object>> chunks = new ArrayList<>();
        for (int i = 0; i < q.hashes().size(); i++) {
            ChunkHash h = q.hashes().get(i);
            out.printf("chunk %d  tokens %d..%d%s  hash %s%n", i, h.start(), h.end(), h.partial() ? " (partial)" : "",
                    h.keyHex());
            List<Map<String, Object>> ranks = new ArrayList<>();
            for (ChunkKey k : keys.get(i)) {
                List<String> names = naming.keyNames(k);
                for (String name : names) {
                    out.println("  " + name);
                }
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("rank", k.workerId());
                r.put("chunk_key", k.toString());
                r.put("redis_keys", names);
                ranks.add(r);
            }
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("index", i);
            c.put("start", h.start());
            c.put("end", h.end());
            c.put("partial", h.partial());
            c.put("hash", h.keyHex());
            c.put("keys", ranks);
            chunks.add(c);
        }
        out.flush();
        Map<String, Object> json = LookupCommand.settings(q, config);
        json.put("chunks", chunks);
        output.writeJson(json);
        return EXIT_OK;
    }
}
