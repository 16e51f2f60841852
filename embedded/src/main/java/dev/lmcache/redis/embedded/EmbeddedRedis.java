package dev.lmcache.redis.embedded;

import io.lettuce.core.RedisURI;
import io.lettuce.core.SslVerifyMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A real standalone {@code redis-server} process on the loopback interface, for tests, demos and
 * benchmarks.
 *
 * <p>Each server gets its own temporary working directory (removed at {@link #close()}), never
 * persists anything ({@code save ""}, {@code appendonly no}) and binds {@code 127.0.0.1} only.
 * The binary is the one bundled in the {@code embedded-redis} jar unless system property
 * {@code lmcache.redis.server} or environment variable {@code LMCACHE_REDIS_SERVER} names another
 * (for example {@code /usr/bin/redis-server}).
 *
 * <pre>{@code
 * try (EmbeddedRedis redis = EmbeddedRedis.builder().password("secret").start()) {
 *     RedisURI uri = redis.redisUri();   // or redis.url() + redis.password()
 * }
 * }</pre>
 *
 * <p>The fault helpers ({@link #kill()}, {@link #restart()}, {@link #pause()}, {@link #resume()})
 * act on the OS process; a delay proxy in front of it (see {@link Builder#oneWayDelay(Duration)})
 * stays up throughout. Instances are thread-safe.
 */
public final class EmbeddedRedis implements AutoCloseable {

    static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(15);
    private static final Set<String> MANAGED_KEYS = Set.of("port", "tls-port", "dir", "bind", "daemonize", "logfile");

    private final RedisProcess process;
    private final DelayProxy proxy;
    private final int port;
    private final boolean tls;
    private final String password;
    private final String host;

    private EmbeddedRedis(RedisProcess process, DelayProxy proxy, int port, boolean tls, String password, String host) {
        this.process = process;
        this.proxy = proxy;
        this.port = port;
        this.tls = tls;
        this.password = password;
        this.host = host;
    }

    /** Returns a builder for a standalone server with default settings (no auth, no TLS, no delay). */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the host name clients should use: {@code localhost} for TLS servers (so host-name
     * verification exercises the DNS name in the certificate), {@code 127.0.0.1} otherwise.
     */
    public String host() {
        return host;
    }

    /** Returns the port redis-server itself listens on (its TLS port for TLS servers). */
    public int port() {
        return port;
    }

    /** Returns the port clients should connect to: the delay proxy's if there is one, else {@link #port()}. */
    public int clientPort() {
        return proxy != null ? proxy.listenPort() : port;
    }

    /**
     * Returns the URL clients should use, without credentials: {@code redis://127.0.0.1:P}, or
     * {@code rediss://localhost:P} for TLS. P is {@link #clientPort()}.
     */
    public String url() {
        return (tls ? "rediss://" : "redis://") + host + ":" + clientPort();
    }

    /**
     * Returns a Lettuce URI for {@link #clientPort()} with the default user's password (if any) and,
     * for TLS, SSL with full host-name verification. TLS clients additionally need
     * {@link TlsMaterial#sslOptions()} in their client options to trust the test CA.
     */
    public RedisURI redisUri() {
        RedisURI.Builder builder = RedisURI.builder().withHost(host).withPort(clientPort());
        if (tls) {
            builder.withSsl(true).withVerifyPeer(SslVerifyMode.FULL);
        }
        if (password != null) {
            builder.withPassword(password.toCharArray());
        }
        return builder.build();
    }

    /** Returns the default user's password, if one was set with {@link Builder#password(String)}. */
    public Optional<String> password() {
        return Optional.ofNullable(password);
    }

    /** Returns whether the server listens with TLS only. */
    public boolean isTls() {
        return tls;
    }

    /** Returns the one-way delay of the proxy in front of the server, or zero if there is none. */
    public Duration oneWayDelay() {
        return proxy != null ? proxy.oneWayDelay() : Duration.ZERO;
    }

    /**
     * Returns the OS process id of the current redis-server process (it changes on {@link #restart()}).
     *
     * @throws IllegalStateException if the server was never started
     */
    public long pid() {
        return process.pid();
    }

    /** Returns whether the redis-server process is running (true also while paused). */
    public boolean isAlive() {
        return process.isAlive();
    }

    boolean isPaused() {
        return process.isPaused();
    }

    /** Returns up to the last 100 lines redis-server printed since it was last started, for diagnostics. */
    public List<String> lastOutput() {
        return process.lastLines();
    }

    /** Kills the process with SIGKILL, like a crash, and waits until it is gone. No-op if it is not running. */
    public void kill() {
        process.kill();
    }

    /**
     * Stops the server if it runs (gracefully) and starts it again on the same port with the same
     * configuration and directory; returns once it accepts connections. Data is not kept (nothing is
     * persisted), but a cluster node keeps its node id and configuration (nodes.conf).
     *
     * @throws IllegalStateException if it does not come back, with its last output
     */
    public void restart() {
        process.restart();
    }

    /**
     * Freezes the process with SIGSTOP: connections stay open but nothing is answered, like a hung
     * server or a network partition, until {@link #resume()}.
     *
     * @throws IllegalStateException if it is not running
     */
    public void pause() {
        process.pause();
    }

    /**
     * Continues a process frozen by {@link #pause()} (SIGCONT).
     *
     * @throws IllegalStateException if it is not running
     */
    public void resume() {
        process.resume();
    }

    /** Sends the stop signal without waiting, so a group of servers can stop in parallel before {@link #close()}. */
    void signalStop() {
        process.signalStop();
    }

    /**
     * Stops the server (SIGTERM, SIGKILL after a timeout), closes its delay proxy and removes its
     * directory. Idempotent.
     */
    @Override
    public void close() {
        try {
            if (proxy != null) {
                proxy.close();
            }
        } finally {
            process.close();
        }
    }

    @Override
    public String toString() {
        return "EmbeddedRedis[" + url() + (password != null ? ", password set" : "")
                + (proxy != null ? ", oneWayDelay=" + proxy.oneWayDelay().toMillis() + "ms" : "") + "]";
    }

    /**
     * Configures and starts an {@link EmbeddedRedis}. Builders are not thread-safe; each
     * {@link #start()} starts a new server.
     */
    public static final class Builder implements ServerBuilder<Builder> {
        private String password;
        private final Map<String, List<String>> users = new LinkedHashMap<>();
        private TlsMaterial tls;
        private boolean requireClientCert;
        private final Map<String, List<String>> config = new LinkedHashMap<>();
        private Duration oneWayDelay;
        private int port;
        private Duration startTimeout = DEFAULT_START_TIMEOUT;
        private boolean announceProxy;
        private String label = "redis";

        private Builder() {
        }

        /**
         * Requires this password for the default user ({@code requirepass}); also used as
         * {@code masterauth} so replicas of a password-protected master can sync.
         *
         * @throws IllegalArgumentException if blank or containing whitespace
         */
        public Builder password(String password) {
            this.password = checkSecret("password", password);
            return this;
        }

        /**
         * Adds an ACL user, enabled, with the given password and rules, for example
         * {@code aclUser("lmcache", "pw", "~lmcache:* +@all")}.
         *
         * @param rules ACL rules separated by spaces (key patterns, command categories, ...)
         * @throws IllegalArgumentException if a value is blank or the name is "default"
         */
        public Builder aclUser(String name, String password, String rules) {
            if (name == null || name.isBlank() || name.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("ACL user name must be non-blank without spaces, was '" + name + "'");
            }
            if (name.equals("default")) {
                throw new IllegalArgumentException("use password(...) for the default user, not aclUser(\"default\", ...)");
            }
            checkSecret("ACL user password", password);
            if (rules == null || rules.isBlank()) {
                throw new IllegalArgumentException("ACL rules for user '" + name + "' must not be blank, e.g. \"~lmcache:* +@all\"");
            }
            List<String> values = new ArrayList<>();
            values.add(name);
            values.add("on");
            values.add(">" + password);
            values.addAll(Arrays.asList(rules.trim().split("\\s+")));
            users.put(name, values);
            return this;
        }

        /**
         * Listens with TLS only ({@code port 0}, {@code tls-port N}) using the server certificate,
         * key and CA of the given material. Clients need not present a certificate unless
         * {@link #requireClientCert(boolean)} is set.
         */
        public Builder tls(TlsMaterial material) {
            this.tls = Objects.requireNonNull(material, "material");
            return this;
        }

        /** With {@link #tls(TlsMaterial)}: require a client certificate signed by the CA (mutual TLS). */
        public Builder requireClientCert(boolean require) {
            this.requireClientCert = require;
            return this;
        }

        /**
         * Sets {@code maxmemory} and {@code maxmemory-policy}, e.g. {@code maxMemory("64mb", "allkeys-lru")}.
         *
         * @throws IllegalArgumentException if a value is blank
         */
        public Builder maxMemory(String size, String policy) {
            return config("maxmemory", size).config("maxmemory-policy", policy);
        }

        /**
         * Sets any redis-server configuration directive, passed on the command line as
         * {@code --key value...}; a later call for the same key replaces the earlier one. Port,
         * directory, bind address and logging are managed here and cannot be set.
         *
         * @throws IllegalArgumentException if the key is blank or managed, or no value is given
         */
        public Builder config(String key, String... values) {
            if (key == null || key.isBlank()) {
                throw new IllegalArgumentException("config key must not be blank");
            }
            String k = key.startsWith("--") ? key.substring(2) : key;
            if (MANAGED_KEYS.contains(k.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("config '" + k + "' is managed by the builder; managed keys: "
                        + MANAGED_KEYS + " (use port(int) or tls(...))");
            }
            if (values == null || values.length == 0) {
                throw new IllegalArgumentException("config '" + k + "' needs a value, e.g. config(\"" + k + "\", \"yes\")");
            }
            for (String v : values) {
                Objects.requireNonNull(v, "config value for " + k);
            }
            config.put(k, List.of(values));
            return this;
        }

        /**
         * Puts a {@link DelayProxy} in front of the server that delays each direction by this much;
         * {@link #clientPort()} and {@link #url()} then point at the proxy.
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder oneWayDelay(Duration delay) {
            Objects.requireNonNull(delay, "delay");
            if (delay.isNegative()) {
                throw new IllegalArgumentException("oneWayDelay must be >= 0, was " + delay);
            }
            this.oneWayDelay = delay.isZero() ? null : delay;
            return this;
        }

        /**
         * Uses this port for redis-server instead of a free one picked automatically.
         *
         * @throws IllegalArgumentException if not in 1..65535
         */
        public Builder port(int port) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port must be 1..65535, was " + port);
            }
            this.port = port;
            return this;
        }

        /** How long {@link #start()} and {@link #restart()} wait for the server to accept connections (default 15 s). */
        public Builder startTimeout(Duration timeout) {
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("startTimeout must be positive, was " + timeout);
            }
            this.startTimeout = timeout;
            return this;
        }

        /** Cluster nodes behind a proxy announce the proxy's port so that clients route through it. */
        Builder announceProxy(boolean announce) {
            this.announceProxy = announce;
            return this;
        }

        Builder label(String label) {
            this.label = label;
            return this;
        }

        /**
         * Starts the server and returns once it accepts connections.
         *
         * @throws IllegalStateException if it cannot start, with redis-server's last output
         */
        public EmbeddedRedis start() {
            int attempts = port == 0 ? 3 : 1;
            for (int attempt = 1; ; attempt++) {
                int p = port != 0 ? port : Ports.pickServerPort();
                try {
                    return startOn(p);
                } catch (IllegalStateException e) {
                    // Another process may take an automatically picked port between check and bind.
                    boolean portTaken = String.valueOf(e.getMessage()).contains("Address already in use");
                    if (!portTaken || attempt >= attempts) {
                        throw e;
                    }
                }
            }
        }

        private EmbeddedRedis startOn(int p) {
            boolean cluster = config.containsKey("cluster-enabled")
                    && config.get("cluster-enabled").get(0).equalsIgnoreCase("yes");
            if (port != 0) {
                Ports.checkServerPort(p, cluster);
            }
            DelayProxy proxy = oneWayDelay != null ? DelayProxy.start("127.0.0.1", p, oneWayDelay) : null;
            Path dir = RedisProcess.newDir("lmcache-redis-" + p + "-");
            try {
                List<String> args = arguments(p, dir, proxy);
                String name = label + " 127.0.0.1:" + p;
                RedisProcess process = new RedisProcess(name, dir, args, tls == null ? p : 0, startTimeout);
                try {
                    process.start();
                } catch (RuntimeException e) {
                    process.close();
                    throw e;
                }
                return new EmbeddedRedis(process, proxy, p, tls != null, password, tls != null ? "localhost" : "127.0.0.1");
            } catch (RuntimeException e) {
                if (proxy != null) {
                    proxy.close();
                }
                RedisProcess.deleteRecursively(dir);
                throw e;
            }
        }

        private List<String> arguments(int p, Path dir, DelayProxy proxy) {
            Map<String, List<String>> all = new LinkedHashMap<>();
            if (tls != null) {
                all.put("port", List.of("0"));
                all.put("tls-port", List.of(Integer.toString(p)));
                all.put("tls-cert-file", List.of(tls.serverCert().toString()));
                all.put("tls-key-file", List.of(tls.serverKey().toString()));
                all.put("tls-ca-cert-file", List.of(tls.caCert().toString()));
                all.put("tls-auth-clients", List.of(requireClientCert ? "yes" : "optional"));
                all.put("tls-replication", List.of("yes"));
            } else {
                all.put("port", List.of(Integer.toString(p)));
            }
            all.put("bind", List.of("127.0.0.1"));
            all.put("dir", List.of(dir.toString()));
            all.put("daemonize", List.of("no"));
            all.put("logfile", List.of(""));
            all.put("save", List.of(""));
            all.put("appendonly", List.of("no"));
            // Redis 7 syncs replicas diskless by default and then waits 5 s for more replicas to join.
            all.put("repl-diskless-sync-delay", List.of("0"));
            if (password != null) {
                all.put("requirepass", List.of(password));
                all.put("masterauth", List.of(password));
            }
            if (proxy != null && announceProxy) {
                all.put("cluster-announce-ip", List.of("127.0.0.1"));
                all.put("cluster-announce-port", List.of(Integer.toString(proxy.listenPort())));
                all.put("cluster-announce-bus-port", List.of(Integer.toString(p + 10000)));
            }
            all.putAll(config);
            List<String> args = new ArrayList<>();
            for (Map.Entry<String, List<String>> e : all.entrySet()) {
                args.add("--" + e.getKey());
                args.addAll(e.getValue());
            }
            for (List<String> user : users.values()) {
                args.add("--user");
                args.addAll(user);
            }
            return args;
        }

        private static String checkSecret(String what, String secret) {
            if (secret == null || secret.isBlank() || secret.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException(what + " must be non-blank without whitespace");
            }
            return secret;
        }
    }
}
