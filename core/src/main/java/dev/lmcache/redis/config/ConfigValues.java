package dev.lmcache.redis.config;

import dev.lmcache.redis.ByteSize;
import dev.lmcache.redis.ConfigException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Coercion of configuration values, which arrive as strings (environment, JSON), numbers or
 * booleans (YAML). Every failure names the setting, shows the value (unless secret) and says
 * what is accepted.
 */
final class ConfigValues {
    private ConfigValues() {
    }

    static ConfigException invalid(String name, Object value, String accepted) {
        return new ConfigException(name + ": " + show(value) + " is invalid; accepted: " + accepted);
    }

    private static String show(Object value) {
        return value instanceof String s ? "'" + s + "'" : String.valueOf(value);
    }

    /** A scalar as text; a secret's value never appears in the failure. */
    static String string(String name, Object value, boolean secret) {
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        throw new ConfigException(name + ": " + (secret ? "a " + kind(value) : show(value))
                + " is invalid; accepted: a string");
    }

    private static String kind(Object value) {
        return value instanceof Map ? "mapping" : value instanceof List ? "list" : value.getClass().getSimpleName();
    }

    static boolean bool(String name, Object value) {
        if (value instanceof Boolean b) {
            return b;
        }
        if (value instanceof String || value instanceof Number) {
            switch (value.toString().trim().toLowerCase(Locale.ROOT)) {
                case "true", "yes", "on", "1" -> {
                    return true;
                }
                case "false", "no", "off", "0" -> {
                    return false;
                }
                default -> {
                }
            }
        }
        throw invalid(name, value, "true or false (also yes/no, on/off, 1/0)");
    }

    /** An integer in [min, max]; integral floats such as 5.0 are accepted. */
    static long integer(String name, Object value, long min, long max) {
        BigDecimal d = decimal(value);
        long v;
        try {
            v = d == null ? 0 : d.longValueExact();
        } catch (ArithmeticException e) {
            d = null;
            v = 0;
        }
        if (d == null || v < min || v > max) {
            throw invalid(name, value, max == Long.MAX_VALUE || max == Integer.MAX_VALUE ? "an integer >= " + min
                    : "an integer in " + min + ".." + max);
        }
        return v;
    }

    static int integer(String name, Object value, int min) {
        return (int) integer(name, value, min, Integer.MAX_VALUE);
    }

    /** Seconds, possibly fractional ({@code 0.5}), as a duration; {@code minZero} allows 0. */
    static Duration seconds(String name, Object value, boolean allowZero) {
        return duration(name, value, allowZero, 1_000_000_000L, "seconds");
    }

    static Duration millis(String name, Object value, boolean allowZero) {
        return duration(name, value, allowZero, 1_000_000L, "milliseconds");
    }

    private static Duration duration(String name, Object value, boolean allowZero, long nanosPerUnit, String unit) {
        BigDecimal d = decimal(value);
        if (d == null || d.signum() < 0 || (!allowZero && d.signum() == 0)
                || d.compareTo(BigDecimal.valueOf(Long.MAX_VALUE / nanosPerUnit)) > 0) {
            throw invalid(name, value, "a number of " + unit + (allowZero ? " >= 0" : " > 0")
                    + (unit.equals("seconds") ? " (fractions allowed, e.g. 0.5)" : ""));
        }
        return Duration.ofNanos(d.multiply(BigDecimal.valueOf(nanosPerUnit)).longValue());
    }

    /**
     * A byte size of at least {@code min}: text in {@link ByteSize}'s grammar, or a number (YAML,
     * JSON) of bytes.
     */
    static long bytes(String name, Object value, long min) {
        String accepted = "a byte count >= " + min + ", " + ByteSize.FORMS;
        Long bytes = null;
        try {
            if (value instanceof String s) {
                bytes = ByteSize.parse(s);
            } else {
                BigDecimal d = decimal(value);
                bytes = d == null ? null : d.setScale(0, java.math.RoundingMode.UNNECESSARY).longValueExact();
            }
        } catch (IllegalArgumentException | ArithmeticException e) {
            // not a size, a fraction of a byte or an overflow: invalid below
        }
        if (bytes == null || bytes < min) {
            throw invalid(name, value, accepted);
        }
        return bytes;
    }

    /** A list of integers >= 1: a list, or text like {@code [2, 32, 256, 1024]} or {@code 2,32,256,1024}. */
    static List<Integer> intList(String name, Object value) {
        String accepted = "a list of integers >= 1, e.g. [2, 32, 256, 1024]";
        List<?> items;
        if (value instanceof List<?> l) {
            items = l;
        } else if (value instanceof String s) {
            String t = s.trim();
            if (t.startsWith("[") && t.endsWith("]")) {
                t = t.substring(1, t.length() - 1);
            }
            items = t.isBlank() ? List.of() : List.of(t.split(","));
        } else {
            throw invalid(name, value, accepted);
        }
        List<Integer> out = new ArrayList<>();
        for (Object item : items) {
            Object v = item instanceof String s ? s.trim() : item;
            BigDecimal d = decimal(v);
            try {
                if (d == null || d.signum() <= 0) {
                    throw new ArithmeticException();
                }
                out.add(d.intValueExact());
            } catch (ArithmeticException e) {
                throw invalid(name, value, accepted);
            }
        }
        if (out.isEmpty()) {
            throw invalid(name, value, accepted);
        }
        return out;
    }

    /** A mapping with string keys: a map, or JSON/YAML text of one (needs SnakeYAML). */
    static Map<String, Object> map(String name, Object value) {
        Object v = value instanceof String s ? parseYaml(s, name) : value;
        if (v == null) {
            return Map.of();
        }
        if (!(v instanceof Map<?, ?> m)) {
            throw new ConfigException(name + ": a " + kind(v) + " is invalid; accepted: a mapping (JSON object)"
                    + " such as {\"key_layout\": \"tagged\"}");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            out.put(String.valueOf(e.getKey()), e.getValue());
        }
        return out;
    }

    /**
     * Parses YAML or JSON with SnakeYAML, failing with advice when SnakeYAML is not on the
     * classpath (it is an optional dependency, needed only for files and JSON).
     */
    static Object parseYaml(String text, String source) {
        try {
            Class.forName("org.yaml.snakeyaml.Yaml", false, ConfigValues.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new ConfigException("reading " + source + " needs SnakeYAML, which is not on the classpath;"
                    + " accepted: add the dependency org.yaml:snakeyaml (2.x), or configure with StoreConfig.builder()"
                    + " or fromUrl");
        }
        return YamlSupport.parse(text, source);
    }

    private static BigDecimal decimal(Object value) {
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return BigDecimal.valueOf(((Number) value).longValue());
        }
        if (value instanceof BigInteger b) {
            return new BigDecimal(b);
        }
        if (value instanceof BigDecimal b) {
            return b;
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            return Double.isFinite(d) ? BigDecimal.valueOf(d) : null;
        }
        if (value instanceof String s) {
            try {
                return new BigDecimal(s.trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }
}
