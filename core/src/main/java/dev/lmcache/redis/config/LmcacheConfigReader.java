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
import java.util.function.BiFunction;
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

    /**
     * The one table of {@code extra_config} keys, in the order messages list them: first the keys
     * of the Python enhanced connector and of LMCache's valkey connector, then this store's own
     * (which may also be written with the {@code lmcache_redis_} prefix). Each row says how the
     * value is read and which setting it sets; keys that set the same setting must agree.
     */
    private static final List<Key> KEYS = List.of(
            Key.compat("redis_mode", ExtraConfig::mode, set("mode", (b, x) -> b.mode((RedisMode) x))),
            Key.compat("redis_database", (n, v) -> ConfigValues.integer(n, v, 0),
                    set("database", (b, x) -> b.database((Integer) x))),
            Key.compat("redis_username", (n, v) -> ConfigValues.string(n, v, false),
                    set("username", (b, x) -> b.username((String) x))),
            Key.compat("redis_password", (n, v) -> ConfigValues.string(n, v, true),
                    secret("password", (b, x) -> b.password((String) x))),
            Key.compat("use_tls", ConfigValues::bool, set("tls", (b, x) -> b.tls((Boolean) x))),
            Key.compat("max_connections", (n, v) -> ConfigValues.integer(n, v, 1), (extra, written, x) ->
                    LOG.debug("extra_config.{}={} has no effect: lmcache-redis multiplexes one connection per node",
                            written, x)),
            // inside extra_config, the enhanced connector's chunk_size counts keys per MGET batch
            Key.compat("chunk_size", (n, v) -> ConfigValues.integer(n, v, 1),
                    set("maxKeysPerCommand", (b, x) -> b.maxKeysPerCommand((Integer) x))),
            Key.compat("valkey_mode", ExtraConfig::mode, set("mode", (b, x) -> b.mode((RedisMode) x))),
            Key.compat("valkey_username", (n, v) -> ConfigValues.string(n, v, false),
                    set("username", (b, x) -> b.username((String) x))),
            Key.compat("valkey_password", (n, v) -> ConfigValues.string(n, v, true),
                    secret("password", (b, x) -> b.password((String) x))),
            Key.compat("valkey_database", (n, v) -> ConfigValues.integer(n, v, 0),
                    set("database", (b, x) -> b.database((Integer) x))),
            Key.compat("tls_enable", ConfigValues::bool, set("tls", (b, x) -> b.tls((Boolean) x))),
            Key.compat("valkey_num_workers", (n, v) -> ConfigValues.integer(n, v, 1),
                    set("workers", (b, x) -> b.workers((Integer) x))),
            Key.compat("valkey_enable_ttl", ConfigValues::bool, (extra, written, x) -> extra.valkeyEnableTtl = (Boolean) x),
            Key.compat("valkey_ttl_sec", (n, v) -> ConfigValues.integer(n, v, 1, Long.MAX_VALUE),
                    (extra, written, x) -> extra.valkeyTtlSeconds = (Long) x),
            Key.compat("request_timeout", (n, v) -> ConfigValues.seconds(n, v, false),
                    set("requestTimeout", (b, x) -> b.requestTimeout((Duration) x))),
            Key.compat("connection_timeout", (n, v) -> ConfigValues.seconds(n, v, false),
                    set("connectTimeout", (b, x) -> b.connectTimeout((Duration) x))),
            Key.compat("save_chunk_meta", ConfigValues::bool, (extra, written, x) -> extra.saveChunkMeta = (Boolean) x),
            Key.own("key_layout", ExtraConfig::layout, set("keyLayout", (b, x) -> b.keyLayout((KeyLayout) x))),
            Key.own("key_prefix", (n, v) -> ConfigValues.string(n, v, false),
                    set("keyPrefix", (b, x) -> b.keyPrefix((String) x))),
            Key.own("mp_object_group", ExtraConfig::mpObjectGroup,
                    set("mpObjectGroup", (b, x) -> b.mpObjectGroup(x == ExtraConfig.NO_OBJECT_GROUP ? null : (Integer) x))),
            Key.own("max_inflight_bytes", (n, v) -> ConfigValues.bytes(n, v, 1),
                    set("maxInflightBytes", (b, x) -> b.maxInflightBytes((Long) x))),
            Key.own("max_keys_per_command", (n, v) -> ConfigValues.integer(n, v, 1),
                    set("maxKeysPerCommand", (b, x) -> b.maxKeysPerCommand((Integer) x))),
            Key.own("max_bytes_per_command", (n, v) -> ConfigValues.bytes(n, v, 1),
                    set("maxBytesPerCommand", (b, x) -> b.maxBytesPerCommand((Long) x))),
            Key.own("num_workers", (n, v) -> ConfigValues.integer(n, v, 1),
                    set("workers", (b, x) -> b.workers((Integer) x))),
            Key.own("ttl_seconds", (n, v) -> ConfigValues.integer(n, v, 0, Long.MAX_VALUE),
                    set("ttlSeconds", (b, x) -> b.ttlSeconds((Long) x))),
            Key.own("ttl_refresh_on_hit", ConfigValues::bool,
                    set("ttlRefreshOnHit", (b, x) -> b.ttlRefreshOnHit((Boolean) x))),
            Key.own("tls_verify", ExtraConfig::tlsVerify, set("tlsVerify", (b, x) -> b.tlsVerify((TlsVerify) x))),
            Key.own("tls_ca_file", ExtraConfig::path, set("tlsCaFile", (b, x) -> b.tlsCaFile((Path) x))),
            Key.own("tls_cert_file", ExtraConfig::path, set("tlsCertFile", (b, x) -> b.tlsCertFile((Path) x))),
            Key.own("tls_key_file", ExtraConfig::path, set("tlsKeyFile", (b, x) -> b.tlsKeyFile((Path) x))),
            Key.own("request_timeout_ms", (n, v) -> ConfigValues.millis(n, v, false),
                    set("requestTimeout", (b, x) -> b.requestTimeout((Duration) x))),
            Key.own("connect_timeout_ms", (n, v) -> ConfigValues.millis(n, v, false),
                    set("connectTimeout", (b, x) -> b.connectTimeout((Duration) x))),
            Key.own("topology_refresh_secs", (n, v) -> ConfigValues.seconds(n, v, true),
                    set("topologyRefreshPeriod", (b, x) -> b.topologyRefreshPeriod((Duration) x))),
            Key.own("single_chunk_shape", ConfigValues::intList,
                    set("singleChunkShape", (b, x) -> b.singleChunkShape(castList(x)))),
            Key.own("single_chunk_dtype", (n, v) -> ConfigValues.string(n, v, false),
                    set("singleChunkDtype", (b, x) -> b.singleChunkDtype((String) x))),
            Key.own("single_chunk_fmt", (n, v) -> ConfigValues.integer(n, v, 0),
                    set("singleChunkFmt", (b, x) -> b.singleChunkFmt((Integer) x))),
            Key.own("metrics", ConfigValues::bool, set("metricsEnabled", (b, x) -> b.metricsEnabled((Boolean) x))));

    private static final Map<String, Key> BY_NAME = new HashMap<>();
    /** Every key's name, and this store's own (those that take the {@code lmcache_redis_} prefix). */
    private static final List<String> ALL_KEYS;
    private static final List<String> OWN_KEYS;

    static {
        List<String> own = new ArrayList<>();
        for (Key k : KEYS) {
            BY_NAME.put(k.name(), k);
            if (k.own()) {
                own.add(k.name());
            }
        }
        ALL_KEYS = KEYS.stream().map(Key::name).toList();
        OWN_KEYS = List.copyOf(own);
    }

    /** One row of {@link #KEYS}: a key, how its value is read, and what the value is for. */
    private record Key(String name, boolean own, BiFunction<String, Object, Object> read, Target target) {
        static Key compat(String name, BiFunction<String, Object, Object> read, Target target) {
            return new Key(name, false, read, target);
        }

        static Key own(String name, BiFunction<String, Object, Object> read, Target target) {
            return new Key(name, true, read, target);
        }
    }

    /** What a key's value is for: a setting of the builder, or state the reader combines later. */
    private interface Target {
        void take(ExtraConfig extra, String written, Object value);
    }

    private static Target set(String setting, BiConsumer<StoreConfig.Builder, Object> apply) {
        return (extra, written, x) -> extra.assign(setting, written, x, false, apply);
    }

    /** A setting whose value never appears in messages. */
    private static Target secret(String setting, BiConsumer<StoreConfig.Builder, Object> apply) {
        return (extra, written, x) -> extra.assign(setting, written, x, true, apply);
    }

    @SuppressWarnings("unchecked")
    private static List<Integer> castList(Object x) {
        return (List<Integer>) x;
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
        Boolean saveChunkMeta;
        Boolean valkeyEnableTtl;
        Long valkeyTtlSeconds;
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
                if (!BY_NAME.containsKey(key)) {
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
            given = v;
            Key k = BY_NAME.get(key);
            k.target().take(this, written, k.read().apply(name(written), v));
        }

        void assign(String setting, String key, Object value, boolean secret,
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
        static final String NO_OBJECT_GROUP = "none";

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
