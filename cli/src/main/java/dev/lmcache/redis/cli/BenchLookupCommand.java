package dev.lmcache.redis.cli;

import dev.lmcache.redis.HashAlgorithm;
import dev.lmcache.redis.KeyLayout;
import dev.lmcache.redis.KvCacheStore;
import dev.lmcache.redis.TokenHasher;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code lmcache-redis bench lookup}: prefix lookup by tokens for a long prompt on an embedded
 * standalone server and a 3-master cluster behind an emulated round trip (engine:
 * {@link BenchLookup}).
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
final class BenchLookupCommand extends BaseCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

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

    @Option(names = "--json", paramLabel = "FILE", description = "also write the results as JSON (fields below)")
    Path json;

    @Override
    public Integer call() throws Exception {
        return BenchCommand.usageErrors(spec, this::run);
    }

    private int run() throws Exception {
        if (tokens < 1 || reps < 1 || warmup < 0 || rttMs < 0) {
            throw new IllegalArgumentException("--tokens and --reps must be >= 1, --warmup and --rtt-ms >= 0");
        }
        TokenHasher hasher = TokenHasher.builder().algorithm(HashAlgorithm.parse(algorithm)).build();
        BenchLookup.Settings settings = new BenchLookup.Settings(tokens, worldSizes, reps, warmup);
        List<Target> started = new ArrayList<>();
        List<KvCacheStore> stores = new ArrayList<>();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            List<BenchLookup.Subject> subjects = new ArrayList<>();
            for (String name : targets) {
                boolean cluster = switch (name.trim()) {
                    case "standalone" -> false;
                    case "cluster" -> true;
                    default -> throw new IllegalArgumentException("--targets: '" + name
                            + "' is not a target; accepted: standalone, cluster");
                };
                Target t = Target.embedded(cluster, rttMs);
                started.add(t);
                KvCacheStore store = KvCacheStore.open(t.config().toBuilder().keyLayout(KeyLayout.MP).build());
                stores.add(store);
                err.println("target: " + t.description());
                subjects.add(new BenchLookup.Subject((cluster ? "cluster" : "standalone") + " mp", store));
            }
            err.flush();
            List<BenchLookup.Row> rows = BenchLookup.run(subjects, hasher, "meta-llama/Llama-3.1-8B-Instruct",
                    settings, err);
            BenchLookup.print(rows, tokens, out);
            if (json != null) {
                Map<String, Object> root = new LinkedHashMap<>();
                root.put("rtt_ms_emulated", rttMs);
                root.put("tokens", tokens);
                root.put("algorithm", hasher.algorithm().configName());
                root.put("results", rows.stream().map(BenchLookup.Row::toMap).toList());
                Json.writeFile(json, root);
            }
            return rows.stream().allMatch(r -> r.mismatches() == 0) ? EXIT_OK : EXIT_FAILURE;
        } finally {
            for (KvCacheStore s : stores) {
                s.close();
            }
            for (Target t : started) {
                t.close();
            }
        }
    }
}
