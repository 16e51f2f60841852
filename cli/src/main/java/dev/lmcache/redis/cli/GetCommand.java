package dev.lmcache.redis.cli;

import dev.lmcache.redis.KvCacheStore;
import dev.lmcache.redis.KvChunk;
import dev.lmcache.redis.StoreConfig;
import dev.lmcache.redis.cli.target.RawGeometry;
import dev.lmcache.redis.cli.target.Target;
import dev.lmcache.redis.cli.text.Human;
import dev.lmcache.redis.cli.text.MetadataView;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code lmcache-redis get KEY [--out FILE]}: reads one chunk, writes its bytes to a file and
 * prints its header. A miss exits with 1 and "not found".
 */
@Command(name = "get",
        description = "Read the chunk KEY: print its header (dtype, shape, fmt, length) and write its bytes to --out"
                + " FILE. Exit status 1 with \"not found\" on a miss.%n"
                + "The raw layouts (--layout single, mp) store no header: give the geometry with --shape/--dtype/--fmt"
                + " (or configure single_chunk_shape), else the value reads as untyped bytes (BINARY_BUFFER).",
        sortOptions = false,
        mixinStandardHelpOptions = true)
final class GetCommand extends ChunkCommand {

    @Option(names = "--out", paramLabel = "FILE", description = "write the chunk's bytes to FILE (replaced if it exists)")
    Path out;

    @Mixin
    GeometryOptions geometry;

    /**
     * The configuration to read with: for the raw layouts the command-line geometry (or none with
     * {@code --binary}); the other layouts store the header, so geometry options are a usage error.
     */
    @Override
    protected StoreConfig configure(StoreConfig config) {
        if (!geometry.given()) {
            return config;
        }
        require(!config.keyLayout().hasMetadataKey(), "--shape, --dtype, --fmt and --binary apply to get only with"
                + " the raw layouts (single, mp); layout " + config.keyLayout().configName()
                + " stores each chunk's header");
        if (geometry.binary) {
            require(geometry.shapes.isEmpty() && geometry.dtypes.isEmpty() && geometry.fmt == null,
                    "--binary takes no --shape, --dtype or --fmt");
            return config.toBuilder().singleChunkShape(null).build();
        }
        return geometry.applyToRawLayout(config);
    }

    @Override
    protected int run(Target target, KvCacheStore store) throws IOException {
        StoreConfig config = target.config();
        long start = System.nanoTime();
        Optional<KvChunk> chunk = store.sync().get(chunkKey);
        double millis = (System.nanoTime() - start) / 1e6;
        List<String> redisKeys = redisKeys(target);
        Map<String, Object> json = json();
        json.put("found", chunk.isPresent());
        json.put("layout", config.keyLayout().configName());
        json.put("redisKeys", redisKeys);
        if (chunk.isEmpty()) {
            output.writeJson(json);
            problem("not found: " + chunkKey + " (redis keys: " + String.join(", ", redisKeys) + ")"
                    + (RawGeometry.of(config).isPresent()
                            ? "; a raw value of another size than the geometry also reads as a miss" : ""));
            return EXIT_FAILURE;
        }
        KvChunk c = chunk.get();
        if (out != null) {
            write(c, out);
        }
        PrintWriter stdout = out();
        stdout.println("Found " + chunkKey + " (" + Human.bytes(c.length()) + ") in " + Human.millis(millis)
                + (out != null ? ", bytes written to " + out : ""));
        MetadataView.lines(c.metadata()).forEach(stdout::println);
        if (!config.keyLayout().hasMetadataKey()) {
            stdout.println("  layout: " + config.keyLayout().configName() + " (raw value: "
                    + (RawGeometry.of(config).isPresent() ? "header from the configured geometry)"
                            : "no geometry given, read as untyped bytes; see --shape/--dtype/--fmt)"));
        }
        stdout.println("  redis keys: " + String.join(", ", redisKeys));
        stdout.flush();
        json.put("metadata", MetadataView.json(c.metadata()));
        json.put("out", out == null ? null : out.toString());
        json.put("millis", Human.roundMillis(millis));
        output.writeJson(json);
        return EXIT_OK;
    }

    private static void write(KvChunk chunk, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        try {
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                var data = chunk.data().duplicate();
                while (data.hasRemaining()) {
                    ch.write(data);
                }
            }
        } catch (IOException e) {
            throw new IOException("cannot write " + file + ": " + e, e);
        }
    }
}
