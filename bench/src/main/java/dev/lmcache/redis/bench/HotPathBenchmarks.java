package dev.lmcache.redis.bench;

import dev.lmcache.redis.ChunkKey;
import dev.lmcache.redis.ChunkMetadata;
import dev.lmcache.redis.KeyLayout;
import dev.lmcache.redis.KvDtype;
import dev.lmcache.redis.MemoryFormat;
import dev.lmcache.redis.codec.BytesCodec;
import dev.lmcache.redis.key.ClusterSlots;
import dev.lmcache.redis.KeyNaming;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The per-chunk CPU work of a batch, without the network: key rendering and parsing, Redis key
 * naming, header encode/decode, slot grouping of a 100-chunk batch, and the value codec.
 * Run: {@code java -jar bench/target/benchmarks.jar} (see README).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HotPathBenchmarks {
    private static final String KEY_STRING = "meta-llama/Llama-3.1-8B-Instruct@1@0@9f86d081884c7d65@bfloat16@user%alice";

    private ChunkKey key;
    private KeyNaming lmcacheCluster;
    private ChunkMetadata metadata;
    private byte[] header;
    private List<ChunkKey> batch;
    private long hash;

    @Setup
    public void setup() {
        key = ChunkKey.parse(KEY_STRING);
        lmcacheCluster = KeyNaming.of(KeyLayout.LMCACHE, true, null);
        metadata = ChunkMetadata.of(KvDtype.BFLOAT16, MemoryFormat.KV_2LTD, 2, 32, 256, 1024);
        header = metadata.encode();
        batch = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            batch.add(ChunkKey.of("meta-llama/Llama-3.1-8B-Instruct", 1, 0, 0x9f86d081884c7d65L + i, "bfloat16"));
        }
    }

    @Benchmark
    public ChunkKey keyCreateAndRender() {
        return ChunkKey.of("meta-llama/Llama-3.1-8B-Instruct", 1, 0, hash++, "bfloat16");
    }

    @Benchmark
    public ChunkKey keyParse() {
        return ChunkKey.parse(KEY_STRING);
    }

    @Benchmark
    public byte[] redisKeyNameUtf8() {
        return lmcacheCluster.metadataKey(key).getBytes(StandardCharsets.UTF_8);
    }

    @Benchmark
    public byte[] headerEncode() {
        return metadata.encode();
    }

    @Benchmark
    public ChunkMetadata headerDecode() {
        return ChunkMetadata.decode(header);
    }

    @Benchmark
    public int slotOfKey() {
        return ClusterSlots.slot(KEY_STRING);
    }

    /** Naming, UTF-8 and slot of both keys of 100 chunks, grouped by slot owner (3 masters). */
    @Benchmark
    public Map<Integer, List<byte[]>> planHundredChunkBatch() {
        Map<Integer, List<byte[]>> groups = new HashMap<>();
        for (ChunkKey k : batch) {
            byte[] m = lmcacheCluster.metadataKey(k).getBytes(StandardCharsets.UTF_8);
            byte[] d = lmcacheCluster.dataKey(k).getBytes(StandardCharsets.UTF_8);
            groups.computeIfAbsent(ClusterSlots.slot(m) * 3 / 16384, x -> new ArrayList<>()).add(m);
            groups.computeIfAbsent(ClusterSlots.slot(d) * 3 / 16384, x -> new ArrayList<>()).add(d);
        }
        return groups;
    }

    /** Codec cost of one value into Netty's outbound buffer (the one copy of a write). */
    @State(Scope.Thread)
    public static class CodecState {
        @Param({"2048", "1048576"})
        int size;
        ByteBuffer value;
        ByteBuf target;

        @Setup(Level.Trial)
        public void setup() {
            value = ByteBuffer.allocateDirect(size);
            target = PooledByteBufAllocator.DEFAULT.directBuffer(size + 64);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            target.release();
        }
    }

    @Benchmark
    public int codecEncodeValue(CodecState s) {
        s.target.clear();
        BytesCodec.INSTANCE.encodeValue(s.value, s.target);
        return s.target.writerIndex();
    }
}
