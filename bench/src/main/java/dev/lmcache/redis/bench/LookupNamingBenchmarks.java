package dev.lmcache.redis.bench;

import dev.lmcache.redis.ChunkKey;
import dev.lmcache.redis.KeyLayout;
import dev.lmcache.redis.KeyNaming;
import dev.lmcache.redis.PrefixQuery;
import dev.lmcache.redis.TokenHasher;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A prefix lookup's client work before anything is sent, without the hashing
 * ({@link TokenHashBenchmarks}): a 32,768-token prompt (128 chunks) at tensor-parallel size
 * {@code worldSize}, every chunk x rank named in the {@code mp} layout. {@code chunkKeys}: the
 * query's chunk keys ({@link PrefixQuery#forLayout}); {@code redisNames}: those plus each key's
 * Redis name as UTF-8 bytes, as the store sends them.
 * Run: {@code java -jar bench/target/benchmarks.jar LookupNamingBenchmarks}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LookupNamingBenchmarks {
    @Param({"1", "4"})
    public int worldSize;

    private PrefixQuery query;
    private KeyNaming naming;

    @Setup
    public void setup() {
        int[] tokens = new int[32768];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = (int) ((i * 7919L + 13) % 128256);
        }
        query = PrefixQuery.builder().model("meta-llama/Llama-3.1-8B").tokens(tokens)
                .hasher(TokenHasher.builder().build()).worldSize(worldSize).build();
        naming = KeyNaming.of(KeyLayout.MP, true, null, 0);
    }

    @Benchmark
    public List<List<ChunkKey>> chunkKeys() {
        return query.forLayout(KeyLayout.MP);
    }

    @Benchmark
    public int redisNames() {
        int length = 0;
        for (List<ChunkKey> chunk : query.forLayout(KeyLayout.MP)) {
            for (ChunkKey k : chunk) {
                length += naming.dataKey(k).getBytes(StandardCharsets.UTF_8).length;
            }
        }
        return length;
    }
}
