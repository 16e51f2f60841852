package dev.lmcache.redis.cli;

import dev.lmcache.redis.KvCacheStore;
import dev.lmcache.redis.PrefixMatch;
import dev.lmcache.redis.PrefixQuery;
import dev.lmcache.redis.StoreConfig;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Locale;
import dev.lmcache.redis.cli.target.Target;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code lmcache-redis lookup}: how many leading tokens of a prompt the cache holds, in one round
 * trip, with timing.
 */
@Command(name = "lookup",
        description = {
            "How many leading tokens of a prompt are stored: matched tokens and chunks, with timing.",
            "",
            "Hashes --tokens as the LMCache deployment does, names every chunk once per rank (--world-size) in the key"
                + " layout, and looks all the keys up at once (one round trip; all nodes concurrently in a cluster). A"
                + " chunk counts only if every rank's key is present; a miss ends the prefix.",
        },
        sortOptions = false,
        mixinStandardHelpOptions = true)
final class LookupCommand extends StoreCommand {

    @Mixin
    TokenOptions prompt;

    private PrefixQuery query;
    private long hashNanos;

    /** Hashes the prompt and checks that its profile fits the layout, before any server is reached. */
    @Override
    protected void prepare() {
        StoreConfig config = target.configOnly();
        long start = System.nanoTime();
        query = prompt.query(spec, config);
        hashNanos = System.nanoTime() - start;
        prompt.keys(spec, query, config);
    }

    @Override
    protected int run(Target t, KvCacheStore store) {
        long rtt = store.ping().join();
        long lookupStart = System.nanoTime();
        PrefixMatch m = store.sync().lookup(query);
        long lookupNanos = System.nanoTime() - lookupStart;
        PrintWriter out = out();
        out.println(describe(query, t.config()));
        out.printf("matched %d of %d tokens: %d of %d chunks (%d keys looked up)%n", m.matchedTokens(),
                query.tokenCount(), m.matchedChunks(), m.chunks(), m.keysLookedUp());
        out.printf(Locale.ROOT, "lookup %.2f ms + hashing %.2f ms; PING round trip %.2f ms%n", lookupNanos / 1e6,
                hashNanos / 1e6, rtt / 1e6);
        out.flush();
        Map<String, Object> json = settings(query, t.config());
        json.put("target", t.description());
        json.put("matched_tokens", m.matchedTokens());
        json.put("matched_chunks", m.matchedChunks());
        json.put("chunks", m.chunks());
        json.put("keys_looked_up", m.keysLookedUp());
        json.put("lookup_ms", millis(lookupNanos));
        json.put("hash_ms", millis(hashNanos));
        json.put("ping_ms", millis(rtt));
        output.writeJson(json);
        return EXIT_OK;
    }

    private static double millis(long nanos) {
        return Math.round(nanos / 1e3) / 1e3;
    }

    /** One line naming the prompt and the hashing and naming settings used. */
    static String describe(PrefixQuery q, StoreConfig config) {
        return "model " + q.model() + ", " + q.tokenCount() + " tokens -> " + q.hashes().size() + " chunks; hash "
                + q.hasher().profile().profileName() + " " + q.hasher().algorithm().configName() + ", chunk size "
                + q.hasher().chunkSize() + (q.hasher().seed().map(s -> ", seed " + s).orElse(""))
                + "; layout " + config.keyLayout().configName()
                + config.keyPrefix().map(p -> ", prefix " + p).orElse("") + ", world size " + q.worldSize();
    }

    /** The settings part of the JSON result. */
    static Map<String, Object> settings(PrefixQuery q, StoreConfig config) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", q.model());
        m.put("tokens", q.tokenCount());
        m.put("profile", q.hasher().profile().profileName());
        m.put("algorithm", q.hasher().algorithm().configName());
        m.put("chunk_size", q.hasher().chunkSize());
        m.put("save_unfull_chunk", q.hasher().saveUnfullChunk());
        m.put("seed", q.hasher().seed().orElse(null));
        m.put("layout", config.keyLayout().configName());
        m.put("key_prefix", config.keyPrefix().orElse(null));
        m.put("world_size", q.worldSize());
        return m;
    }
}
