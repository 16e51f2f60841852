package dev.lmcache.redis.bench;

import dev.lmcache.redis.ChunkHash;
import dev.lmcache.redis.HashAlgorithm;
import dev.lmcache.redis.HashProfile;
import dev.lmcache.redis.TokenHasher;
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
 * What it costs to go from a prompt's token ids to LMCache's chunk hashes: a 32,768-token prompt
 * (128 chunks of 256) per scheme, time per prompt. Tokens per second = 32768 / that time. The token
 * ids are those of the golden vectors' generator, {@code (i * 7919 + 13) % 128256}, so about half of
 * them need 5 CBOR bytes and half 3, like a Llama-3 vocabulary.
 * Run: {@code java -jar bench/target/benchmarks.jar TokenHashBenchmarks} (see README).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TokenHashBenchmarks {
    private static final int PROMPT_TOKENS = 32768;

    /** profile/algorithm: the multiprocess defaults and the in-process ones. */
    @Param({"mp/blake3", "mp/sha256_cbor", "nonmp/sha256_cbor", "nonmp/builtin"})
    public String scheme;

    private TokenHasher hasher;
    private int[] tokens;

    @Setup
    public void setup() {
        String[] parts = scheme.split("/");
        hasher = TokenHasher.builder()
                .profile(parts[0].equals("mp") ? HashProfile.MP : HashProfile.IN_PROCESS)
                .algorithm(HashAlgorithm.parse(parts[1]))
                .seed("0")
                .build();
        tokens = new int[PROMPT_TOKENS];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = (int) ((i * 7919L + 13) % 128256);
        }
    }

    /** All 128 chunk hashes of the prompt, as {@link ChunkHash} objects. */
    @Benchmark
    public List<ChunkHash> hashPrompt() {
        return hasher.hash(tokens);
    }

    /** The same, rendered as the hex LMCache puts into keys (what a lookup needs). */
    @Benchmark
    public int hashPromptAndRenderKeys() {
        int length = 0;
        for (ChunkHash h : hasher.hash(tokens)) {
            length += h.keyHex().length();
        }
        return length;
    }
}
