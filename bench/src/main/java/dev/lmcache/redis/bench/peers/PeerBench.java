package dev.lmcache.redis.bench.peers;

import dev.lmcache.redis.ConfigException;
import dev.lmcache.redis.KeyLayout;
import dev.lmcache.redis.codec.ReplySplitter;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Side-by-side baselines: the store against the Java clients one would otherwise use (plain
 * Lettuce 7.7 and Jedis 8), same servers, same workloads, repetitions interleaved across peers,
 * every value read checked byte for byte; a Markdown table of medians and ranges, the store
 * against the best other peer, and optionally JSON.
 *
 * <pre>{@code java -Xmx4g -cp bench/target/benchmarks.jar dev.lmcache.redis.bench.peers.PeerBench [options]}</pre>
 *
 * <p>Without {@code --url} it starts embedded redis-server processes (a standalone server and a
 * 3-master cluster, behind an emulated round trip for workload a). Exit status 0 when every
 * value read matched and no call failed, 1 otherwise, 2 for a usage error.
 */
public final class PeerBench {

    /** Every peer, in table order. */
    static final List<String> PEER_NAMES = List.of("store-single", "store-lmcache", "lettuce-pipeline", "lettuce-mset",
            "lettuce", "jedis-pipeline", "jedis-mset", "jedis", RawSocketPeer.NAME);

    private static final List<String> BATCH_PEERS = List.of("store-single", "store-lmcache", "lettuce-pipeline",
            "lettuce-mset", "jedis-pipeline", "jedis-mset");
    private static final List<String> SINGLE_CALL_PEERS = List.of("store-single", "store-lmcache", "lettuce", "jedis");

    private PeerBench() {
    }

    /**
     * Runs the comparison the arguments describe ({@code --help} lists them) and exits with 0
     * (every value verified), 1 (a missing or wrong value, or a failed call) or 2 (usage error).
     */
    public static void main(String[] args) {
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (BenchOptions.UsageException e) {
            System.err.println("PeerBench: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (options.help) {
            System.out.print(BenchOptions.USAGE);
            return;
        }
        int status;
        try {
            Results results = run(options, System.out);
            if (options.json != null) {
                Report.writeJson(results, options.asMap(), options.json);
                System.out.println("JSON written to " + options.json);
            }
            status = results.clean() ? 0 : 1;
        } catch (ConfigException e) {
            System.err.println("PeerBench: " + e.getMessage());
            status = 2;
        } catch (IOException e) {
            System.err.println("PeerBench: could not write the JSON: " + e);
            status = 1;
        } catch (RuntimeException e) {
            // a server that cannot be reached or fails outside a measured call: say what, not a stack trace
            StringBuilder why = new StringBuilder(String.valueOf(e.getMessage()));
            for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
                why.append(": ").append(c.getMessage());
            }
            System.err.println("PeerBench: failed: " + e.getClass().getSimpleName() + ": " + why);
            status = 1;
        }
        System.exit(status);
    }

    /** Runs the selected workloads on the selected servers, prints the report to {@code out} and returns the results. */
    static Results run(BenchOptions options, PrintStream out) {
        Results results = new Results();
        results.note("Redisson and Valkey GLIDE (in issue 16's table) are not compared: their artifacts cannot be fetched"
                + " in this build environment; plain Lettuce and Jedis are.");
        ClientResources resources = DefaultClientResources.create();
        try {
            List<Workload> workloads = new ArrayList<>();
            for (String w : options.workloads) {
                workloads.addAll(switch (w) {
                    case "a" -> List.of(OneBatchWorkload.latency(options));
                    case "b" -> List.of(OneBatchWorkload.large(options));
                    case "c" -> List.of(CallersWorkload.batched(options));
                    case "d" -> List.of(CallersWorkload.single(options));
                    default -> OneBatchWorkload.midSized(options);
                });
            }
            for (Workload w : workloads) {
                List<String> targets = options.urls.isEmpty() ? options.targetsFor(w.id()) : options.urls;
                for (String target : targets) {
                    runOne(w, target, options, resources, results, out);
                }
            }
        } finally {
            resources.shutdown(0, 2, TimeUnit.SECONDS);
        }
        if (ReplySplitter.divertedValues() > 0) {
            results.note(String.format(Locale.ROOT, "the store took %d large values off its connections before Lettuce decoded"
                    + " them; the socket read %.2f GB of their bytes straight into the caller's buffers (the rest was copied"
                    + " once by the reply splitter)", ReplySplitter.divertedValues(), ReplySplitter.socketReadBytes() / 1e9));
        }
        Report.print(results, out);
        return results;
    }

    private static void runOne(Workload w, String target, BenchOptions options, ClientResources resources,
                               Results results, PrintStream out) {
        try (Server server = options.urls.isEmpty()
                ? Server.embedded(target.equals("cluster"), w.overEmulatedRtt() ? options.rttMs : 0)
                : Server.ofUrl(target)) {
            List<Peer> peers = new ArrayList<>();
            try {
                List<String> names = new ArrayList<>(w.singleValueCalls() ? SINGLE_CALL_PEERS : BATCH_PEERS);
                if (w.hasCeiling()) {
                    names.add(RawSocketPeer.NAME);
                }
                for (String name : names) {
                    if (options.peers != null && !options.peers.contains(name)) {
                        continue;
                    }
                    if (name.equals(RawSocketPeer.NAME) && !RawSocketPeer.supports(server)) {
                        results.note("the ceiling (a raw-socket reader) is measured on standalone servers over plain TCP only;"
                                + " skipped on " + server.description() + ".");
                        continue;
                    }
                    if (name.equals("jedis-mset") && server.isCluster()) {
                        results.note("jedis-mset runs on standalone servers only: on a cluster Jedis accepts MSET/MGET"
                                + " only for keys of one slot; jedis-pipeline (ClusterPipeline) stands for Jedis there.");
                        continue;
                    }
                    peers.add(peer(name, server, resources));
                }
                if (peers.isEmpty()) {
                    out.println("Workload " + w.id() + ": none of the --peers applies; skipped.");
                    return;
                }
                out.printf(Locale.ROOT, "Workload %s (%s) on %s; peers %s%n", w.id(), w.title(), server.description(),
                        String.join(", ", peers.stream().map(Peer::name).toList()));
                out.flush();
                w.run(server, peers, results, out);
            } finally {
                for (Peer p : peers) {
                    p.close();
                }
            }
        }
    }

    private static Peer peer(String name, Server server, ClientResources resources) {
        return switch (name) {
            case "store-single" -> new StorePeer(server, KeyLayout.SINGLE);
            case "store-lmcache" -> new StorePeer(server, KeyLayout.LMCACHE);
            case "lettuce-pipeline" -> new LettucePipelinePeer(server, resources);
            case "lettuce-mset" -> new LettuceMultiKeyPeer(server, resources);
            case "lettuce" -> new LettucePlainPeer(server, resources);
            case "jedis-pipeline" -> new JedisPipelinePeer(server);
            case "jedis-mset" -> new JedisMultiKeyPeer(server);
            case "jedis" -> new JedisPlainPeer(server);
            case RawSocketPeer.NAME -> new RawSocketPeer(server);
            default -> throw new IllegalArgumentException("unknown peer " + name + "; accepted: " + PEER_NAMES);
        };
    }
}
