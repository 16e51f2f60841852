package dev.lmcache.redis;

import dev.lmcache.redis.config.LmcacheConfigReader;
import dev.lmcache.redis.config.RedisUrl;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
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
 * <p>The settings come in groups, each an immutable value with its defaults as public
 * {@code DEFAULT_*} constants: {@link #tlsOptions()} ({@link TlsOptions}), {@link #credentials()}
 * ({@link Credentials}), {@link #limits()} ({@link Limits}), {@link #expiry()} ({@link Expiry})
 * and the raw-layout chunk geometry {@link #rawChunk()}. The flat accessors ({@link #tls()},
 * {@link #workers()}, ...) and builder setters are shortcuts into them.
 *
 * <h2>LMCache settings read</h2>
 * Top level: {@code remote_url}, {@code chunk_size} (tokens per chunk, default
 * {@value #DEFAULT_CHUNK_SIZE_TOKENS}), {@code pre_caching_hash_algorithm} and
 * {@code save_unfull_chunk} (how prompts are hashed into chunk keys, for
 * {@link TokenHasher#forConfig}), {@code blocking_timeout_secs} (the request timeout, default
 * {@value #DEFAULT_REQUEST_TIMEOUT_SECONDS}), {@code remote_serde} (only
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
 *   <tr><td>{@code mp_object_group}</td><td>{@link #mpObjectGroup()}: an id (default
 *       {@value #DEFAULT_MP_OBJECT_GROUP}), or {@code none} for names of LMCache before 2026-06-09</td></tr>
 *   <tr><td>{@code max_inflight_bytes}</td><td>{@link #maxInflightBytes()}; a size in
 *       {@link ByteSize}'s grammar: {@code 1073741824}, {@code 1g}, {@code 512mb}, {@code 64MiB}
 *       (k, m, g, t are all binary units)</td></tr>
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
 * the geometry set ({@link #rawChunk()}), only chunks of exactly that size are stored and read
 * back with that metadata; a value of another size is a miss.
 */
public final class StoreConfig {
    /** Default of {@link #workers()}; the same as {@link Limits#DEFAULT_WORKERS}. */
    public static final int DEFAULT_WORKERS = Limits.DEFAULT_WORKERS;
    /** Default of {@link #mpObjectGroup()}: what LMCache writes for ordinary models since 2026-06-09. */
    public static final int DEFAULT_MP_OBJECT_GROUP = KeyNaming.DEFAULT_MP_OBJECT_GROUP;
    /** Default of {@link #chunkSizeTokens()}, LMCache's default {@code chunk_size}. */
    public static final int DEFAULT_CHUNK_SIZE_TOKENS = 256;
    /** Default of {@link #requestTimeout()} in seconds, LMCache's default {@code blocking_timeout_secs}. */
    public static final int DEFAULT_REQUEST_TIMEOUT_SECONDS = 10;
    /** Default of {@link #connectTimeout()} in seconds. */
    public static final int DEFAULT_CONNECT_TIMEOUT_SECONDS = 10;
    /** Default of {@link #topologyRefreshPeriod()} in seconds. */
    public static final int DEFAULT_TOPOLOGY_REFRESH_SECONDS = 30;
    /** Default of {@link #sentinelMasterName()} when {@code REDIS_SERVICE_NAME} is not set, as in LMCache. */
    public static final String DEFAULT_SENTINEL_MASTER = "redismaster";
    /** Default of {@link #sentinelTimeout()} in seconds when {@code REDIS_TIMEOUT} is not set, as in LMCache. */
    public static final int DEFAULT_SENTINEL_TIMEOUT_SECONDS = 1;
    /** The dtype of {@link #rawChunk()} when {@code single_chunk_dtype} is not set. */
    public static final String DEFAULT_SINGLE_CHUNK_DTYPE = "bfloat16";
    /** Default of {@link #singleChunkFmt()}: 1, {@code KV_2LTD}. */
    public static final int DEFAULT_SINGLE_CHUNK_FMT = 1;

    private static final Logger LOG = LoggerFactory.getLogger(StoreConfig.class);

    private static final String KEY_PREFIX_FORBIDDEN = "@*?[]\\{}";

    private final Builder source;
    private final @Nullable String scheme;
    private final RedisMode mode;
    private final List<HostAndPort> endpoints;
    private final @Nullable Path unixSocket;
    private final int database;
    private final String sentinelMasterName;
    private final Duration sentinelTimeout;
    private final TlsOptions tlsOptions;
    private final Credentials credentials;
    private final KeyLayout keyLayout;
    private final @Nullable String keyPrefix;
    private final @Nullable Integer mpObjectGroup;
    private final int chunkSizeTokens;
    private final @Nullable HashAlgorithm hashAlgorithm;
    private final boolean saveUnfullChunk;
    private final Duration requestTimeout;
    private final Duration connectTimeout;
    private final Limits limits;
    private final Expiry expiry;
    private final Duration topologyRefreshPeriod;
    private final @Nullable List<Integer> singleChunkShape;
    private final @Nullable String singleChunkDtype;
    private final int singleChunkFmt;
    private final @Nullable ChunkMetadata rawChunk;
    private final boolean metricsEnabled;
    private final String redactedUrl;

    private StoreConfig(Builder b) {
        this.source = b.copy();
        RedisUrl url = b.url;
        Where where = where(b);
        this.scheme = where.scheme();
        this.mode = where.mode();
        this.endpoints = where.endpoints();
        this.unixSocket = where.unixSocket();
        this.database = where.database();

        Map<String, String> env = b.environment != null ? b.environment : System.getenv();
        String envMaster = env.get("REDIS_SERVICE_NAME");
        this.sentinelMasterName = b.sentinelMasterName != null ? b.sentinelMasterName
                : envMaster != null && !envMaster.isBlank() ? envMaster.trim() : DEFAULT_SENTINEL_MASTER;
        this.sentinelTimeout = b.sentinelTimeout != null ? b.sentinelTimeout
                : mode == RedisMode.SENTINEL ? envTimeout(env.get("REDIS_TIMEOUT"))
                : Duration.ofSeconds(DEFAULT_SENTINEL_TIMEOUT_SECONDS);

        boolean tls = b.tls != null ? b.tls : url != null && url.tls();
        if (tls && unixSocket != null) {
            throw new ConfigException("tls: true is invalid with a unix socket (" + unixSocket
                    + "); accepted: tls false for unix://, or a host:port endpoint for TLS");
        }
        this.tlsOptions = TlsOptions.resolve(tls, b.tlsVerify, b.tlsCaFile, b.tlsCertFile, b.tlsKeyFile);

        this.credentials = Credentials.of(b.username != null ? b.username : url != null ? url.username().orElse(null) : null,
                b.password != null ? b.password : url != null ? url.password().orElse(null) : null);

        this.keyLayout = b.keyLayout != null ? b.keyLayout : url != null ? url.impliedLayout() : KeyLayout.LMCACHE;
        this.keyPrefix = b.keyPrefix;
        this.mpObjectGroup = b.mpObjectGroup;
        this.chunkSizeTokens = b.chunkSizeTokens;
        this.hashAlgorithm = b.hashAlgorithm;
        this.saveUnfullChunk = b.saveUnfullChunk;
        this.requestTimeout = b.requestTimeout;
        this.connectTimeout = b.connectTimeout;
        // unless set explicitly, a command never exceeds the in-flight budget
        this.limits = new Limits(b.workers, b.maxInflightBytes, b.maxKeysPerCommand, b.maxBytesPerCommand != null
                ? b.maxBytesPerCommand : Math.min(Limits.DEFAULT_MAX_BYTES_PER_COMMAND, b.maxInflightBytes));
        this.expiry = new Expiry(b.ttlSeconds, b.ttlRefreshOnHit);
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
        this.rawChunk = keyLayout.hasMetadataKey() ? null : rawChunk(singleChunkShape, singleChunkDtype, singleChunkFmt);
        this.metricsEnabled = b.metricsEnabled;
        this.redactedUrl = buildRedactedUrl();

        if (tls && tlsOptions.verify() == TlsVerify.NONE) {
            LOG.warn("tls_verify=none: server certificates are NOT verified ({})", redactedUrl);
        }
    }

    /** Where the servers are, from the explicit settings or else the URL, checked together. */
    private record Where(@Nullable String scheme, RedisMode mode, List<HostAndPort> endpoints, @Nullable Path unixSocket,
                         int database) {
    }

    private static Where where(Builder b) {
        RedisUrl url = b.url;
        List<HostAndPort> endpoints;
        Path unixSocket;
        // explicit endpoints or socket win over the URL's
        if (b.endpoints != null && b.unixSocket != null) {
            throw new ConfigException("endpoints and unixSocket are both set; accepted: one of them");
        }
        if (b.endpoints != null || b.unixSocket != null) {
            endpoints = b.endpoints == null ? List.of() : b.endpoints;
            unixSocket = b.unixSocket;
        } else if (url != null) {
            endpoints = url.endpoints();
            unixSocket = url.unixSocket().orElse(null);
        } else {
            throw new ConfigException("no server is configured: remote_url is not set; accepted: a URL such as"
                    + " redis://host:port, with scheme " + RedisUrl.schemeList()
                    + " (or Builder.endpoints / Builder.unixSocket)");
        }
        RedisMode mode = b.mode != null ? b.mode : url != null ? url.impliedMode() : RedisMode.STANDALONE;
        if (unixSocket != null && mode != RedisMode.STANDALONE) {
            throw new ConfigException("mode " + mode.configName() + " cannot use a unix socket ("
                    + unixSocket + "); accepted: mode standalone with a unix socket, or host:port endpoints");
        }
        if (mode == RedisMode.STANDALONE && endpoints.size() > 1) {
            throw new ConfigException("mode standalone takes one endpoint, got " + endpoints.size() + " ("
                    + joinEndpoints(endpoints) + "); accepted: one host, or mode cluster (redis-cluster://,"
                    + " redis_mode/valkey_mode: cluster) or sentinel (redis-sentinel://) for several");
        }

        int database = b.database != null ? b.database
                : url != null && url.database().isPresent() ? url.database().getAsInt() : 0;
        if (mode == RedisMode.CLUSTER && database != 0) {
            throw new ConfigException("database: " + database + " is invalid in mode cluster (Redis Cluster has"
                    + " only database 0); accepted: 0, or mode standalone/sentinel for other databases");
        }
        return new Where(url != null ? url.scheme() : null, mode, endpoints, unixSocket, database);
    }

    /** The header of a raw value of the configured geometry; null without a shape. */
    private static @Nullable ChunkMetadata rawChunk(@Nullable List<Integer> shape, @Nullable String dtype, int fmt) {
        if (shape == null) {
            return null;
        }
        ChunkMetadata.TensorGroup g = ChunkMetadata.TensorGroup.of(
                KvDtype.fromName(dtype != null ? dtype : DEFAULT_SINGLE_CHUNK_DTYPE),
                shape.stream().mapToInt(Integer::intValue).toArray());
        long len = g.byteSize();
        if (len > Integer.MAX_VALUE) {
            throw new ConfigException("singleChunkShape (single_chunk_shape) " + shape + " gives " + len
                    + " bytes, more than a chunk can hold; accepted: a shape of at most " + Integer.MAX_VALUE + " bytes");
        }
        return ChunkMetadata.of((int) len, fmt, List.of(g));
    }

    private static Duration envTimeout(@Nullable String text) {
        if (text == null || text.isBlank()) {
            return Duration.ofSeconds(DEFAULT_SENTINEL_TIMEOUT_SECONDS);
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
                : tls() ? "rediss" : "redis";
        return RedisUrl.format(s, endpoints, unixSocket, credentials.username().orElse(null), credentials.hasPassword(),
                database);
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
     * {@code REDIS_SERVICE_NAME} (default {@value #DEFAULT_SENTINEL_MASTER}) and {@code REDIS_TIMEOUT}
     * (seconds, default {@value #DEFAULT_SENTINEL_TIMEOUT_SECONDS}). See {@link Builder#url(String)}
     * for the accepted forms.
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
        return source.copy();
    }

    // ------------------------------------------------------------------ where the servers are

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
     * {@value #DEFAULT_SENTINEL_MASTER}. Used in sentinel mode only.
     */
    public String sentinelMasterName() {
        return sentinelMasterName;
    }

    /**
     * The sentinel timeout: set explicitly, else {@code REDIS_TIMEOUT} seconds, else
     * {@value #DEFAULT_SENTINEL_TIMEOUT_SECONDS} s.
     */
    public Duration sentinelTimeout() {
        return sentinelTimeout;
    }

    /**
     * The connection URL with the password replaced by {@code ***}: the URL given, normalized,
     * with extra_config and builder settings applied. For unix sockets it carries no credentials.
     */
    public String redactedUrl() {
        return redactedUrl;
    }

    // ------------------------------------------------------------------ TLS and credentials

    /** The TLS settings, checked together. */
    public TlsOptions tlsOptions() {
        return tlsOptions;
    }

    /** Whether connections use TLS ({@code rediss://}, {@code use_tls}, {@code tls_enable}). */
    public boolean tls() {
        return tlsOptions.enabled();
    }

    /** How server certificates are checked when {@link #tls()}. Default {@link TlsOptions#DEFAULT_VERIFY}. */
    public TlsVerify tlsVerify() {
        return tlsOptions.verify();
    }

    /** A PEM file of trusted CA certificates, instead of the JVM's trust store. */
    public Optional<Path> tlsCaFile() {
        return tlsOptions.caFile();
    }

    /** The client certificate (PEM) for mutual TLS; present exactly when the key is. */
    public Optional<Path> tlsCertFile() {
        return tlsOptions.certFile();
    }

    /** The client private key (PEM) for mutual TLS; present exactly when the certificate is. */
    public Optional<Path> tlsKeyFile() {
        return tlsOptions.keyFile();
    }

    /** The user name and password (never shown by {@code toString}). */
    public Credentials credentials() {
        return credentials;
    }

    /** The ACL user name, if any. */
    public Optional<String> username() {
        return credentials.username();
    }

    /** A fresh copy of the password, if any; the caller may clear it after use. */
    public Optional<char[]> password() {
        return credentials.password();
    }

    // ------------------------------------------------------------------ keys and chunks

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
     * {@code object_group} tag), default {@value #DEFAULT_MP_OBJECT_GROUP}, as LMCache writes for
     * ordinary models since 2026-06-09; empty for the older names without that field.
     */
    public OptionalInt mpObjectGroup() {
        return mpObjectGroup == null ? OptionalInt.empty() : OptionalInt.of(mpObjectGroup);
    }

    /** Tokens per chunk, LMCache's top-level {@code chunk_size}. Default {@value #DEFAULT_CHUNK_SIZE_TOKENS}. */
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

    /**
     * The header the store gives the raw values it reads, and the only size it writes: present
     * when the layout stores raw values ({@code single}, {@code mp}) and {@link #singleChunkShape()}
     * is set, from that shape, {@link #singleChunkDtype()} (default
     * {@value #DEFAULT_SINGLE_CHUNK_DTYPE}) and {@link #singleChunkFmt()}.
     */
    public Optional<ChunkMetadata> rawChunk() {
        return Optional.ofNullable(rawChunk);
    }

    /** The shape of a full chunk for the raw layouts (1 to 4 dimensions, e.g. [2, 32, 256, 1024]). */
    public Optional<List<Integer>> singleChunkShape() {
        return Optional.ofNullable(singleChunkShape);
    }

    /** The dtype of a chunk for the raw layouts (e.g. {@code bfloat16}), lowercase. */
    public Optional<String> singleChunkDtype() {
        return Optional.ofNullable(singleChunkDtype);
    }

    /** The memory format code of a chunk for the raw layouts. Default {@value #DEFAULT_SINGLE_CHUNK_FMT} (KV_2LTD). */
    public int singleChunkFmt() {
        return singleChunkFmt;
    }

    // ------------------------------------------------------------------ time and limits

    /** How long one command may take before it fails. Default {@value #DEFAULT_REQUEST_TIMEOUT_SECONDS} s. */
    public Duration requestTimeout() {
        return requestTimeout;
    }

    /** How long connecting may take. Default {@value #DEFAULT_CONNECT_TIMEOUT_SECONDS} s. */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** How often the cluster topology is refreshed; zero disables it. Default {@value #DEFAULT_TOPOLOGY_REFRESH_SECONDS} s. */
    public Duration topologyRefreshPeriod() {
        return topologyRefreshPeriod;
    }

    /** What the store does at once: workers, bytes in flight, sub-batch cuts. */
    public Limits limits() {
        return limits;
    }

    /**
     * The bound on bytes in flight; callers beyond it wait. Default
     * {@value Limits#DEFAULT_MAX_INFLIGHT_BYTES} (1 GiB), at least {@value Limits#MIN_INFLIGHT_BYTES}.
     */
    public long maxInflightBytes() {
        return limits.maxInflightBytes();
    }

    /**
     * A sub-batch of reads or writes is cut when it reaches this many keys (existence checks,
     * which carry no values, go to each node in one group). Default
     * {@value Limits#DEFAULT_MAX_KEYS_PER_COMMAND}.
     */
    public int maxKeysPerCommand() {
        return limits.maxKeysPerCommand();
    }

    /**
     * A sub-batch is cut when it reaches this many bytes (a single larger chunk still goes
     * alone). Default {@value Limits#DEFAULT_MAX_BYTES_PER_COMMAND} (64 MiB), or
     * {@link #maxInflightBytes()} if smaller.
     */
    public long maxBytesPerCommand() {
        return limits.maxBytesPerCommand();
    }

    /**
     * The number of batches executing at once (each holds its slot until its replies are in);
     * more wait, by priority. A call of fewer than 64 chunks (a write: fewer than 64 chunks and
     * 256 KiB) takes a proportional share of a slot, so up to 64 x workers single-chunk calls run
     * at once and share round trips. Calls are
     * asynchronous: a slot costs no thread. LMCache's {@code num_workers} maps here. Default
     * {@value #DEFAULT_WORKERS}.
     */
    public int workers() {
        return limits.workers();
    }

    /** When written keys expire. */
    public Expiry expiry() {
        return expiry;
    }

    /** The expiry of written keys in seconds; 0 means none. Default {@value Expiry#DEFAULT_TTL_SECONDS}. */
    public long ttlSeconds() {
        return expiry.ttlSeconds();
    }

    /** Whether a hit renews the expiry (when {@link #ttlSeconds()} is not 0). Default {@value Expiry#DEFAULT_REFRESH_ON_HIT}. */
    public boolean ttlRefreshOnHit() {
        return expiry.refreshOnHit();
    }

    /**
     * Whether the store's stats are published to Micrometer's global registry when the store opens
     * (Micrometer must be on the classpath; otherwise a warning). Default false; {@code stats()} and
     * {@code MicrometerBinder} work either way.
     */
    public boolean metricsEnabled() {
        return metricsEnabled;
    }

    // ------------------------------------------------------------------ equality and display

    /**
     * One setting as compared and shown: {@code value} takes part in equality ({@code null}
     * when another row covers it), {@code shown} in {@link #toString()} ({@code null}: hidden).
     */
    private record Setting(String name, @Nullable Object value, @Nullable String shown) {
    }

    /** The one list of every setting, for {@link #equals}, {@link #hashCode} and {@link #toString}. */
    private List<Setting> settings() {
        return List.of(
                new Setting("scheme", Optional.ofNullable(scheme), null),
                new Setting("url", null, redactedUrl),
                new Setting("mode", mode, mode.configName()),
                new Setting("endpoints", endpoints, endpoints.toString()),
                new Setting("unixSocket", unixSocket(), orNone(unixSocket)),
                new Setting("database", database, String.valueOf(database)),
                new Setting("sentinelMasterName", sentinelMasterName, sentinelMasterName),
                new Setting("sentinelTimeout", sentinelTimeout, sentinelTimeout.toString()),
                new Setting("tls", tlsOptions, String.valueOf(tls())),
                new Setting("tlsVerify", null, tlsVerify().configName()),
                new Setting("tlsCaFile", null, orNone(tlsCaFile().orElse(null))),
                new Setting("tlsCertFile", null, orNone(tlsCertFile().orElse(null))),
                new Setting("tlsKeyFile", null, orNone(tlsKeyFile().orElse(null))),
                new Setting("username", credentials, orNone(username().orElse(null))),
                // never the password's value or length
                new Setting("password", null, credentials.hasPassword() ? "***" : "none"),
                new Setting("keyLayout", keyLayout, keyLayout.configName()),
                new Setting("keyPrefix", keyPrefix(), orNone(keyPrefix)),
                new Setting("mpObjectGroup", Optional.ofNullable(mpObjectGroup),
                        mpObjectGroup == null ? "none" : String.valueOf(mpObjectGroup)),
                new Setting("chunkSizeTokens", chunkSizeTokens, String.valueOf(chunkSizeTokens)),
                new Setting("hashAlgorithm", hashAlgorithm(),
                        hashAlgorithm == null ? "default" : hashAlgorithm.configName()),
                new Setting("saveUnfullChunk", saveUnfullChunk, String.valueOf(saveUnfullChunk)),
                new Setting("requestTimeout", requestTimeout, requestTimeout.toString()),
                new Setting("connectTimeout", connectTimeout, connectTimeout.toString()),
                new Setting("maxInflightBytes", limits, String.valueOf(maxInflightBytes())),
                new Setting("maxKeysPerCommand", null, String.valueOf(maxKeysPerCommand())),
                new Setting("maxBytesPerCommand", null, String.valueOf(maxBytesPerCommand())),
                new Setting("workers", null, String.valueOf(workers())),
                new Setting("ttlSeconds", expiry, String.valueOf(ttlSeconds())),
                new Setting("ttlRefreshOnHit", null, String.valueOf(ttlRefreshOnHit())),
                new Setting("topologyRefreshPeriod", topologyRefreshPeriod, topologyRefreshPeriod.toString()),
                new Setting("singleChunkShape", singleChunkShape(), orNone(singleChunkShape)),
                new Setting("singleChunkDtype", singleChunkDtype(), orNone(singleChunkDtype)),
                new Setting("singleChunkFmt", singleChunkFmt, String.valueOf(singleChunkFmt)),
                new Setting("metricsEnabled", metricsEnabled, String.valueOf(metricsEnabled)));
    }

    private List<@Nullable Object> values() {
        return settings().stream().map(Setting::value).collect(Collectors.toList());
    }

    /** Equal when every setting is equal (the password compared by content). */
    @Override
    public boolean equals(@Nullable Object o) {
        return this == o || o instanceof StoreConfig c && values().equals(c.values());
    }

    @Override
    public int hashCode() {
        return values().hashCode();
    }

    /** Every setting; the password only as {@code ***}, never its value or length. */
    @Override
    public String toString() {
        return settings().stream().filter(s -> s.shown() != null).map(s -> s.name() + "=" + s.shown())
                .collect(Collectors.joining(", ", "StoreConfig{", "}"));
    }

    private static String orNone(@Nullable Object o) {
        return o == null ? "none" : o.toString();
    }

    /** The message of a setting's invalid value: {@code setting: value is invalid; accepted: ...}. */
    static ConfigException invalid(String setting, @Nullable Object value, String accepted) {
        return new ConfigException(setting + ": " + value + " is invalid; accepted: " + accepted);
    }

    /**
     * Builds a {@link StoreConfig}. Each setter checks its own value at once (throwing
     * {@link ConfigException} naming the setting and the accepted values); {@link #build()} checks
     * the combination. Not thread-safe. Values given by {@link #url(String)} are defaults that
     * explicit settings override, in whatever order they are given; passing {@code null} to a
     * setter of an optional setting clears it. The setters of one setting ({@link #workers(int)})
     * are shortcuts into the groups ({@link #limits(Limits)}).
     */
    public static final class Builder implements Cloneable {
        // Null where "not given" differs from the default: the URL's value, or a derived default, applies.
        private @Nullable RedisUrl url;
        private @Nullable Map<String, String> environment;
        private @Nullable RedisMode mode;
        private @Nullable List<HostAndPort> endpoints;
        private @Nullable Path unixSocket;
        private @Nullable Integer database;
        private @Nullable String sentinelMasterName;
        private @Nullable Duration sentinelTimeout;
        private @Nullable Boolean tls;
        private @Nullable TlsVerify tlsVerify;
        private @Nullable Path tlsCaFile;
        private @Nullable Path tlsCertFile;
        private @Nullable Path tlsKeyFile;
        private @Nullable String username;
        private char @Nullable [] password;
        private @Nullable KeyLayout keyLayout;
        private @Nullable String keyPrefix;
        private @Nullable Integer mpObjectGroup = DEFAULT_MP_OBJECT_GROUP;
        private int chunkSizeTokens = DEFAULT_CHUNK_SIZE_TOKENS;
        private @Nullable HashAlgorithm hashAlgorithm;
        private boolean saveUnfullChunk;
        private Duration requestTimeout = Duration.ofSeconds(DEFAULT_REQUEST_TIMEOUT_SECONDS);
        private Duration connectTimeout = Duration.ofSeconds(DEFAULT_CONNECT_TIMEOUT_SECONDS);
        private long maxInflightBytes = Limits.DEFAULT_MAX_INFLIGHT_BYTES;
        private int maxKeysPerCommand = Limits.DEFAULT_MAX_KEYS_PER_COMMAND;
        /** Null: the smaller of {@link Limits#DEFAULT_MAX_BYTES_PER_COMMAND} and the in-flight budget. */
        private @Nullable Long maxBytesPerCommand;
        private int workers = Limits.DEFAULT_WORKERS;
        private long ttlSeconds = Expiry.DEFAULT_TTL_SECONDS;
        private boolean ttlRefreshOnHit = Expiry.DEFAULT_REFRESH_ON_HIT;
        private Duration topologyRefreshPeriod = Duration.ofSeconds(DEFAULT_TOPOLOGY_REFRESH_SECONDS);
        private @Nullable List<Integer> singleChunkShape;
        private @Nullable String singleChunkDtype;
        private int singleChunkFmt = DEFAULT_SINGLE_CHUNK_FMT;
        private boolean metricsEnabled;

        private Builder() {
        }

        /** An independent copy: every field is immutable except the password, which is copied. */
        private Builder copy() {
            try {
                Builder b = (Builder) super.clone();
                b.password = password == null ? null : password.clone();
                return b;
            } catch (CloneNotSupportedException e) {
                throw new AssertionError(e);
            }
        }

        /**
         * Takes endpoints or socket, TLS, credentials, database, mode and key layout from a URL,
         * as defaults under any explicit setting. Forms (scheme case-insensitive):
         * {@code redis://[user:password@]host[:port][/db]}, {@code rediss://...} (TLS),
         * {@code unix:///path/to.sock[?db=N]}, {@code redis-cluster://h1:p1,h2:p2},
         * {@code rediss-cluster://h1:p1,h2:p2} (TLS),
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
         * environment's or the default {@value #DEFAULT_SENTINEL_MASTER}.
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
         * environment's or the default {@value #DEFAULT_SENTINEL_TIMEOUT_SECONDS} s.
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

        /**
         * All TLS settings at once, overriding the URL's scheme; the same as {@link #tls(boolean)},
         * {@link #tlsVerify}, {@link #tlsCaFile}, {@link #tlsCertFile} and {@link #tlsKeyFile}.
         */
        public Builder tlsOptions(TlsOptions options) {
            tls(options.enabled());
            this.tlsVerify = options.enabled() ? options.verify() : null;
            this.tlsCaFile = options.caFile().orElse(null);
            this.tlsCertFile = options.certFile().orElse(null);
            this.tlsKeyFile = options.keyFile().orElse(null);
            return this;
        }

        /** Whether to use TLS, overriding the URL's scheme. */
        public Builder tls(boolean tls) {
            this.tls = tls;
            return this;
        }

        /**
         * How server certificates are checked; {@code null} for the default
         * {@link TlsOptions#DEFAULT_VERIFY}. Only valid with TLS on.
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

        /**
         * The user name and password, overriding the URL's where present; the same as
         * {@link #username(String)} and {@link #password(char[])}.
         */
        public Builder credentials(Credentials credentials) {
            username(credentials.username().orElse(null));
            char[] p = credentials.password().orElse(null);
            password(p);
            if (p != null) {
                Arrays.fill(p, '\0');
            }
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
         * The object group id {@link KeyLayout#MP} names carry (default
         * {@value #DEFAULT_MP_OBJECT_GROUP}, LMCache since 2026-06-09); {@code null} for the older
         * names without that field.
         *
         * @throws ConfigException if negative
         */
        public Builder mpObjectGroup(@Nullable Integer groupOrNull) {
            if (groupOrNull != null && groupOrNull < 0) {
                throw invalid("mpObjectGroup", String.valueOf(groupOrNull),
                        "an object group id >= 0, or none (names before LMCache 2026-06-09)");
            }
            this.mpObjectGroup = groupOrNull;
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
         * Tokens per chunk (LMCache's top-level {@code chunk_size}).
         *
         * @throws ConfigException if not positive
         */
        public Builder chunkSizeTokens(int tokens) {
            if (tokens < 1) {
                throw invalid("chunkSizeTokens", tokens, "an integer >= 1 (LMCache's default is "
                        + DEFAULT_CHUNK_SIZE_TOKENS + ")");
            }
            this.chunkSizeTokens = tokens;
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
         * All limits at once; the same as {@link #workers(int)}, {@link #maxInflightBytes(long)},
         * {@link #maxKeysPerCommand(int)} and {@link #maxBytesPerCommand(long)}.
         */
        public Builder limits(Limits limits) {
            this.workers = limits.workers();
            this.maxInflightBytes = limits.maxInflightBytes();
            this.maxKeysPerCommand = limits.maxKeysPerCommand();
            this.maxBytesPerCommand = limits.maxBytesPerCommand();
            return this;
        }

        /**
         * The bound on bytes in flight.
         *
         * @throws ConfigException if below {@value Limits#MIN_INFLIGHT_BYTES} (1 MiB)
         */
        public Builder maxInflightBytes(long bytes) {
            this.maxInflightBytes = Limits.checkInflightBytes(bytes);
            return this;
        }

        /**
         * The most keys in one sub-batch.
         *
         * @throws ConfigException if not positive
         */
        public Builder maxKeysPerCommand(int keys) {
            this.maxKeysPerCommand = Limits.checkKeysPerCommand(keys);
            return this;
        }

        /**
         * The most bytes in one sub-batch (a larger chunk still goes alone).
         *
         * @throws ConfigException if not positive
         */
        public Builder maxBytesPerCommand(long bytes) {
            this.maxBytesPerCommand = Limits.checkBytesPerCommand(bytes);
            return this;
        }

        /**
         * The number of jobs executing at once.
         *
         * @throws ConfigException if not positive
         */
        public Builder workers(int workers) {
            this.workers = Limits.checkWorkers(workers);
            return this;
        }

        /** When written keys expire; the same as {@link #ttlSeconds(long)} and {@link #ttlRefreshOnHit(boolean)}. */
        public Builder expiry(Expiry expiry) {
            this.ttlSeconds = expiry.ttlSeconds();
            this.ttlRefreshOnHit = expiry.refreshOnHit();
            return this;
        }

        /**
         * The expiry of written keys; 0 for none.
         *
         * @throws ConfigException if negative
         */
        public Builder ttlSeconds(long seconds) {
            this.ttlSeconds = Expiry.checkTtl(seconds);
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
         * allowed): any name {@link KvDtype#fromName} reads but {@code none}, since a raw value's
         * header needs a tensor type; {@code null} for none (then {@value #DEFAULT_SINGLE_CHUNK_DTYPE}).
         *
         * @throws ConfigException if not a dtype a {@code RemoteMetadata} header can encode
         */
        public Builder singleChunkDtype(@Nullable String dtype) {
            String d = dtype == null ? null : dtype.trim().toLowerCase(Locale.ROOT);
            if (d != null && d.startsWith("torch.")) {
                d = d.substring("torch.".length());
            }
            if (d != null) {
                KvDtype parsed = null;
                try {
                    parsed = KvDtype.fromName(d);
                } catch (IllegalArgumentException e) {
                    // invalid below
                }
                if (parsed == null || parsed == KvDtype.NONE) {
                    throw invalid("singleChunkDtype", "'" + dtype + "'", Arrays.stream(KvDtype.values())
                            .filter(t -> t != KvDtype.NONE).map(t -> String.join("/", t.names()))
                            .collect(Collectors.joining(", ")) + " (a dtype the RemoteMetadata header encodes)");
                }
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
         *     TLS file, a raw chunk shape whose bytes do not fit a chunk)
         */
        public StoreConfig build() {
            return new StoreConfig(this);
        }

        private static Duration positive(String setting, @Nullable Duration d) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw invalid(setting, d, "a positive duration");
            }
            return d;
        }
    }
}
