package dev.lmcache.redis.cli;

import dev.lmcache.redis.HashAlgorithm;
import dev.lmcache.redis.KeyLayout;
import dev.lmcache.redis.KvCacheStore;
import dev.lmcache.redis.TokenHasher;
import dev.lmcache.redis.cli.bench.Lookup;
import dev.lmcache.redis.cli.target.Target;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code lmcache-redis bench lookup}: prefix lookup by tokens for a long prompt on an embedded
 * standalone server and a 3-master cluster behind an emulated round trip (engine:
 * {@link Lookup}).
 */
@Command(name = "lookup",
        description = {
            "Prefix lookup by tokens: a long prompt (default 32k tokens, 128 chunks), every chunk stored, at TP 1 and 4,"
                + " on an embedded standalone Redis and a 3-master cluster behind an emulated round trip.",
            "",
            "Prints the median lookup (hashing included) in ms and in round trips (median / PING round trip);"
                + " repetitions of all targets and TP sizes are interleaved.",
        },
        footer = {
            "",
            "--json FILE: {rtt_ms_emulated, tokens, algorithm, results: [{target, layout, world_size, chunks, keys,"
                + " hash: {count, median_ms, ...}, lookup: {...}, rtt_ms, round_trips, matched_tokens, mismatches}]}",
        },
        sortOptions = false,
        mixinStandardHelpOptions = true)
final class BenchLookupCommand extends BaseCommand {

    /** The model name the prompt's keys carry. */
    private static final String MODEL = "meta-llama/Llama-3.1-8B-Instruct";

    @Option(names = "--rtt-ms", paramLabel = "MS", defaultValue = "10",
            description = "emulated network round trip in ms (default: ${DEFAULT-VALUE})")
    double rttMs;

    @Option(names = "--tokens", paramLabel = "N", defaultValue = "32768",
            description = "prompt length in tokens (default: ${DEFAULT-VALUE})")
    int tokens;

    @Option(names = "--world-sizes", paramLabel = "N[,N...]", split = ",", defaultValue = "1,4",
            description = "tensor-parallel sizes to measure (default: ${DEFAULT-VALUE})")
    List<Integer> worldSizes;

    @Option(names = "--hash-algorithm", paramLabel = "ALGO", defaultValue = "blake3",
            description = "blake3 or sha256_cbor (LMCache's multiprocess server; default: ${DEFAULT-VALUE})")
    String algorithm;

    @Option(names = "--targets", paramLabel = "T[,T...]", split = ",", defaultValue = "standalone,cluster",
            description = "standalone and/or cluster (default: ${DEFAULT-VALUE})")
    List<String> targets;

    @Option(names = "--reps", paramLabel = "R", defaultValue = "20",
            description = "measured lookups per target and TP size (default: ${DEFAULT-VALUE})")
    int reps;

    @Option(names = "--warmup", paramLabel = "R", defaultValue = "3",
            description = "unmeasured lookups first (default: ${DEFAULT-VALUE})")
    int warmup;

    @Mixin
    OutputOptions output;

    @Override
    protected int run() {
        TokenHasher hasher = parsed(() -> TokenHasher.builder().algorithm(HashAlgorithm.parse(algorithm)).build());
        Lookup.Settings settings = parsed(() -> new Lookup.Settings(tokens, worldSizes, reps, warmup));
        require(rttMs >= 0, "--rtt-ms must be >= 0, got " + rttMs);
        List<Boolean> clusters = new ArrayList<>();
        for (String name : targets) {
            switch (name.trim()) {
                case "standalone" -> clusters.add(false);
                case "cluster" -> clusters.add(true);
                default -> throw usageError("--targets: '" + name + "' is not a target; accepted: standalone, cluster");
            }
        }
        List<Target> started = new ArrayList<>();
        List<KvCacheStore> stores = new ArrayList<>();
        try {
            List<Lookup.Subject> subjects = new ArrayList<>();
            for (boolean cluster : clusters) {
                Target t = Target.embedded(cluster, rttMs);
                started.add(t);
                KvCacheStore store = KvCacheStore.open(t.config().toBuilder().keyLayout(KeyLayout.MP).build());
                stores.add(store);
                err().println("Target: " + t.description());
                subjects.add(new Lookup.Subject((cluster ? "cluster" : "standalone") + " mp", store));
            }
            err().flush();
            List<Lookup.Row> rows = Lookup.run(subjects, hasher, MODEL, settings, err());
            Lookup.print(rows, tokens, out());
            Map<String, Object> header = new LinkedHashMap<>();
            header.put("rtt_ms_emulated", rttMs);
            header.put("tokens", tokens);
            header.put("algorithm", hasher.algorithm().configName());
            return finish(output, new Lookup.Result(rows, header), null);
        } finally {
            stores.forEach(KvCacheStore::close);
            started.forEach(Target::close);
        }
    }
}
