package dev.lmcache.redis.cli;

import dev.lmcache.redis.ChunkMetadata;
import dev.lmcache.redis.KeyLayout;
import dev.lmcache.redis.KvDtype;
import dev.lmcache.redis.MemoryFormat;
import dev.lmcache.redis.StoreConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * A chunk's geometry on the command line: {@code --shape}/{@code --dtype} (repeatable, paired by
 * order, one pair per tensor group), {@code --fmt}, or {@code --binary} for untyped bytes. For
 * the raw layouts ({@code single}, {@code mp}) the geometry becomes the configuration's
 * {@code single_chunk_shape}, {@code single_chunk_dtype} and {@code single_chunk_fmt}.
 */
final class GeometryOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--shape", paramLabel = "D1,D2,..",
            description = "tensor shape, 1 to 4 comma-separated dims (left-padded with 1s), e.g. 2,32,256,1024;"
                    + " repeat for several tensor groups")
    List<String> shapes = new ArrayList<>();

    @Option(names = "--dtype", paramLabel = "DTYPE",
            description = "element type of the tensor of the --shape in the same position: bfloat16 (default), half,"
                    + " float, double, uint8, fp8_e4m3fn, fp8_e5m2")
    List<String> dtypes = new ArrayList<>();

    @Option(names = "--fmt", paramLabel = "FMT",
            description = "MemoryFormat code or name: 1/KV_2LTD (default), 2/KV_T2D, 3/KV_2TD, 4/BINARY (compressed:"
                    + " length is the data size), 6/KV_MLA_FMT, or any other code")
    String fmt;

    @Option(names = "--binary", description = "untyped bytes (BINARY_BUFFER, length = the data size), no shape")
    boolean binary;

    /** Whether any geometry option was given. */
    boolean given() {
        return !shapes.isEmpty() || !dtypes.isEmpty() || fmt != null || binary;
    }

    /**
     * The header for {@code length} data bytes as the options describe it.
     *
     * @throws ParameterException if the options contradict each other or do not parse
     * @throws IllegalArgumentException naming both sizes if {@code length} is not the geometry's size
     */
    ChunkMetadata metadata(long length) {
        validate();
        if (binary) {
            return ChunkMetadata.binary(toInt(length));
        }
        List<ChunkMetadata.TensorGroup> groups = groups();
        int code = fmtCode();
        if (code == MemoryFormat.BINARY.code()) {
            return ChunkMetadata.of(toInt(length), code, groups);
        }
        ChunkMetadata m = ChunkMetadata.ofGroups(MemoryFormat.UNDEFINED, groups);
        if (m.length() != length) {
            throw new IllegalArgumentException("the data is " + length + " bytes but " + describe(groups) + " is "
                    + m.length() + " bytes; give the shape and dtype of the data (or --binary, or --fmt 4 for"
                    + " compressed data)");
        }
        return ChunkMetadata.of(m.length(), code, groups);
    }

    /**
     * {@code config} with the geometry as its raw-layout settings, for the {@code single} and
     * {@code mp} layouts; {@code config} itself for the other layouts, without geometry options,
     * or with {@code --binary}.
     *
     * @throws ParameterException if the layout cannot hold this geometry
     */
    StoreConfig applyToRawLayout(StoreConfig config) {
        KeyLayout layout = config.keyLayout();
        if (layout.hasMetadataKey() || !given()) {
            return config;
        }
        validate();
        if (binary) {
            return config;
        }
        if (shapes.size() > 1) {
            throw usageError("layout " + layout.configName()
                    + " stores raw values with one geometry (single_chunk_shape); give one --shape, not "
                    + shapes.size());
        }
        ChunkMetadata.TensorGroup g = groups().get(0);
        if (g.dtype() == KvDtype.NONE) {
            throw usageError("--dtype none cannot be a raw-layout geometry; use"
                    + " uint8, or --binary without --shape");
        }
        int[] dims = parseShape(shapes.get(0));
        List<Integer> shape = new ArrayList<>();
        for (int d : dims) {
            shape.add(d);
        }
        StoreConfig.Builder b = config.toBuilder().singleChunkShape(shape).singleChunkDtype(g.dtype().keyName())
                .singleChunkFmt(fmtCode());
        // Format 1 is [2, layers, tokens, hidden]: the explicit shape says how many tokens a chunk has.
        if (dims.length == 4 && fmtCode() == MemoryFormat.KV_2LTD.code()) {
            b.chunkSizeTokens(dims[2]);
        }
        return b.build();
    }

    private void validate() {
        if (binary && (!shapes.isEmpty() || !dtypes.isEmpty() || fmt != null)) {
            throw usageError("--binary takes no --shape, --dtype or --fmt");
        }
        if (!binary && shapes.isEmpty()) {
            throw usageError("give --shape (with --dtype and --fmt) or --binary");
        }
        if (!dtypes.isEmpty() && dtypes.size() != shapes.size()) {
            throw usageError(shapes.size() + " --shape but " + dtypes.size()
                    + " --dtype; give one --dtype per --shape (paired by order), or none for bfloat16");
        }
    }

    private List<ChunkMetadata.TensorGroup> groups() {
        List<ChunkMetadata.TensorGroup> groups = new ArrayList<>();
        for (int i = 0; i < shapes.size(); i++) {
            KvDtype dtype;
            try {
                dtype = KvDtype.fromName(dtypes.isEmpty() ? "bfloat16" : dtypes.get(i));
            } catch (IllegalArgumentException e) {
                throw usageError("--dtype: " + e.getMessage());
            }
            try {
                groups.add(ChunkMetadata.TensorGroup.of(dtype, parseShape(shapes.get(i))));
            } catch (IllegalArgumentException e) {
                throw usageError("--shape: " + e.getMessage());
            }
        }
        return groups;
    }

    private int[] parseShape(String text) {
        String[] parts = text.split(",", -1);
        int[] dims = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                dims[i] = Integer.parseInt(parts[i].trim());
            } catch (NumberFormatException e) {
                dims[i] = -1;
            }
            if (dims[i] < 1) {
                throw usageError("--shape '" + text + "': dim " + (i + 1) + " is '"
                        + parts[i].trim() + "'; expected 1 to 4 comma-separated integers >= 1, e.g. 2,32,256,1024");
            }
        }
        if (dims.length > 4) {
            throw usageError("--shape '" + text + "' has " + dims.length
                    + " dims; expected 1 to 4");
        }
        return dims;
    }

    private int fmtCode() {
        if (fmt == null) {
            return MemoryFormat.KV_2LTD.code();
        }
        String f = fmt.trim();
        try {
            int code = Integer.parseInt(f);
            if (code < 0) {
                throw new NumberFormatException();
            }
            return code;
        } catch (NumberFormatException e) {
            try {
                return MemoryFormat.valueOf(f.toUpperCase(Locale.ROOT)).code();
            } catch (IllegalArgumentException notAName) {
                throw usageError("--fmt '" + fmt + "' is neither a code >= 0 nor one of"
                        + " UNDEFINED, KV_2LTD, KV_T2D, KV_2TD, BINARY, BINARY_BUFFER, KV_MLA_FMT");
            }
        }
    }

    private static int toInt(long length) {
        if (length > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("the data is " + length + " bytes; a chunk holds at most "
                    + Integer.MAX_VALUE);
        }
        return (int) length;
    }

    private static String describe(List<ChunkMetadata.TensorGroup> groups) {
        StringBuilder sb = new StringBuilder();
        for (ChunkMetadata.TensorGroup g : groups) {
            sb.append(sb.length() == 0 ? "" : " + ").append(g);
        }
        return sb.toString();
    }

    private ParameterException usageError(String message) {
        return new ParameterException(command.commandLine(), message);
    }
}
