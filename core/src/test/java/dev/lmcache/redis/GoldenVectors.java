package dev.lmcache.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The golden vectors in {@code src/test/resources/golden/}, read from the classpath (JSON is
 * valid YAML, so SnakeYAML parses them).
 */
public final class GoldenVectors {

    private GoldenVectors() {
    }

    /** One entry of {@code cache-keys.json} "keys". */
    public record GoldenKey(Map<String, Object> raw) {
        @SuppressWarnings("unchecked")
        public Map<String, Object> fields() {
            return (Map<String, Object>) raw.get("fields");
        }

        public String string() {
            return (String) raw.get("string");
        }

        public String model() {
            return (String) fields().get("model");
        }

        public int worldSize() {
            return ((Number) fields().get("world_size")).intValue();
        }

        public int workerId() {
            return ((Number) fields().get("worker_id")).intValue();
        }

        public BigInteger chunkHash() {
            return new BigInteger((String) fields().get("chunk_hash"));
        }

        public String dtype() {
            return (String) fields().get("dtype");
        }

        public Integer layer() {
            Object l = fields().get("layer");
            return l == null ? null : ((Number) l).intValue();
        }

        @SuppressWarnings("unchecked")
        public List<List<String>> tags() {
            return (List<List<String>>) fields().get("tags");
        }

        /** Redis key names by variant ("lmcache", "tagged_standalone", "tagged_cluster", "single") and role. */
        @SuppressWarnings("unchecked")
        public Map<String, Map<String, String>> redisKeys() {
            return (Map<String, Map<String, String>>) raw.get("redis_keys");
        }

        /** Cluster slots by variant and role. */
        @SuppressWarnings("unchecked")
        public Map<String, Map<String, Integer>> clusterSlots() {
            return (Map<String, Map<String, Integer>>) raw.get("cluster_slots");
        }

        /** The key built from the fields (hash given as its decimal value). */
        public ChunkKey toChunkKey() {
            ChunkKey.Builder b = ChunkKey.builder().model(model()).worldSize(worldSize()).workerId(workerId())
                    .chunkHash(chunkHash()).dtype(dtype());
            if (layer() != null) {
                b.layer(layer());
            }
            for (List<String> t : tags()) {
                b.tag(t.get(0), t.get(1));
            }
            return b.build();
        }

        @Override
        public String toString() {
            return string();
        }
    }

    @SuppressWarnings("unchecked")
    public static List<GoldenKey> keys() {
        return ((List<Map<String, Object>>) load("golden/cache-keys.json").get("keys")).stream()
                .map(GoldenKey::new).toList();
    }

    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> mpKeys() {
        return (List<Map<String, Object>>) load("golden/cache-keys.json").get("mp_keys");
    }

    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> metadataVectors() {
        return (List<Map<String, Object>>) load("golden/remote-metadata.json").get("vectors");
    }

    private static Map<String, Object> load(String resource) {
        try (InputStream in = GoldenVectors.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("test resource " + resource + " is missing");
            }
            return new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
