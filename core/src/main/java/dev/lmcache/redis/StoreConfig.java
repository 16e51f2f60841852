package dev.lmcache.redis;

import dev.lmcache.redis.config.LmcacheConfigReader;
import dev.lmcache.redis.config.RedisUrl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's settings: immutable, validated when built, safe to log ({@link #toString()} and
 * {@link #redactedUrl()} never contain the password).
 *
 * <p>Made by {@link #builder()}, or from what LMCache users already have:
 * {@link #fromUrl(String)} (a {@code remote_url}), {@link #fromLmcacheYaml(Path)} (an LMCache
 * YAML file), {@link #fromEnvironment()} ({@code LMCACHE_CONFIG_FILE} and {@code LMCACHE_*}
 * variables) and {@link #fromMap(Map)} (the parsed form of either). Every factory fails with a
 * {@link ConfigException} naming the setting, the value given (never for secrets) and the
 * accepted values; nothing connects before the configuration is valid.
 *
 * <h2>LMCache settings read</h2>
 * Top level: {@code remote_url}, {@code chunk_size} (tokens per chunk, default 256),
 * {@code pre_caching_hash_algorithm} and {@code save_unfull_chunk} (how prompts are hashed into
 * chunk keys, for {@link TokenHasher#forConfig}), {@code blocking_timeout_secs} (the default request timeout, 10), {@code remote_serde} (only
 * {@code naive}, the byte-compatible serializer, or absent) and {@code extra_config}. Other
 * top-level keys belong to LMCache and are ignored.
 *
 * <h2>extra_config keys</h2>
 * <table>
 *   <caption>extra_config keys</caption>
 *   <tr><th>key</th><th>setting</th></tr>
 *   <tr><td>{@code redis_mode}, {@code valkey_mode}</td><td>{@link #mode()}: standalone, cluster, sentinel</td></tr>
 *   <tr><td>{@code redis_database}, {@code valkey_database}</td><td>{@link #database()}</td></tr>
 *   <tr><td>{@code redis_username}, {@code valkey_username}</td><td>{@link #username()}</td></tr>
 *   <tr><td>{@code redis_password}, {@code valkey_password}</td><td>{@link #password()}</td></tr>
 *   <tr><td>{@code use_tls}, {@code tls_enable}</td><td>{@link #tls()}</td></tr>
 *   <tr><td>{@code max_connections}</td><td>accepted for compatibility, no effect (one multiplexed
 *       connection per node)</td></tr>
 *   <tr><td>{@code chunk_size} (inside extra_config!), {@code max_keys_per_command}</td>
 *       <td>{@link #maxKeysPerCommand()}: the enhanced connector's {@code chunk_size} counts keys
 *       per MGET batch, unlike the top-level {@code chunk_size}, which counts tokens per chunk</td></tr>
 *   <tr><td>{@code valkey_num_workers}, {@code num_workers}</td><td>{@link #workers()}</td></tr>
 *   <tr><td>{@code valkey_enable_ttl} + {@code valkey_ttl_sec} (86400 when enabled),
 *       {@code ttl_seconds}</td><td>{@link #ttlSeconds()}</td></tr>
 *   <tr><td>{@code request_timeout} (seconds), {@code request_timeout_ms}</td><td>{@link #requestTimeout()}</td></tr>
 *   <tr><td>{@code connection_timeout} (seconds), {@code connect_timeout_ms}</td><td>{@link #connectTimeout()}</td></tr>
 *   <tr><td>{@code save_chunk_meta}</td><td>must be false with the {@code single} and {@code mp}
 *       layouts, which store raw values without metadata</td></tr>
 *   <tr><td>{@code key_layout}</td><td>{@link #keyLayout()}: lmcache, tagged, single, mp</td></tr>
 *   <tr><td>{@code key_prefix}</td><td>{@link #keyPrefix()}</td></tr>
 *   <tr><td>{@code mp_object_group}</td><td>{@link #mpObjectGroup()}: an id (default 0), or {@code none}
 *       for names of LMCache before 2026-06-09</td></tr>
 *   <tr><td>{@code max_inflight_bytes}</td><td>{@link #maxInflightBytes()}; sizes such as
 *       {@code 1073741824}, {@code 1g}, {@code 512mb}, {@code 64MiB} (k, m, g, t are all binary
 *       units)</td></tr>
 *   <tr><td>{@code max_bytes_per_command}</td><td>{@link #maxBytesPerCommand()}, same syntax</td></tr>
 *   <tr><td>{@code ttl_refresh_on_hit}</td><td>{@link #ttlRefreshOnHit()}</td></tr>
 *   <tr><td>{@code tls_verify}, {@code tls_ca_file}, {@code tls_cert_file}, {@code tls_key_file}</td>
 *       <td>{@link #tlsVerify()}, {@link #tlsCaFile()}, {@link #tlsCertFile()}, {@link #tlsKeyFile()}</td></tr>
 *   <tr><td>{@code topology_refresh_secs}</td><td>{@link #topologyRefreshPeriod()}</td></tr>
 *   <tr><td>{@code single_chunk_shape}, {@code single_chunk_dtype}, {@code single_chunk_fmt}</td>
 *       <td>{@link #singleChunkShape()}, {@link #singleChunkDtype()}, {@link #singleChunkFmt()}</td></tr>
 *   <tr><td>{@code metrics}</td><td>{@link #metricsEnabled()}</td></tr>
 * </table>
 * Values may be strings, numbers or booleans; they are coerced, and a value that does not parse
 * fails naming its key. Keys of this store may also be written with the prefix
 * {@code lmcache_redis_} ({@code lmcache_redis_num_workers}) to keep them apart from other
 * LMCache features that share {@code extra_config}. Because {@code extra_config} is shared, an
 * unknown key is ignored (logged at DEBUG, or WARN when it is one typo away from a known key),
 * except that an unknown key starting with {@code redis_}, {@code valkey_}, {@code tls_} or
 * {@code lmcache_redis_} fails with a "did you mean" suggestion: those prefixes are ours. When
 * two keys name the same setting (say {@code num_workers} and {@code valkey_num_workers}) they
 * must agree. extra_config settings override what the URL says.
 *
 * <h2>URL versus explicit settings</h2>
 * In the builder, what {@link Builder#url(String)} gives (endpoints, socket, TLS, credentials,
 * database, and the mode and key layout its scheme implies) are defaults: a setting given
 * explicitly wins, whether set before or after the URL.
 *
 * <h2>Raw layouts</h2>
 * The {@code single} and {@code mp} layouts store raw KV bytes with no header, so the chunk
 * geometry ({@code single_chunk_shape}, {@code single_chunk_dtype}, {@code single_chunk_fmt})
 * has to come from configuration. A configuration without it is still valid, so that
 * {@code fromUrl("valkey://...")} works as is: the store then accepts chunks of any size and
 * reads values back as {@code BINARY_BUFFER} chunks (dtype none, shape [length,0,0,0]). With
 * the geometry set, only chunks of exactly that size are stored and read back with that
 * metadata; a value of another size is a miss.
 */
public final class StoreConfig {
    /** Default of {@link #workers()}. */
    public static final int DEFAULT_WORKERS = 4;

    private static final Logger LOG = LoggerFactory.getLogger(StoreConfig.class);

    private static final long MIB = 1024L * 1024;
    private static final String DEFAULT_SENTINEL_MASTER = "redismaster";
    private static final Duration DEFAULT_SENTINEL_TIMEOUT = Duration.ofSeconds(1);
    private static final Set<String> DTYPES = Set.of("half", "float16", "bfloat16", "float", "float32", "double",
            "float64", "uint8", "int8", "int16", "int32", "int64", "bool", "fp8_e4m3fn", "fp8_e4m3fnuz", "fp8_e5m2",
            "fp8_e5m2fnuz", "float8_e4m3fn", "float8_e4m3fnuz", "float8_e5m2", "float8_e5m2fnuz");
    private static final String KEY_PREFIX_FORBIDDEN = "@*?[]\\{}";

    private final Builder source;
    private final String scheme;
    private final RedisMode mode;
    private final List<HostAndPort> endpoints;
    private final Path unixSocket;
    private final int database;
    private final String sentinelMasterName;
    private final Duration sentinelTimeout;
    private final boolean tls;
    private final TlsVerify tlsVerify;
    private final Path tlsCaFile;
    private final Path tlsCertFile;
    private final Path tlsKeyFile;
    private final String username;
    private final char[] password;
    private final KeyLayout keyLayout;
    private final String keyPrefix;
    private final Integer mpObjectGroup;
    private final int chunkSizeTokens;
    private final @Nullable HashAlgorithm hashAlgorithm;
    private final boolean saveUnfullChunk;
    private final Duration requestTimeout;
    private final Duration connectTimeout;
    private final long maxInflightBytes;
    private final int maxKeysPerCommand;
    private final long maxBytesPerCommand;
    private final int workers;
    private final long ttlSeconds;
    private final boolean ttlRefreshOnHit;
    private final Duration topologyRefreshPeriod;
    private final List<Integer> singleChunkShape;
    private final String singleChunkDtype;
    private final int singleChunkFmt;
    private final boolean metricsEnabled;
    private final String redactedUrl;

    private StoreConfig(Builder b) {
        this.source = new Builder(b);
        RedisUrl url = b.url;

        // Where: explicit endpoints or socket win over the URL's.
        if (b.endpoints != null && b.unixSocket != null) {
            throw new ConfigException("endpoints and unixSocket are both set; accepted: one of them");
        }
        if (b.endpoints != null || b.unixSocket != null) {
            this.endpoints = b.endpoints == null ? List.of() : b.endpoints;
            this.unixSocket = b.unixSocket;
        } else if (url != null) {
            this.endpoints = url.endpoints();
            this.unixSocket = url.unixSocket().orElse(null);
        } else {
            throw new ConfigException("no server is configured: remote_url is not set; accepted: "
                    + "redis://host:port, rediss://, unix://, redis-cluster://, redis-sentinel://, valkey://, resp://"
                    + " (or Builder.endpoints / Builder.unixSocket)");
        }
        this.scheme = url != null ? url.scheme() : null;

        this.mode = b.mode != null ? b.mode : url != null ? url.impliedMode() : RedisMode.STANDALONE;
        if (unixSocket != null && mode != RedisMode.STANDALONE) {
            throw new ConfigException("mode " + mode.configName() + " cannot use a unix socket ("
                    + unixSocket + "); accepted: mode standalone with a unix socket, or host:port endpoints");
        }
        if (mode == RedisMode.STANDALONE && endpoints.size() > 1) {
            throw new ConfigException("mode standalone takes one endpoint, got " + endpoints.size() + " ("
                    + joinEndpoints(endpoints) + "); accepted: one host, or mode cluster (redis-cluster://,"
                    + " redis_mode/valkey_mode: cluster) or sentinel (redis-sentinel://) for several");
        }

        this.database = b.database != null ? b.database
                : url != null && url.database().isPresent() ? url.database().getAsInt() : 0;
        if (mode == RedisMode.CLUSTER && database != 0) {
            throw new ConfigException("database: " + database + " is invalid in mode cluster (Redis Cluster has"
                    + " only database 0); accepted: 0, or mode standalone/sentinel for other databases");
        }

        Map<String, String> env = b.environment != null ? b.environment : System.getenv();
        String envMaster = env.get("REDIS_SERVICE_NAME");
        this.sentinelMasterName = b.sentinelMasterName != null ? b.sentinelMasterName
                : envMaster != null && !envMaster.isBlank() ? envMaster.trim() : DEFAULT_SENTINEL_MASTER;
        this.sentinelTimeout = b.sentinelTimeout != null ? b.sentinelTimeout
                : mode == RedisMode.SENTINEL ? envTimeout(env.get("REDIS_TIMEOUT")) : DEFAULT_SENTINEL_TIMEOUT;

        this.tls = b.tls != null ? b.tls : url != null && url.tls();
        this.tlsVerify = b.tlsVerify != null ? b.tlsVerify : TlsVerify.FULL;
        this.tlsCaFile = b.tlsCaFile;
        this.tlsCertFile = b.tlsCertFile;
        this.tlsKeyFile = b.tlsKeyFile;
        validateTls(b);

        this.username = b.username != null ? b.username : url != null ? url.username().orElse(null) : null;
        this.password = b.password != null ? b.password.clone()
                : url != null ? url.password().orElse(null) : null;

        this.keyLayout = b.keyLayout != null ? b.keyLayout : url != null ? url.impliedLayout() : KeyLayout.LMCACHE;
        this.keyPrefix = b.keyPrefix;
        this.mpObjectGroup = b.mpObjectGroup;
        this.chunkSizeTokens = b.chunkSizeTokens;
        this.hashAlgorithm = b.hashAlgorithm;
        this.saveUnfullChunk = b.saveUnfullChunk;
        this.requestTimeout = b.requestTimeout;
        this.connectTimeout = b.connectTimeout;
        this.maxInflightBytes = b.maxInflightBytes;
        this.maxKeysPerCommand = b.maxKeysPerCommand;
        // unless set explicitly, a command never exceeds the in-flight budget
        this.maxBytesPerCommand = b.maxBytesPerCommand != null ? b.maxBytesPerCommand : Math.min(64 * MIB, maxInflightBytes);
        if (maxBytesPerCommand > maxInflightBytes) {
            throw new ConfigException("maxBytesPerCommand (max_bytes_per_command) " + maxBytesPerCommand
                    + " exceeds maxInflightBytes (max_inflight_bytes) " + maxInflightBytes
                    + "; accepted: max_bytes_per_command <= max_inflight_bytes, since one command's bytes are in"
                    + " flight at once");
        }
        this.workers = b.workers;
        this.ttlSeconds = b.ttlSeconds;
        this.ttlRefreshOnHit = b.ttlRefreshOnHit;
        this.topologyRefreshPeriod = b.topologyRefreshPeriod;
        this.singleChunkShape = b.singleChunkShape;
        this.singleChunkDtype = b.singleChunkDtype;
        this.singleChunkFmt = b.singleChunkFmt;
        // Format 1 (KV_2LTD) is [2, layers, tokens, hidden]: a raw value of another token count
        // would never match a full chunk, so every read would miss.
        if (singleChunkShape != null && singleChunkShape.size() == 4 && singleChunkFmt == 1
                && singleChunkShape.get(2) != chunkSizeTokens) {
            throw new ConfigException("singleChunkShape (single_chunk_shape) " + singleChunkShape + " has "
                    + singleChunkShape.get(2) + " tokens in its third dimension (format 1 is [2, layers, tokens,"
                    + " hidden]) but chunkSizeTokens (chunk_size) is " + chunkSizeTokens
                    + "; accepted: a shape whose token dimension equals chunk_size");
        }
        this.metricsEnabled = b.metricsEnabled;
        this.redactedUrl = buildRedactedUrl();

        if (tls && tlsVerify == TlsVerify.NONE) {
            LOG.warn("tls_verify=none: server certificates are NOT verified ({})", redactedUrl);
        }
    }

    private void validateTls(Builder b) {
        if (tls && unixSocket != null) {
            throw new ConfigException("tls: true is invalid with a unix socket (" + unixSocket
                    + "); accepted: tls false for unix://, or a host:port endpoint for TLS");
        }
        if (!tls) {
            List<String> given = new ArrayList<>();
            if (b.tlsVerify != null) {
                given.add("tls_verify");
            }
            if (tlsCaFile != null) {
                given.add("tls_ca_file");
            }
            if (tlsCertFile != null) {
                given.add("tls_cert_file");
            }
            if (tlsKeyFile != null) {
                given.add("tls_key_file");
            }
            if (!given.isEmpty()) {
                throw new ConfigException(String.join(", ", given) + " given but TLS is off; accepted: turn TLS on"
                        + " (rediss://, use_tls: true or tls_enable: true) or remove " + String.join(", ", given));
            }
            return;
        }
        if ((tlsCertFile == null) != (tlsKeyFile == null)) {
            throw new ConfigException((tlsCertFile == null ? "tls_key_file is set but tls_cert_file"
                    : "tls_cert_file is set but tls_key_file") + " is not; accepted: both (mutual TLS) or neither");
        }
        requireReadable("tls_ca_file", tlsCaFile);
        requireReadable("tls_cert_file", tlsCertFile);
        requireReadable("tls_key_file", tlsKeyFile);
    }

    private static void requireReadable(String setting, Path file) {
        if (file != null && !(Files.isRegularFile(file) && Files.isReadable(file))) {
            throw new ConfigException(setting + ": '" + file + "' "
                    + (Files.exists(file) ? "is not a readable file" : "does not exist")
                    + "; accepted: the path of a readable PEM file");
        }
    }

    private static Duration envTimeout(String text) {
        if (text == null || text.isBlank()) {
            return DEFAULT_SENTINEL_TIMEOUT;
        }
        double seconds;
        try {
            seconds = Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            seconds = Double.NaN;
        }
        if (!(seconds > 0) || Double.isInfinite(seconds)) {
            throw new ConfigException("REDIS_TIMEOUT: '" + text + "' is invalid; accepted: a number of seconds > 0"
                    + " (e.g. 1 or 0.5)");
        }
        return Duration.ofNanos(Math.round(seconds * 1e9));
    }

    private String buildRedactedUrl() {
        String s = scheme != null ? scheme
                : unixSocket != null ? "unix"
                : mode == RedisMode.CLUSTER ? "redis-cluster"
                : mode == RedisMode.SENTINEL ? "redis-sentinel"
                : tls ? "rediss" : "redis";
        return RedisUrl.format(s, endpoints, unixSocket, username, password != null, database);
    }

    private static String joinEndpoints(List<HostAndPort> endpoints) {
        return endpoints.stream().map(HostAndPort::toString).collect(Collectors.joining(","));
    }

    /** A builder with every setting at its default and no server. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The configuration of a URL with every other setting at its default. For
     * {@code redis-sentinel://} the master name and timeout come from the environment variables
     * {@code REDIS_SERVICE_NAME} (default {@code redismaster}) and {@code REDIS_TIMEOUT} (seconds,
     * default 1). See {@link Builder#url(String)} for the accepted forms.
     *
     * @throws ConfigException if the URL does not parse or names an invalid combination
     */
    public static StoreConfig fromUrl(String url) {
        return builder().url(url).build();
    }

    /**
     * The configuration in an LMCache YAML file (the one {@code LMCACHE_CONFIG_FILE} names). See
     * the class documentation for the keys read. Needs SnakeYAML ({@code org.yaml:snakeyaml}) on
     * the classpath.
     *
     * @throws ConfigException if the file is missing or unreadable, is not YAML, holds an invalid
     *     setting, or SnakeYAML is absent (the message says which dependency to add)
     */
    public static StoreConfig fromLmcacheYaml(Path file) {
        return LmcacheConfigReader.fromYaml(file, System.getenv());
    }

    /** {@link #fromEnvironment(Map)} of {@link System#getenv()}. */
    public static StoreConfig fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /**
     * The configuration LMCache would see in these environment variables: the YAML file named
     * by {@code LMCACHE_CONFIG_FILE}, if any, then {@code LMCACHE_REMOTE_URL},
     * {@code LMCACHE_CHUNK_SIZE}, {@code LMCACHE_BLOCKING_TIMEOUT_SECS},
     * {@code LMCACHE_REMOTE_SERDE} and {@code LMCACHE_EXTRA_CONFIG} (JSON), each replacing the
     * file's value of its key, as LMCache does (so {@code LMCACHE_EXTRA_CONFIG} replaces the
     * whole {@code extra_config}, it is not merged). {@code REDIS_SERVICE_NAME} and
     * {@code REDIS_TIMEOUT} are read from the same map.
     *
     * @throws ConfigException naming the variable or key that is invalid
     */
    public static StoreConfig fromEnvironment(Map<String, String> env) {
        return LmcacheConfigReader.fromEnvironment(env);
    }

    /**
     * The configuration in an LMCache configuration map (a parsed YAML file): see the class
     * documentation for the keys read. Other top-level keys are ignored.
     *
     * @throws ConfigException naming the key that is invalid
     */
    public static StoreConfig fromMap(Map<String, ?> lmcacheConfig) {
        return LmcacheConfigReader.fromMap(lmcacheConfig, System.getenv());
    }

    /** A builder holding this configuration's settings, including its URL, for variations. */
    public Builder toBuilder() {
        return new Builder(source);
    }

    /** How servers are reached. */
    public RedisMode mode() {
        return mode;
    }

    /**
     * The server (standalone), the seed nodes (cluster) or the sentinels (sentinel); empty when
     * {@link #unixSocket()} is set.
     */
    public List<HostAndPort> endpoints() {
        return endpoints;
    }

    /** The unix socket of a standalone server reached locally. */
    public Optional<Path> unixSocket() {
        return Optional.ofNullable(unixSocket);
    }

    /** The database number (standalone and sentinel; always 0 in cluster mode). Default 0. */
    public int database() {
        return database;
    }

    /**
     * The sentinel master name: set explicitly, else {@code REDIS_SERVICE_NAME}, else
     * {@code redismaster}. Used in sentinel mode only.
     */
    public String sentinelMasterName() {
        return sentinelMasterName;
    }

    /** The sentinel timeout: set explicitly, else {@code REDIS_TIMEOUT} seconds, else 1 s. */
    public Duration sentinelTimeout() {
        return sentinelTimeout;
    }

    /** Whether connections use TLS ({@code rediss://}, {@code use_tls}, {@code tls_enable}). */
    public boolean tls() {
        return tls;
    }

    /** How server certificates are checked when {@link #tls()}. Default {@link TlsVerify#FULL}. */
    public TlsVerify tlsVerify() {
        return tlsVerify;
    }

    /** A PEM file of trusted CA certificates, instead of the JVM's trust store. */
    public Optional<Path> tlsCaFile() {
        return Optional.ofNullable(tlsCaFile);
    }

    /** The client certificate (PEM) for mutual TLS; present exactly when the key is. */
    public Optional<Path> tlsCertFile() {
        return Optional.ofNullable(tlsCertFile);
    }

    /** The client private key (PEM) for mutual TLS; present exactly when the certificate is. */
    public Optional<Path> tlsKeyFile() {
        return Optional.ofNullable(tlsKeyFile);
    }

    /** The ACL user name, if any. */
    public Optional<String> username() {
        return Optional.ofNullable(username);
    }

    /** A fresh copy of the password, if any; the caller may clear it after use. */
    public Optional<char[]> password() {
        return password == null ? Optional.empty() : Optional.of(password.clone());
    }

    /**
     * How chunks map to Redis keys. Default {@link KeyLayout#LMCACHE}; {@link KeyLayout#SINGLE}
     * for {@code valkey://} and {@code resp://} URLs.
     */
    public KeyLayout keyLayout() {
        return keyLayout;
    }

    /**
     * A tenant namespace put before every key (without '@', whitespace or glob characters, so
     * that key names and SCAN patterns stay unambiguous).
     */
    public Optional<String> keyPrefix() {
        return Optional.ofNullable(keyPrefix);
    }

    /**
     * The object group id of {@link KeyLayout#MP} names (chunk keys without an
     * {@code object_group} tag), default 0, as LMCache writes for ordinary models since
     * 2026-06-09; empty for the older names without that field.
     */
    public OptionalInt mpObjectGroup() {
        return mpObjectGroup == null ? OptionalInt.empty() : OptionalInt.of(mpObjectGroup);
    }

    /** Tokens per chunk, LMCache's top-level {@code chunk_size}. Default 256. */
    public int chunkSizeTokens() {
        return chunkSizeTokens;
    }

    /**
     * LMCache's {@code pre_caching_hash_algorithm}: how the deployment hashes prompts into chunk
     * keys; empty when not configured (LMCache's default for the profile then applies: builtin
     * in-process, blake3 for the multiprocess server).
     */
    public Optional<HashAlgorithm> hashAlgorithm() {
        return Optional.ofNullable(hashAlgorithm);
    }

    /**
     * LMCache's {@code save_unfull_chunk}: whether a prompt's trailing partial chunk is stored
     * (in-process mode only). Default false, LMCache's default since 2025-12.
     */
    public boolean saveUnfullChunk() {
        return saveUnfullChunk;
    }

    /** How long one command may take before it fails. Default 10 s. */
    public Duration requestTimeout() {
        return requestTimeout;
    }

    /** How long connecting may take. Default 10 s. */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** The bound on bytes in flight; callers beyond it wait. Default 1 GiB, at least 1 MiB. */
    public long maxInflightBytes() {
        return maxInflightBytes;
    }

    /** A sub-batch is cut when it reaches this many keys. Default 256. */
    public int maxKeysPerCommand() {
        return maxKeysPerCommand;
    }

    /**
     * A sub-batch is cut when it reaches this many bytes (a single larger chunk still goes
     * alone). Default 64 MiB.
     */
    public long maxBytesPerCommand() {
        return maxBytesPerCommand;
    }

    /**
     * The number of batches executing at once (each holds its slot until its replies are in);
     * more wait, by priority. A call of fewer than 64 chunks (a write: fewer than 64 chunks and
     * 256 KiB) takes a proportional share of a slot, so up to 64 x workers single-chunk calls run
     * at once and share round trips. Calls are
     * asynchronous: a slot costs no thread. LMCache's {@code num_workers} maps here. Default 4.
     */
    public int workers() {
        return workers;
    }

    /** The expiry of written keys in seconds; 0 means none. Default 0. */
    public long ttlSeconds() {
        return ttlSeconds;
    }

    /** Whether a hit renews the expiry (when {@link #ttlSeconds()} is not 0). Default true. */
    public boolean ttlRefreshOnHit() {
        return ttlRefreshOnHit;
    }

    /** How often the cluster topology is refreshed; zero disables it. Default 30 s. */
    public Duration topologyRefreshPeriod() {
        return topologyRefreshPeriod;
    }

    /** The shape of a full chunk for the raw layouts (1 to 4 dimensions, e.g. [2, 32, 256, 1024]). */
    public Optional<List<Integer>> singleChunkShape() {
        return Optional.ofNullable(singleChunkShape);
    }

    /** The dtype of a chunk for the raw layouts (e.g. {@code bfloat16}), lowercase. */
    public Optional<String> singleChunkDtype() {
        return Optional.ofNullable(singleChunkDtype);
    }

    /** The memory format code of a chunk for the raw layouts. Default 1 (KV_2LTD). */
    public int singleChunkFmt() {
        return singleChunkFmt;
    }

    /**
     * Whether the store's stats are published to Micrometer's global registry when the store opens
     * (Micrometer must be on the classpath; otherwise a warning). Default false; {@code stats()} and
     * {@code MicrometerBinder} work either way.
     */
    public boolean metricsEnabled() {
        return metricsEnabled;
    }

    /**
     * The connection URL with the password replaced by {@code ***}: the URL given, normalized,
     * with extra_config and builder settings applied. For unix sockets it carries no credentials.
     */
    public String redactedUrl() {
        return redactedUrl;
    }

    /** Equal when every setting is equal (the password compared by content). */
    @Override
    public boolean equals(@Nullable Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof StoreConfig c)) {
            return false;
        }
        return database == c.database && tls == c.tls && chunkSizeTokens == c.chunkSizeTokens
                && hashAlgorithm == c.hashAlgorithm && saveUnfullChunk == c.saveUnfullChunk
                && maxInflightBytes == c.maxInflightBytes && maxKeysPerCommand == c.maxKeysPerCommand
                && maxBytesPerCommand == c.maxBytesPerCommand && workers == c.workers && ttlSeconds == c.ttlSeconds
                && ttlRefreshOnHit == c.ttlRefreshOnHit && singleChunkFmt == c.singleChunkFmt
                && metricsEnabled == c.metricsEnabled && mode == c.mode && tlsVerify == c.tlsVerify
                && keyLayout == c.keyLayout && Objects.equals(scheme, c.scheme)
                && endpoints.equals(c.endpoints) && Objects.equals(unixSocket, c.unixSocket)
                && sentinelMasterName.equals(c.sentinelMasterName) && sentinelTimeout.equals(c.sentinelTimeout)
                && Objects.equals(tlsCaFile, c.tlsCaFile) && Objects.equals(tlsCertFile, c.tlsCertFile)
                && Objects.equals(tlsKeyFile, c.tlsKeyFile) && Objects.equals(username, c.username)
                && Arrays.equals(password, c.password) && Objects.equals(keyPrefix, c.keyPrefix)
                && Objects.equals(mpObjectGroup, c.mpObjectGroup)
                && requestTimeout.equals(c.requestTimeout) && connectTimeout.equals(c.connectTimeout)
                && topologyRefreshPeriod.equals(c.topologyRefreshPeriod)
                && Objects.equals(singleChunkShape, c.singleChunkShape)
                && Objects.equals(singleChunkDtype, c.singleChunkDtype);
    }

    @Override
    public int hashCode() {
        return Objects.hash(mode, endpoints, unixSocket, database, tls, keyLayout, keyPrefix, chunkSizeTokens,
                workers, username);
    }

    /** Every setting; the password only as {@code ***}, never its value or length. */
    @Override
    public String toString() {
        return "StoreConfig{url=" + redactedUrl
                + ", mode=" + mode.configName()
                + ", endpoints=" + endpoints
                + ", unixSocket=" + orNone(unixSocket)
                + ", database=" + database
                + ", sentinelMasterName=" + sentinelMasterName
                + ", sentinelTimeout=" + sentinelTimeout
                + ", tls=" + tls
                + ", tlsVerify=" + tlsVerify.configName()
                + ", tlsCaFile=" + orNone(tlsCaFile)
                + ", tlsCertFile=" + orNone(tlsCertFile)
                + ", tlsKeyFile=" + orNone(tlsKeyFile)
                + ", username=" + orNone(username)
                + ", password=" + (password == null ? "none" : "***")
                + ", keyLayout=" + keyLayout.configName()
                + ", keyPrefix=" + orNone(keyPrefix)
                + ", mpObjectGroup=" + (mpObjectGroup == null ? "none" : mpObjectGroup)
                + ", chunkSizeTokens=" + chunkSizeTokens
                + ", hashAlgorithm=" + (hashAlgorithm == null ? "default" : hashAlgorithm.configName())
                + ", saveUnfullChunk=" + saveUnfullChunk
                + ", requestTimeout=" + requestTimeout
                + ", connectTimeout=" + connectTimeout
                + ", maxInflightBytes=" + maxInflightBytes
                + ", maxKeysPerCommand=" + maxKeysPerCommand
                + ", maxBytesPerCommand=" + maxBytesPerCommand
                + ", workers=" + workers
                + ", ttlSeconds=" + ttlSeconds
                + ", ttlRefreshOnHit=" + ttlRefreshOnHit
                + ", topologyRefreshPeriod=" + topologyRefreshPeriod
                + ", singleChunkShape=" + orNone(singleChunkShape)
                + ", singleChunkDtype=" + orNone(singleChunkDtype)
                + ", singleChunkFmt=" + singleChunkFmt
                + ", metricsEnabled=" + metricsEnabled
                + "}";
    }

    private static String orNone(Object o) {
        return o == null ? "none" : o.toString();
    }

    private static ConfigException invalid(String setting, Object value, String accepted) {
        return new ConfigException(setting + ": " + value + " is invalid; accepted: " + accepted);
    }

    /**
     * Builds a {@link StoreConfig}. Each setter checks its own value at once (throwing
     * {@link ConfigException} naming the setting and the accepted values); {@link #build()} checks
     * the combination. Not thread-safe. Values given by {@link #url(String)} are defaults that
     * explicit settings override, in whatever order they are given; passing {@code null} to a
     * setter of an optional setting clears it.
     */
    public static final class Builder {
        private RedisUrl url;
        private Map<String, String> environment;
        private RedisMode mode;
        private List<HostAndPort> endpoints;
        private Path unixSocket;
        private Integer database;
        private String sentinelMasterName;
        private Duration sentinelTimeout;
        private Boolean tls;
        private TlsVerify tlsVerify;
        private Path tlsCaFile;
        private Path tlsCertFile;
        private Path tlsKeyFile;
        private String username;
        private char[] password;
        private KeyLayout keyLayout;
        private String keyPrefix;
        private Integer mpObjectGroup = 0;
        private int chunkSizeTokens = 256;
        private @Nullable HashAlgorithm hashAlgorithm;
        private boolean saveUnfullChunk;
        private Duration requestTimeout = Duration.ofSeconds(10);
        private Duration connectTimeout = Duration.ofSeconds(10);
        private long maxInflightBytes = 1024 * MIB;
        private int maxKeysPerCommand = 256;
        /** Null: the smaller of 64 MiB and the in-flight budget. */
        private Long maxBytesPerCommand;
        private int workers = DEFAULT_WORKERS;
        private long ttlSeconds;
        private boolean ttlRefreshOnHit = true;
        private Duration topologyRefreshPeriod = Duration.ofSeconds(30);
        private List<Integer> singleChunkShape;
        private String singleChunkDtype;
        private int singleChunkFmt = 1;
        private boolean metricsEnabled;

        private Builder() {
        }

        private Builder(Builder o) {
            url = o.url;
            environment = o.environment;
            mode = o.mode;
            endpoints = o.endpoints;
            unixSocket = o.unixSocket;
            database = o.database;
            sentinelMasterName = o.sentinelMasterName;
            sentinelTimeout = o.sentinelTimeout;
            tls = o.tls;
            tlsVerify = o.tlsVerify;
            tlsCaFile = o.tlsCaFile;
            tlsCertFile = o.tlsCertFile;
            tlsKeyFile = o.tlsKeyFile;
            username = o.username;
            password = o.password == null ? null : o.password.clone();
            keyLayout = o.keyLayout;
            keyPrefix = o.keyPrefix;
            mpObjectGroup = o.mpObjectGroup;
            chunkSizeTokens = o.chunkSizeTokens;
            hashAlgorithm = o.hashAlgorithm;
            saveUnfullChunk = o.saveUnfullChunk;
            requestTimeout = o.requestTimeout;
            connectTimeout = o.connectTimeout;
            maxInflightBytes = o.maxInflightBytes;
            maxKeysPerCommand = o.maxKeysPerCommand;
            maxBytesPerCommand = o.maxBytesPerCommand;
            workers = o.workers;
            ttlSeconds = o.ttlSeconds;
            ttlRefreshOnHit = o.ttlRefreshOnHit;
            topologyRefreshPeriod = o.topologyRefreshPeriod;
            singleChunkShape = o.singleChunkShape;
            singleChunkDtype = o.singleChunkDtype;
            singleChunkFmt = o.singleChunkFmt;
            metricsEnabled = o.metricsEnabled;
        }

        /**
         * Takes endpoints or socket, TLS, credentials, database, mode and key layout from a URL,
         * as defaults under any explicit setting. Forms (scheme case-insensitive):
         * {@code redis://[user:password@]host[:port][/db]}, {@code rediss://...} (TLS),
         * {@code unix:///path/to.sock[?db=N]}, {@code redis-cluster://h1:p1,h2:p2},
         * {@code redis-sentinel://h1:p1,h2:p2}, {@code valkey://h:p[,h2:p2]} (layout single;
         * cluster if several hosts), {@code resp://h:p} (layout single). Credentials are
         * percent-decoded; a raw '@' in a password is read up to the last '@'. Default port
         * 6379, 26379 for sentinels; IPv6 in brackets ({@code [::1]:6379}).
         *
         * @throws ConfigException if the URL does not parse; the message lists the accepted forms
         *     and shows the URL with its password redacted
         */
        public Builder url(String url) {
            this.url = RedisUrl.parse(url);
            return this;
        }

        /**
         * The environment variables consulted at {@link #build()} for {@code REDIS_SERVICE_NAME}
         * and {@code REDIS_TIMEOUT} (sentinel master name and timeout) when those are not set
         * explicitly. Default {@link System#getenv()}.
         */
        public Builder environment(@Nullable Map<String, String> env) {
            this.environment = env == null ? null : Map.of(
                    "REDIS_SERVICE_NAME", env.getOrDefault("REDIS_SERVICE_NAME", ""),
                    "REDIS_TIMEOUT", env.getOrDefault("REDIS_TIMEOUT", ""));
            return this;
        }

        /** The mode, overriding what the URL implies; {@code null} to follow the URL. */
        public Builder mode(@Nullable RedisMode mode) {
            this.mode = mode;
            return this;
        }

        /**
         * The server, cluster seed nodes or sentinels, overriding the URL's; {@code null} to
         * follow the URL.
         *
         * @throws ConfigException if the list is empty or holds null
         */
        public Builder endpoints(@Nullable List<HostAndPort> endpoints) {
            if (endpoints != null && (endpoints.isEmpty() || endpoints.stream().anyMatch(Objects::isNull))) {
                throw invalid("endpoints", endpoints, "one or more host:port addresses, none null");
            }
            this.endpoints = endpoints == null ? null : List.copyOf(endpoints);
            return this;
        }

        /** {@link #endpoints(List)} of the given addresses. */
        public Builder endpoints(HostAndPort @Nullable ... endpoints) {
            return endpoints(endpoints == null ? null : Arrays.asList(endpoints));
        }

        /** A unix socket of a standalone server, overriding the URL's; {@code null} to follow the URL. */
        public Builder unixSocket(@Nullable Path socket) {
            this.unixSocket = socket;
            return this;
        }

        /**
         * The database number, overriding the URL's.
         *
         * @throws ConfigException if negative
         */
        public Builder database(int database) {
            if (database < 0) {
                throw invalid("database", database, "an integer >= 0 (0..15 with the server's default settings)");
            }
            this.database = database;
            return this;
        }

        /**
         * The sentinel master name, overriding {@code REDIS_SERVICE_NAME}; {@code null} for the
         * environment's or the default {@code redismaster}.
         *
         * @throws ConfigException if blank
         */
        public Builder sentinelMasterName(@Nullable String name) {
            if (name != null && name.isBlank()) {
                throw invalid("sentinelMasterName", "'" + name + "'", "a non-blank master name");
            }
            this.sentinelMasterName = name == null ? null : name.trim();
            return this;
        }

        /**
         * The sentinel timeout, overriding {@code REDIS_TIMEOUT}; {@code null} for the
         * environment's or the default 1 s.
         *
         * @throws ConfigException if not positive
         */
        public Builder sentinelTimeout(@Nullable Duration timeout) {
            if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
                throw invalid("sentinelTimeout", timeout, "a positive duration");
            }
            this.sentinelTimeout = timeout;
            return this;
        }

        /** Whether to use TLS, overriding the URL's scheme. */
        public Builder tls(boolean tls) {
            this.tls = tls;
            return this;
        }

        /**
         * How server certificates are checked; {@code null} for the default {@link TlsVerify#FULL}.
         * Only valid with TLS on.
         */
        public Builder tlsVerify(@Nullable TlsVerify verify) {
            this.tlsVerify = verify;
            return this;
        }

        /** A PEM file of trusted CAs; must be readable at {@link #build()}. Only valid with TLS on. */
        public Builder tlsCaFile(@Nullable Path file) {
            this.tlsCaFile = file;
            return this;
        }

        /** The client certificate (PEM) for mutual TLS; needs {@link #tlsKeyFile(Path)} too. */
        public Builder tlsCertFile(@Nullable Path file) {
            this.tlsCertFile = file;
            return this;
        }

        /** The client private key (PEM) for mutual TLS; needs {@link #tlsCertFile(Path)} too. */
        public Builder tlsKeyFile(@Nullable Path file) {
            this.tlsKeyFile = file;
            return this;
        }

        /** The ACL user name, overriding the URL's; {@code null} or empty to follow the URL. */
        public Builder username(@Nullable String username) {
            this.username = username == null || username.isEmpty() ? null : username;
            return this;
        }

        /**
         * The password, overriding the URL's; {@code null} or empty to follow the URL. The array
         * is copied: the caller may clear its own.
         */
        public Builder password(char @Nullable [] password) {
            this.password = password == null || password.length == 0 ? null : password.clone();
            return this;
        }

        /** {@link #password(char[])} of a string. */
        public Builder password(@Nullable String password) {
            return password(password == null ? null : password.toCharArray());
        }

        /** The key layout, overriding what the URL implies; {@code null} to follow the URL. */
        public Builder keyLayout(@Nullable KeyLayout layout) {
            this.keyLayout = layout;
            return this;
        }

        /**
         * A tenant namespace put before every key; {@code null} for none.
         *
         * @throws ConfigException if empty or holding '@', whitespace or a glob character
         *     ({@code * ? [ ] \ { }}), which would make keys or SCAN patterns ambiguous
         */
        public Builder keyPrefix(@Nullable String prefix) {
            if (prefix != null) {
                boolean bad = prefix.isEmpty();
                for (int i = 0; i < prefix.length() && !bad; i++) {
                    char c = prefix.charAt(i);
                    bad = KEY_PREFIX_FORBIDDEN.indexOf(c) >= 0 || Character.isWhitespace(c) || Character.isISOControl(c);
                }
                if (bad) {
                    throw invalid("keyPrefix", "'" + prefix + "'",
                            "a non-empty string without '@', whitespace or glob characters * ? [ ] \\ { }");
                }
            }
            this.keyPrefix = prefix;
            return this;
        }

        /**
         * The object group id {@link KeyLayout#MP} names carry (default 0, LMCache since
         * 2026-06-09); {@code null} for the older names without that field.
         *
         * @throws ConfigException if negative
         */
        public Builder mpObjectGroup(Integer groupOrNull) {
            if (groupOrNull != null && groupOrNull < 0) {
                throw invalid("mpObjectGroup", String.valueOf(groupOrNull),
                        "an object group id >= 0, or none (names before LMCache 2026-06-09)");
            }
            this.mpObjectGroup = groupOrNull;
            return this;
        }

        /**
         * Tokens per chunk (LMCache's top-level {@code chunk_size}).
         *
         * @throws ConfigException if not positive
         */
        public Builder chunkSizeTokens(int tokens) {
            if (tokens < 1) {
                throw invalid("chunkSizeTokens", tokens, "an integer >= 1 (LMCache's default is 256)");
            }
            this.chunkSizeTokens = tokens;
            return this;
        }

        /** LMCache's {@code pre_caching_hash_algorithm}; {@code null} for the profile's default. */
        public Builder hashAlgorithm(@Nullable HashAlgorithm algorithm) {
            this.hashAlgorithm = algorithm;
            return this;
        }

        /** LMCache's {@code save_unfull_chunk} (default false). */
        public Builder saveUnfullChunk(boolean save) {
            this.saveUnfullChunk = save;
            return this;
        }

        /**
         * How long one command may take.
         *
         * @throws ConfigException if null or not positive
         */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = positive("requestTimeout", timeout);
            return this;
        }

        /**
         * How long connecting may take.
         *
         * @throws ConfigException if null or not positive
         */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive("connectTimeout", timeout);
            return this;
        }

        /**
         * The bound on bytes in flight.
         *
         * @throws ConfigException if below 1 MiB
         */
        public Builder maxInflightBytes(long bytes) {
            if (bytes < MIB) {
                throw invalid("maxInflightBytes", bytes, "at least 1048576 (1 MiB), e.g. 1073741824 or 1g");
            }
            this.maxInflightBytes = bytes;
            return this;
        }

        /**
         * The most keys in one sub-batch.
         *
         * @throws ConfigException if not positive
         */
        public Builder maxKeysPerCommand(int keys) {
            if (keys < 1) {
                throw invalid("maxKeysPerCommand", keys, "an integer >= 1 (default 256)");
            }
            this.maxKeysPerCommand = keys;
            return this;
        }

        /**
         * The most bytes in one sub-batch (a larger chunk still goes alone).
         *
         * @throws ConfigException if not positive
         */
        public Builder maxBytesPerCommand(long bytes) {
            if (bytes < 1) {
                throw invalid("maxBytesPerCommand", bytes,
                        "an integer >= 1 (default: 67108864, 64 MiB, or max_inflight_bytes if smaller)");
            }
            this.maxBytesPerCommand = bytes;
            return this;
        }

        /**
         * The number of jobs executing at once.
         *
         * @throws ConfigException if not positive
         */
        public Builder workers(int workers) {
            if (workers < 1) {
                throw invalid("workers", workers, "an integer >= 1 (default " + DEFAULT_WORKERS + ")");
            }
            this.workers = workers;
            return this;
        }

        /**
         * The expiry of written keys; 0 for none.
         *
         * @throws ConfigException if negative
         */
        public Builder ttlSeconds(long seconds) {
            if (seconds < 0) {
                throw invalid("ttlSeconds", seconds, "an integer >= 0 (0 means no expiry)");
            }
            this.ttlSeconds = seconds;
            return this;
        }

        /** Whether a hit renews the expiry. */
        public Builder ttlRefreshOnHit(boolean refresh) {
            this.ttlRefreshOnHit = refresh;
            return this;
        }

        /**
         * How often the cluster topology is refreshed; zero to disable.
         *
         * @throws ConfigException if null or negative
         */
        public Builder topologyRefreshPeriod(Duration period) {
            if (period == null || period.isNegative()) {
                throw invalid("topologyRefreshPeriod", period, "a duration >= 0 (0 disables periodic refresh)");
            }
            this.topologyRefreshPeriod = period;
            return this;
        }

        /**
         * The shape of a full chunk for the raw layouts; {@code null} for none.
         *
         * @throws ConfigException unless 1 to 4 dimensions, each >= 1
         */
        public Builder singleChunkShape(@Nullable List<Integer> shape) {
            if (shape != null && (shape.isEmpty() || shape.size() > 4
                    || shape.stream().anyMatch(d -> d == null || d < 1))) {
                throw invalid("singleChunkShape", shape, "1 to 4 dimensions, each an integer >= 1, e.g. [2, 32, 256, 1024]");
            }
            this.singleChunkShape = shape == null ? null : List.copyOf(shape);
            return this;
        }

        /**
         * The dtype of a chunk for the raw layouts (case-insensitive, a {@code torch.} prefix
         * allowed); {@code null} for none.
         *
         * @throws ConfigException if not a dtype LMCache writes
         */
        public Builder singleChunkDtype(@Nullable String dtype) {
            String d = dtype == null ? null : dtype.trim().toLowerCase(Locale.ROOT);
            if (d != null && d.startsWith("torch.")) {
                d = d.substring("torch.".length());
            }
            if (d != null && !DTYPES.contains(d)) {
                throw invalid("singleChunkDtype", "'" + dtype + "'",
                        DTYPES.stream().sorted().collect(Collectors.joining(", ")));
            }
            this.singleChunkDtype = d;
            return this;
        }

        /**
         * The memory format code for the raw layouts (1 is KV_2LTD).
         *
         * @throws ConfigException if negative
         */
        public Builder singleChunkFmt(int fmt) {
            if (fmt < 0) {
                throw invalid("singleChunkFmt", fmt, "an integer >= 0 (1 is KV_2LTD, the usual format)");
            }
            this.singleChunkFmt = fmt;
            return this;
        }

        /** Whether metrics are published. */
        public Builder metricsEnabled(boolean enabled) {
            this.metricsEnabled = enabled;
            return this;
        }

        /**
         * The configuration. Logs a WARN when TLS certificates are not verified.
         *
         * @throws ConfigException if no server is given or settings contradict each other (for
         *     example several endpoints in standalone mode, a database other than 0 in cluster
         *     mode, TLS files without TLS, a client certificate without its key, an unreadable
         *     TLS file)
         */
        public StoreConfig build() {
            return new StoreConfig(this);
        }

        private static Duration positive(String setting, Duration d) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw invalid(setting, d, "a positive duration");
            }
            return d;
        }
    }
}
