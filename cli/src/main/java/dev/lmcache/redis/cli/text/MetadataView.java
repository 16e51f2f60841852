package dev.lmcache.redis.cli.text;

import dev.lmcache.redis.ChunkMetadata;
import dev.lmcache.redis.KvDtype;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A chunk header as the chunk commands show it: text lines for people, a map for {@code --json}. */
public final class MetadataView {
    private MetadataView() {
    }

    /** The format code with its name, e.g. {@code 1 (KV_2LTD)} or {@code 9 (unknown to this version)}. */
    static String fmt(ChunkMetadata m) {
        return m.fmt() + m.memoryFormat().map(f -> " (" + f.name() + ")").orElse(" (unknown to this version)");
    }

    /** Indented lines: length, fmt, and each group's dtype and shape. */
    public static List<String> lines(ChunkMetadata m) {
        List<String> out = new ArrayList<>();
        out.add("  length: " + m.length() + " bytes (" + Human.bytes(m.length()) + ")");
        out.add("  fmt:    " + fmt(m));
        for (int i = 0; i < m.groups().size(); i++) {
            ChunkMetadata.TensorGroup g = m.groups().get(i);
            String label = m.groups().size() == 1 ? "  dtype:  " : "  group " + i + ": dtype ";
            out.add(label + dtypeName(g.dtype()) + ", shape " + g.shape());
        }
        return out;
    }

    /** {@code length}, {@code fmt}, {@code fmtName} (null when unnamed) and {@code groups} of {@code dtype} and {@code shape}. */
    public static Map<String, Object> json(ChunkMetadata m) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("length", m.length());
        map.put("fmt", m.fmt());
        map.put("fmtName", m.memoryFormat().map(Enum::name).orElse(null));
        List<Object> groups = new ArrayList<>();
        for (ChunkMetadata.TensorGroup g : m.groups()) {
            Map<String, Object> gm = new LinkedHashMap<>();
            gm.put("dtype", dtypeName(g.dtype()));
            gm.put("shape", g.shape());
            groups.add(gm);
        }
        map.put("groups", groups);
        return map;
    }

    /** LMCache's name of the dtype ({@code bfloat16}, {@code half}, ...), {@code none} for untyped bytes. */
    static String dtypeName(KvDtype d) {
        return d == KvDtype.NONE ? "none" : d.keyName();
    }
}
