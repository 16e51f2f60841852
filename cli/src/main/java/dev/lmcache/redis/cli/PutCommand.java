package dev.lmcache.redis.cli;

import dev.lmcache.redis.ChunkMetadata;
import dev.lmcache.redis.KvCacheStore;
import dev.lmcache.redis.KvChunk;
import dev.lmcache.redis.StoreConfig;
import dev.lmcache.redis.cli.check.Checks;
import dev.lmcache.redis.cli.target.RawGeometry;
import dev.lmcache.redis.cli.target.Target;
import dev.lmcache.redis.cli.text.Human;
import dev.lmcache.redis.cli.text.MetadataView;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code lmcache-redis put KEY --in FILE --shape ... --dtype ...}: stores the bytes of a file as
 * one chunk, with the header the options describe, exactly as LMCache would (for exchanging
 * chunks with Python LMCache processes and for debugging).
 */
@Command(name = "put",
        description = "Store the bytes of FILE as the chunk KEY, with the header --shape/--dtype/--fmt describe (or"
                + " --binary for untyped bytes). The file size must be the geometry's size.%n"
                + "With --layout single or mp the geometry is the raw-value geometry (single_chunk_shape, _dtype, _fmt)"
                + " and no header is stored.",
        sortOptions = false,
        mixinStandardHelpOptions = true)
final class PutCommand extends ChunkCommand {

    @Option(names = "--in", paramLabel = "FILE", required = true, description = "the chunk's KV bytes")
    Path in;

    @Mixin
    GeometryOptions geometry;

    private long size;

    @Override
    protected void prepare() throws Exception {
        super.prepare();
        size = fileSize(in);
    }

    @Override
    protected StoreConfig configure(StoreConfig config) {
        return geometry.applyToRawLayout(config);
    }

    @Override
    protected int run(Target target, KvCacheStore store) throws IOException {
        StoreConfig config = target.config();
        ChunkMetadata metadata = metadata(config);
        ByteBuffer data = ByteBuffer.wrap(read(in));
        if (data.remaining() != size) {
            throw new IOException(in + " changed size while being read (" + size + " then " + data.remaining() + " bytes)");
        }
        long start = System.nanoTime();
        store.sync().put(chunkKey, new KvChunk(metadata, data));
        double millis = (System.nanoTime() - start) / 1e6;
        List<String> redisKeys = redisKeys(target);

        PrintWriter out = out();
        out.println("Stored " + chunkKey + " (" + Human.bytes(size) + ") in " + Human.millis(millis) + " on "
                + target.description());
        MetadataView.lines(metadata).forEach(out::println);
        out.println("  layout: " + config.keyLayout().configName() + (config.keyLayout().hasMetadataKey() ? ""
                : " (raw value: no header is stored; readers need this geometry configured)"));
        out.println("  redis keys: " + String.join(", ", redisKeys));
        out.flush();

        Map<String, Object> json = json();
        json.put("stored", true);
        json.put("layout", config.keyLayout().configName());
        json.put("redisKeys", redisKeys);
        json.put("metadata", MetadataView.json(metadata));
        json.put("millis", Human.roundMillis(millis));
        output.writeJson(json);
        return EXIT_OK;
    }

    /** The header: from the options, or the configured raw-layout geometry when none are given. */
    private ChunkMetadata metadata(StoreConfig config) {
        if (!geometry.given()) {
            Optional<ChunkMetadata> configured = RawGeometry.of(config);
            if (configured.isEmpty()) {
                throw usageError("give the chunk's --shape and --dtype (and --fmt if not 1), or --binary for untyped bytes");
            }
            if (configured.get().length() != size) {
                throw new IllegalArgumentException(in + " is " + size + " bytes but the configured geometry ("
                        + Checks.describe(configured.get()) + ") is " + configured.get().length() + " bytes");
            }
            return configured.get();
        }
        try {
            return geometry.metadata(size);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(in + ": " + e.getMessage(), e);
        }
    }

    private static byte[] read(Path file) throws IOException {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IOException("cannot read " + file + ": " + e, e);
        }
    }

    /** The size of a regular file, failing with a message that names the file and the problem. */
    private static long fileSize(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new IOException(file + " is a directory; expected a file of chunk bytes");
        }
        try {
            return Files.size(file);
        } catch (NoSuchFileException e) {
            throw new IOException(file + " does not exist", e);
        } catch (IOException e) {
            throw new IOException("cannot read " + file + ": " + e, e);
        }
    }
}
