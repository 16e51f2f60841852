package dev.lmcache.redis.cli.bench;

import dev.lmcache.redis.ChunkKey;
import dev.lmcache.redis.ChunkMetadata;
import dev.lmcache.redis.KvCacheStore;
import dev.lmcache.redis.KvChunk;
import dev.lmcache.redis.KvDtype;
import dev.lmcache.redis.MemoryFormat;
import dev.lmcache.redis.cli.text.Human;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The chunks of one bench run: their geometry, the keys they are written under, and their
 * content (a function of the key, see {@link Payload}). Presets follow real
 * models with LMCache's default 256-token chunks in the {@code KV_2LTD} format
 * ({@code [2, layers, tokens, hidden per rank]}, bf16); a plain size gives untyped bytes
 * ({@code BINARY_BUFFER}).
 *
 * @param name     the preset name, or {@code bytes} for a plain size
 * @param metadata the header every chunk carries; its length is the chunk size
 * @param runModel the model field of every key: unique per run, so runs never see each other's keys
 */
record ChunkSet(String name, ChunkMetadata metadata, String runModel) {

    /** The presets: name, shape (bf16). */
    enum Preset {
        /** 8 heads × 128 dims per layer, 32 layers: 32 MiB per chunk. */
        LLAMA_3_1_8B("llama-3.1-8b", 2, 32, 256, 1024),
        /** 70B sharded over 8 GPUs: 1 KV head × 128 dims per rank, 80 layers: 10 MiB. */
        LLAMA_3_1_70B_TP8("llama-3.1-70b-tp8", 2, 80, 256, 128),
        /** A toy shape for quick runs and tests: 32 KiB. */
        SMALL("small", 2, 4, 16, 128);

        final String presetName;
        final int[] shape;

        Preset(String presetName, int... shape) {
            this.presetName = presetName;
            this.shape = shape;
        }

        static Preset of(String name) {
            for (Preset p : values()) {
                if (p.presetName.equalsIgnoreCase(name.trim())) {
                    return p;
                }
            }
            throw new IllegalArgumentException("--model '" + name + "' is not a preset; accepted: "
                    + String.join(", ", Arrays.stream(values()).map(p -> p.presetName).toList()));
        }
    }

    /** The names accepted by {@code --model}, for help texts. */
    static List<String> presetNames() {
        return Arrays.stream(Preset.values()).map(p -> p.presetName).toList();
    }

    /** A preset's geometry under a fresh run model name. */
    static ChunkSet preset(String name) {
        Preset p = Preset.of(name);
        return new ChunkSet(p.presetName, ChunkMetadata.of(KvDtype.BFLOAT16, MemoryFormat.KV_2LTD, p.shape), newRunModel());
    }

    /** Untyped chunks of {@code bytes} bytes under a fresh run model name. */
    static ChunkSet bytes(int bytes) {
        if (bytes < 1) {
            throw new IllegalArgumentException("chunk size must be at least 1 byte, was " + bytes);
        }
        return new ChunkSet("bytes", ChunkMetadata.binary(bytes), newRunModel());
    }

    /** {@code --chunk-bytes} if given, else the {@code --model} preset. */
    static ChunkSet of(String preset, Long chunkBytesOrNull) {
        if (chunkBytesOrNull != null) {
            long b = chunkBytesOrNull;
            if (b < 1 || b > Integer.MAX_VALUE - 64) {
                throw new IllegalArgumentException("--chunk-bytes " + Human.size(b) + " is out of range; accepted: 1 B to 2 GiB");
            }
            return bytes((int) b);
        }
        return preset(preset);
    }

    /** A model name no other run uses: {@code lmcache-redis-bench-<12 hex>}. */
    static String newRunModel() {
        byte[] r = new byte[6];
        ThreadLocalRandom.current().nextBytes(r);
        return "lmcache-redis-bench-" + HexFormat.of().formatHex(r);
    }

    int chunkBytes() {
        return metadata.length();
    }

    /** The key of chunk number {@code id} of this run (ids map to well-spread 64-bit hashes). */
    ChunkKey key(long id) {
        return ChunkKey.of(runModel, 1, 0, Payload.mix(id * 0x9E3779B97F4A7C15L + 0x5DEECE66DL), "bfloat16");
    }

    /** The keys of chunks {@code first} to {@code first + n - 1}. */
    List<ChunkKey> keys(long first, int n) {
        List<ChunkKey> keys = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            keys.add(key(first + i));
        }
        return keys;
    }

    /**
     * Deletes chunks 0 to {@code count - 1} from {@code store}, a bounded number of removals in
     * flight. Failures are ignored: leftovers live under the run's unique model name, and the
     * measurement stands.
     */
    void deleteFirst(KvCacheStore store, long count) {
        List<CompletableFuture<Boolean>> window = new ArrayList<>();
        for (long id = 0; id < count; id++) {
            window.add(store.remove(key(id)));
            if (window.size() == 512 || id == count - 1) {
                try {
                    CompletableFuture.allOf(window.toArray(CompletableFuture[]::new)).join();
                } catch (RuntimeException e) {
                    // see above: the leftovers are harmless
                }
                window.clear();
            }
        }
    }

    /** A chunk holding the key's deterministic content, in a new heap buffer. */
    KvChunk chunk(ChunkKey key) {
        return new KvChunk(metadata, Payload.heapBuffer(key, chunkBytes()));
    }

    /** Whether a chunk read back is exactly what {@link #chunk} wrote for the key. */
    boolean verify(ChunkKey key, KvChunk read) {
        return read.length() == chunkBytes() && Payload.matches(read.data(), key, chunkBytes());
    }

    /** A description for output: {@code small (32 KiB per chunk, bfloat16 [2, 4, 16, 128])} or {@code 16 KiB untyped chunks}. */
    String describe() {
        if (name.equals("bytes")) {
            return Human.size(chunkBytes()) + " untyped chunks";
        }
        ChunkMetadata.TensorGroup g = metadata.groups().get(0);
        return name + " (" + Human.size(chunkBytes()) + " per chunk, " + g.dtype().name().toLowerCase(Locale.ROOT) + " "
                + g.shape() + ")";
    }
}
