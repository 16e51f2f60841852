package dev.lmcache.redis.bench.peers;

import dev.lmcache.redis.KeyLayout;
import dev.lmcache.redis.embedded.EmbeddedRedis;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Probe for where a latency-bound batch spends its time: runs workload a's batch (write, then
 * read) against peers through an emulated round trip and prints, per call, wall-clock
 * timestamps in microseconds (CLOCK_REALTIME, as a packet capture stamps packets): the call,
 * the completion of its future (on the thread that completes it), and the caller's return. A
 * capture of the proxy's and the server's ports ({@code tcpdump -i lo -tt}) taken meanwhile then
 * places the first and last byte on the wire between them.
 *
 * <pre>{@code java -cp bench/target/benchmarks.jar dev.lmcache.redis.bench.peers.BatchTimeline RTT_MS REPS PEER,... [VALUES [BYTES]]}</pre>
 *
 * <p>It prints the proxy's and the server's ports first and waits 3 s, so a capture can be
 * started on them. Skip the first 100 or so repetitions when reading it: until then the JIT has
 * not compiled the clients' code and the store's longer path pays for it most.
 */
public final class BatchTimeline {
    private BatchTimeline() {
    }

    /** Arguments: RTT in ms, repetitions, peers (names as in PeerBench). */
    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: BatchTimeline RTT_MS REPS PEER[,PEER...] [VALUES [VALUE_BYTES]]"
                    + " (peers: store-single, store-lmcache, lettuce-pipeline, lettuce-mset, jedis-pipeline, jedis-mset)");
            System.exit(2);
        }
        double rttMs = Double.parseDouble(args[0]);
        int reps = Integer.parseInt(args[1]);
        List<String> names = List.of(args[2].split(","));
        int count = args.length > 3 ? Integer.parseInt(args[3]) : 100;
        int size = args.length > 4 ? Integer.parseInt(args[4]) : 2048;
        ClientResources resources = DefaultClientResources.create();
        try (EmbeddedRedis redis = EmbeddedRedis.builder().oneWayDelay(Duration.ofNanos((long) (rttMs * 1e6 / 2))).start();
             Server server = Server.ofUrl(redis.url())) {
            System.out.println("# proxy port " + redis.clientPort() + " server port " + redis.port());
            System.out.flush();
            TimeUnit.SECONDS.sleep(3); // time to start a capture on those ports
            List<Peer> peers = new ArrayList<>();
            for (String n : names) {
                peers.add(switch (n) {
                    case "store-single" -> new StorePeer(server, KeyLayout.SINGLE);
                    case "store-lmcache" -> new StorePeer(server, KeyLayout.LMCACHE);
                    case "lettuce-pipeline" -> new LettucePipelinePeer(server, resources);
                    case "lettuce-mset" -> new LettuceMultiKeyPeer(server, resources);
                    case "jedis-pipeline" -> new JedisPipelinePeer(server);
                    case "jedis-mset" -> new JedisMultiKeyPeer(server);
                    default -> throw new IllegalArgumentException(n);
                });
            }
            Payloads payloads = new Payloads(count, size, 7);
            List<Payloads.Value> values = payloads.range(0, count);
            System.out.println("peer,rep,op,call_us,done_us,return_us,done_thread");
            for (Peer p : peers) {
                p.prepare(1);
            }
            for (int r = 0; r < reps; r++) {
                for (Peer p : Workload.rotated(peers, r)) {
                    List<BenchKey> keys = new ArrayList<>();
                    for (int i = 0; i < count; i++) {
                        keys.add(BenchKey.of("timeline/" + p.name(), i));
                    }
                    payloads.stamp(peers.indexOf(p), r);
                    long[] done = new long[1];
                    String[] thread = new String[1];
                    long t0 = micros();
                    CompletableFuture<Void> w = p.batchedPut(0, keys, values);
                    w.whenComplete((v, e) -> {
                        done[0] = micros();
                        thread[0] = Thread.currentThread().getName();
                    });
                    w.join();
                    long t1 = micros();
                    System.out.printf("%s,%d,write,%d,%d,%d,%s%n", p.name(), r, t0, done[0], t1, thread[0]);
                    TimeUnit.MILLISECONDS.sleep(15);
                    long t2 = micros();
                    CompletableFuture<List<ByteBuffer>> g = p.batchedGet(0, keys);
                    g.whenComplete((v, e) -> {
                        done[0] = micros();
                        thread[0] = Thread.currentThread().getName();
                    });
                    List<ByteBuffer> got = g.join();
                    long t3 = micros();
                    if (payloads.mismatches(0, got) != 0) {
                        throw new IllegalStateException(p.name() + " read wrong bytes");
                    }
                    p.release(got);
                    System.out.printf("%s,%d,read,%d,%d,%d,%s%n", p.name(), r, t2, done[0], t3, thread[0]);
                    TimeUnit.MILLISECONDS.sleep(15);
                }
            }
            for (Peer p : peers) {
                p.close();
            }
        } finally {
            resources.shutdown(0, 2, TimeUnit.SECONDS);
        }
    }

    private static long micros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
    }
}
