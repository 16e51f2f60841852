package dev.lmcache.redis.config;

import dev.lmcache.redis.ConfigException;
import dev.lmcache.redis.HashAlgorithm;
import dev.lmcache.redis.KeyLayout;
import dev.lmcache.redis.RedisMode;
import dev.lmcache.redis.StoreConfig;
import dev.lmcache.redis.TlsVerify;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads LMCache configuration (a map, a YAML file, environment variables) into a
 * {@link StoreConfig}. Internal: use {@link StoreConfig#fromMap(Map)},
 * {@link StoreConfig#fromLmcacheYaml(Path)} and {@link StoreConfig#fromEnvironment(Map)}, whose
 * documentation lists the keys read and how unknown {@code extra_config} keys are treated.
 */
public final class LmcacheConfigReader {
    private static final Logger LOG = LoggerFactory.getLogger(LmcacheConfigReader.class);

    /** The variable naming LMCache's YAML file. */
    public static final String CONFIG_FILE_VARIABLE = "LMCACHE_CONFIG_FILE";

    private static final List<String> TOP_LEVEL =
            List.of("remote_url", "chunk_size", "pre_caching_hash_algorithm", "save_unfull_chunk",
                    "blocking_timeout_secs", "remote_serde", "extra_config");
    private static final String NAMESPACE = "lmcache_redis_";
    private static final List<String> RESERVED_PREFIXES = List.of("redis_", "valkey_", "tls_", NAMESPACE);
    private static final long DEFAULT_VALKEY_TTL_SECONDS = 86_400;

    /** Keys of the Python enhanced connector and of LMCache's valkey connector. */
    private static final List<String> COMPATIBILITY_KEYS = List.of("redis_mode", "redis_database", "redis_username",
            "redis_password", "use_tls", "max_connections", "chunk_size", "valkey_mode", "valkey_username",
            "valkey_password", "valkey_database", "tls_enable", "valkey_num_workers", "valkey_enable_ttl",
            "valkey_ttl_sec", "request_timeout", "connection_timeout", "save_chunk_meta");
    /** Keys of this store; these may also be written with the {@code lmcache_redis_} prefix. */
    private static final List<String> OWN_KEYS = List.of("key_layout", "key_prefix", "mp_object_group",
            "max_inflight_bytes",
            "max_keys_per_command", "max_bytes_per_command", "num_workers", "ttl_seconds", "ttl_refresh_on_hit",
            "tls_verify", "tls_ca_file", "tls_cert_file", "tls_key_file", "request_timeout_ms", "connect_timeout_ms",
            "topology_refresh_secs", "single_chunk_shape", "single_chunk_dtype", "single_chunk_fmt", "metrics");
    private static final List<String> ALL_KEYS;

    static {
        List<String> all = new ArrayList<>(COMPATIBILITY_KEYS);
        all.addAll(OWN_KEYS);
        ALL_KEYS = List.copyOf(all);
    }

    private LmcacheConfigReader() {
    }

    /** See {@link StoreConfig#fromMap(Map)}; {@code env} supplies {@code REDIS_SERVICE_NAME}/{@code REDIS_TIMEOUT}. */
    public static StoreConfig fromMap(Map<String, ?> config, Map<String, String> env) {
        if (config == null) {
            throw new ConfigException("LMCache configuration is missing; accepted: a map with at least remote_url");
        }
        return read(new LinkedHashMap<>(config), new HashMap<>(), env);
    }

    /** See {@link StoreConfig#fromLmcacheYaml(Path)}. */
    public static StoreConfig fromYaml(Path file, Map<String, String> env) {
        Map<String, Object> config = loadFile(file);
        Map<String, String> origins = new HashMap<>();
        config.keySet().forEach(k -> origins.put(k, " (in " + file + ")"));
        return read(config, origins, env);
    }

    /** See {@link StoreConfig#fromEnvironment(Map)}. */
    public static StoreConfig fromEnvironment(Map<String, String> env) {
        Map<String, Object> config = new LinkedHashMap<>();
        Map<String, String> origins = new HashMap<>();
        String file = env.get(CONFIG_FILE_VARIABLE);
        if (file != null && !file.isBlank()) {
            Path path;
            try {
                path = Path.of(file.trim());
            } catch (InvalidPathException e) {
                throw new ConfigException(CONFIG_FILE_VARIABLE + ": '" + file + "' is invalid; accepted: the path of"
                        + " an LMCache YAML file", e);
            }
            config.putAll(loadFile(path));
            config.keySet().forEach(k -> origins.put(k, " (in " + path + ")"));
        }
        for (String key : TOP_LEVEL) {
            String variable = "LMCACHE_" + key.toUpperCase(Locale.ROOT);
            String value = env.get(variable);
            if (value != null && !value.isBlank()) {
                config.put(key, value.trim());
                origins.put(key, " (from " + variable + ")");
            }
        }
        return read(config, origins, env);
    }

    private static Map<String, Object> loadFile(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException("LMCache config file '" + file + "' does not exist; accepted: the path of a"
                    + " readable YAML file", e);
        } catch (IOException e) {
            throw new ConfigException("LMCache config file '" + file + "' cannot be read ("
                    + e.getClass().getSimpleName() + "); accepted: the path of a readable YAML file", e);
        }
        Object parsed = ConfigValues.parseYaml(text, "LMCache config file '" + file + "'");
        if (parsed == null) {
            return new LinkedHashMap<>();
        }
        return new LinkedHashMap<>(ConfigValues.map("LMCache config file '" + file + "'", parsed));
    }

    /**
     * @param origins for each top-level key not given directly, where it came from, as a suffix
     *     for messages: {@code " (in /etc/lmcache.yaml)"}, {@code " (from LMCACHE_CHUNK_SIZE)"}
     */
    private static StoreConfig read(Map<String, Object> config, Map<String, String> origins, Map<String, String> env) {
        Function<String, String> label = key -> key + origins.getOrDefault(key, "");
        StoreConfig.Builder b = StoreConfig.builder().environment(env);

        for (String key : config.keySet()) {
            if (!TOP_LEVEL.contains(key)) {
                LOG.debug("LMCache setting '{}' is not used by lmcache-redis; ignored", key);
            }
        }
        Object url = config.get("remote_url");
        if (url != null) {
            String text = ConfigValues.string(label.apply("remote_url"), url, false);
            try {
                b.url(text);
            } catch (ConfigException e) {
                // The parser's messages start with "remote_url"; say where it came from.
                throw origins.containsKey("remote_url") ? new ConfigException(
                        label.apply("remote_url") + e.getMessage().replaceFirst("^remote_url", ""), e) : e;
            }
        }
        Object chunkSize = config.get("chunk_size");
        if (chunkSize != null) {
            b.chunkSizeTokens(ConfigValues.integer(label.apply("chunk_size"), chunkSize, 1));
        }
        Object algorithm = config.get("pre_caching_hash_algorithm");
        if (algorithm != null) {
            String n = label.apply("pre_caching_hash_algorithm");
            try {
                b.hashAlgorithm(HashAlgorithm.parse(ConfigValues.string(n, algorithm, false)));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(n + ": " + e.getMessage(), e);
            }
        }
        Object unfull = config.get("save_unfull_chunk");
        if (unfull != null) {
            b.saveUnfullChunk(ConfigValues.bool(label.apply("save_unfull_chunk"), unfull));
        }
        Object blocking = config.get("blocking_timeout_secs");
        if (blocking != null) {
            b.requestTimeout(ConfigValues.seconds(label.apply("blocking_timeout_secs"), blocking, false));
        }
        Object serde = config.get("remote_serde");
        if (serde != null && !ConfigValues.string(label.apply("remote_serde"), serde, false).trim()
                .equalsIgnoreCase("naive")) {
            throw ConfigValues.invalid(label.apply("remote_serde"), serde, "naive (the only serializer whose bytes"
                    + " other LMCache instances can read: this store reads and writes raw KV bytes; cachegen and"
                    + " other compressing serdes are not supported)");
        }
        ExtraConfig extra = null;
        Object extraValue = config.get("extra_config");
        if (extraValue != null) {
            extra = new ExtraConfig(origins.getOrDefault("extra_config", ""));
            extra.read(ConfigValues.map(label.apply("extra_config"), extraValue));
            extra.applyTo(b);
        }
        StoreConfig result = b.build();
        if (extra != null) {
            extra.checkAgainst(result);
        }
        return result;
    }

    /** One extra_config map being read: which key set which setting, to catch contradictions. */
    private static final class ExtraConfig {
        private final String where;
        private final Map<String, Assignment> settings = new LinkedHashMap<>();
        private Boolean saveChunkMeta;
        private Boolean valkeyEnableTtl;
        private Long valkeyTtlSeconds;
        /** The value being read, as written, for messages about it. */
        private Object given;

        private record Assignment(String key, Object given, Object value, boolean secret,
                BiConsumer<StoreConfig.Builder, Object> apply) {
        }

        ExtraConfig(String where) {
            this.where = where;
        }

        private String name(String key) {
            return "extra_config." + key + where;
        }

        void read(Map<String, Object> extra) {
            for (Map.Entry<String, Object> e : extra.entrySet()) {
                String written = e.getKey();
                Object value = e.getValue();
                String key = written.startsWith(NAMESPACE) && OWN_KEYS.contains(written.substring(NAMESPACE.length()))
                        ? written.substring(NAMESPACE.length()) : written;
                if (!ALL_KEYS.contains(key)) {
                    unknown(written);
                } else if (value == null) {
                    LOG.debug("extra_config key '{}' is null; its default applies", written);
                } else {
                    readKey(key, written, value);
                }
            }
            given = valkeyEnableTtl;
            if (Boolean.TRUE.equals(valkeyEnableTtl)) {
                assign("ttlSeconds", "valkey_enable_ttl",
                        valkeyTtlSeconds != null ? valkeyTtlSeconds : DEFAULT_VALKEY_TTL_SECONDS, false,
                        (b, v) -> b.ttlSeconds((Long) v));
            } else if (Boolean.FALSE.equals(valkeyEnableTtl)) {
                assign("ttlSeconds", "valkey_enable_ttl", 0L, false, (b, v) -> b.ttlSeconds((Long) v));
            } else if (valkeyTtlSeconds != null) {
                LOG.warn("extra_config.valkey_ttl_sec is ignored because valkey_enable_ttl is not true (as in LMCache);"
                        + " set valkey_enable_ttl: true or ttl_seconds");
            }
        }

        private void unknown(String written) {
            boolean namespaced = written.startsWith(NAMESPACE);
            Optional<String> suggestion = namespaced
                    ? DidYouMean.closest(written.substring(NAMESPACE.length()), OWN_KEYS).map(s -> NAMESPACE + s)
                    : DidYouMean.closest(written, ALL_KEYS);
            if (RESERVED_PREFIXES.stream().anyMatch(written::startsWith)) {
                throw new ConfigException("extra_config key '" + written + "'" + where + " is not a known setting"
                        + suggestion.map(s -> "; did you mean '" + s + "'?").orElse("")
                        + " (keys starting with redis_, valkey_, tls_ or lmcache_redis_ belong to this store);"
                        + " accepted: " + String.join(", ", ALL_KEYS)
                        + ", and each of " + String.join(", ", OWN_KEYS) + " prefixed with " + NAMESPACE);
            }
            if (suggestion.isPresent()) {
                LOG.warn("extra_config key '{}' is not used by lmcache-redis (did you mean '{}'?); ignored",
                        written, suggestion.get());
            } else {
                LOG.debug("extra_config key '{}' is not used by lmcache-redis (other LMCache features share"
                        + " extra_config); ignored", written);
            }
        }

        private void readKey(String key, String written, Object v) {
            String n = name(written);
            given = v;
            switch (key) {
                case "redis_mode", "valkey_mode" -> assign("mode", written, mode(n, v), false,
                        (b, x) -> b.mode((RedisMode) x));
                case "redis_database", "valkey_database" -> assign("database", written,
                        ConfigValues.integer(n, v, 0), false, (b, x) -> b.database((Integer) x));
                case "redis_username", "valkey_username" -> assign("username", written,
                        ConfigValues.string(n, v, false), false, (b, x) -> b.username((String) x));
                case "redis_password", "valkey_password" -> assign("password", written,
                        ConfigValues.string(n, v, true), true, (b, x) -> b.password((String) x));
                case "use_tls", "tls_enable" -> assign("tls", written, ConfigValues.bool(n, v), false,
                        (b, x) -> b.tls((Boolean) x));
                case "max_connections" -> {
                    int connections = ConfigValues.integer(n, v, 1);
                    LOG.debug("extra_config.{}={} has no effect: lmcache-redis multiplexes one connection per node",
                            written, connections);
                }
                case "chunk_size", "max_keys_per_command" -> assign("maxKeysPerCommand", written,
                        ConfigValues.integer(n, v, 1), false, (b, x) -> b.maxKeysPerCommand((Integer) x));
                case "valkey_num_workers", "num_workers" -> assign("workers", written,
                        ConfigValues.integer(n, v, 1), false, (b, x) -> b.workers((Integer) x));
                case "valkey_enable_ttl" -> valkeyEnableTtl = ConfigValues.bool(n, v);
                case "valkey_ttl_sec" -> valkeyTtlSeconds = ConfigValues.integer(n, v, 1, Long.MAX_VALUE);
                case "ttl_seconds" -> assign("ttlSeconds", written, ConfigValues.integer(n, v, 0, Long.MAX_VALUE),
                        false, (b, x) -> b.ttlSeconds((Long) x));
                case "request_timeout" -> assign("requestTimeout", written, ConfigValues.seconds(n, v, false), false,
                        (b, x) -> b.requestTimeout((Duration) x));
                case "request_timeout_ms" -> assign("requestTimeout", written, ConfigValues.millis(n, v, false),
                        false, (b, x) -> b.requestTimeout((Duration) x));
                case "connection_timeout" -> assign("connectTimeout", written, ConfigValues.seconds(n, v, false),
                        false, (b, x) -> b.connectTimeout((Duration) x));
                case "connect_timeout_ms" -> assign("connectTimeout", written, ConfigValues.millis(n, v, false),
                        false, (b, x) -> b.connectTimeout((Duration) x));
                case "save_chunk_meta" -> saveChunkMeta = ConfigValues.bool(n, v);
                case "key_layout" -> assign("keyLayout", written, layout(n, v), false,
                        (b, x) -> b.keyLayout((KeyLayout) x));
                case "key_prefix" -> assign("keyPrefix", written, ConfigValues.string(n, v, false), false,
                        (b, x) -> b.keyPrefix((String) x));
                case "mp_object_group" -> assign("mpObjectGroup", written, mpObjectGroup(n, v), false,
                        (b, x) -> b.mpObjectGroup(x == NO_OBJECT_GROUP ? null : (Integer) x));
                case "max_inflight_bytes" -> assign("maxInflightBytes", written, ConfigValues.bytes(n, v, 1), false,
                        (b, x) -> b.maxInflightBytes((Long) x));
                case "max_bytes_per_command" -> assign("maxBytesPerCommand", written, ConfigValues.bytes(n, v, 1),
                        false, (b, x) -> b.maxBytesPerCommand((Long) x));
                case "ttl_refresh_on_hit" -> assign("ttlRefreshOnHit", written, ConfigValues.bool(n, v), false,
                        (b, x) -> b.ttlRefreshOnHit((Boolean) x));
                case "tls_verify" -> assign("tlsVerify", written, tlsVerify(n, v), false,
                        (b, x) -> b.tlsVerify((TlsVerify) x));
                case "tls_ca_file" -> assign("tlsCaFile", written, path(n, v), false,
                        (b, x) -> b.tlsCaFile((Path) x));
                case "tls_cert_file" -> assign("tlsCertFile", written, path(n, v), false,
                        (b, x) -> b.tlsCertFile((Path) x));
                case "tls_key_file" -> assign("tlsKeyFile", written, path(n, v), false,
                        (b, x) -> b.tlsKeyFile((Path) x));
                case "topology_refresh_secs" -> assign("topologyRefreshPeriod", written,
                        ConfigValues.seconds(n, v, true), false, (b, x) -> b.topologyRefreshPeriod((Duration) x));
                case "single_chunk_shape" -> assign("singleChunkShape", written, ConfigValues.intList(n, v), false,
                        (b, x) -> b.singleChunkShape(castList(x)));
                case "single_chunk_dtype" -> assign("singleChunkDtype", written, ConfigValues.string(n, v, false),
                        false, (b, x) -> b.singleChunkDtype((String) x));
                case "single_chunk_fmt" -> assign("singleChunkFmt", written, ConfigValues.integer(n, v, 0), false,
                        (b, x) -> b.singleChunkFmt((Integer) x));
                case "metrics" -> assign("metricsEnabled", written, ConfigValues.bool(n, v), false,
                        (b, x) -> b.metricsEnabled((Boolean) x));
                default -> throw new IllegalStateException("extra_config key without a reader: " + key);
            }
        }

        @SuppressWarnings("unchecked")
        private static List<Integer> castList(Object x) {
            return (List<Integer>) x;
        }

        private void assign(String setting, String key, Object value, boolean secret,
                BiConsumer<StoreConfig.Builder, Object> apply) {
            Assignment previous = settings.get(setting);
            if (previous == null) {
                settings.put(setting, new Assignment(key, given, value, secret, apply));
            } else if (!previous.value().equals(value)) {
                throw new ConfigException("extra_config keys '" + previous.key() + "' and '" + key + "'" + where
                        + " both set " + setting + " but disagree"
                        + (secret ? "" : " (" + previous.value() + " and " + value + ")")
                        + "; accepted: one of them, or both with the same value");
            }
        }

        void applyTo(StoreConfig.Builder b) {
            for (Assignment a : settings.values()) {
                try {
                    a.apply().accept(b, a.value());
                } catch (ConfigException e) {
                    String shown = a.secret() ? "" : " = " + (a.given() instanceof String s ? "'" + s + "'" : a.given());
                    throw new ConfigException(name(a.key()) + shown + ": " + e.getMessage(), e);
                }
            }
        }

        /** Checks that need the resolved configuration (the layout may come from the URL). */
        void checkAgainst(StoreConfig config) {
            if (Boolean.TRUE.equals(saveChunkMeta) && !config.keyLayout().hasMetadataKey()) {
                throw new ConfigException(name("save_chunk_meta") + ": true is invalid with key_layout "
                        + config.keyLayout().configName() + ", which stores each chunk as one raw value without"
                        + " metadata (as LMCache's valkey:// and resp:// do with save_chunk_meta: false); accepted:"
                        + " false, or key_layout tagged or lmcache for stores written with metadata");
            }
        }

        private static RedisMode mode(String n, Object v) {
            try {
                return RedisMode.fromConfig(ConfigValues.string(n, v, false));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(n + ": " + e.getMessage(), e);
            }
        }

        /** The value of {@code mp_object_group: none}: names without an object group. */
        private static final String NO_OBJECT_GROUP = "none";

        /** An object group id, or {@link #NO_OBJECT_GROUP}. */
        private static Object mpObjectGroup(String n, Object v) {
            if (v instanceof String text && text.trim().equalsIgnoreCase(NO_OBJECT_GROUP)) {
                return NO_OBJECT_GROUP;
            }
            try {
                return ConfigValues.integer(n, v, 0);
            } catch (ConfigException e) {
                throw new ConfigException(e.getMessage() + ", or none (names of LMCache before 2026-06-09)", e);
            }
        }

        private static KeyLayout layout(String n, Object v) {
            try {
                return KeyLayout.fromConfig(ConfigValues.string(n, v, false));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(n + ": " + e.getMessage(), e);
            }
        }

        private static TlsVerify tlsVerify(String n, Object v) {
            try {
                return TlsVerify.fromConfig(ConfigValues.string(n, v, false));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(n + ": " + e.getMessage(), e);
            }
        }

        private static Path path(String n, Object v) {
            String text = ConfigValues.string(n, v, false);
            try {
                if (text.isBlank()) {
                    throw new InvalidPathException(text, "blank");
                }
                return Path.of(text.trim());
            } catch (InvalidPathException e) {
                throw ConfigValues.invalid(n, v, "the path of a readable PEM file");
            }
        }
    }
}
