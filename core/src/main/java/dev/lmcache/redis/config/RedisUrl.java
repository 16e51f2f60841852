package dev.lmcache.redis.config;

import dev.lmcache.redis.ConfigException;
import dev.lmcache.redis.HostAndPort;
import dev.lmcache.redis.KeyLayout;
import dev.lmcache.redis.RedisMode;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Collectors;

/**
 * A parsed connection URL, as LMCache's {@code remote_url} spells it. Internal: use
 * {@link dev.lmcache.redis.StoreConfig#fromUrl(String)} or its builder's {@code url(String)}.
 *
 * <p>Accepted forms (scheme case-insensitive):
 * <ul>
 *   <li>{@code redis://[user:password@]host[:port][/db]} — standalone, layout {@code lmcache}</li>
 *   <li>{@code rediss://...} — the same over TLS</li>
 *   <li>{@code unix:///path/to.sock[?db=N]} or {@code unix://relative/path} — a unix socket;
 *       credentials come from {@code extra_config} or the builder, not the URL</li>
 *   <li>{@code redis-cluster://[user:password@]h1:p1,h2:p2} — cluster seed nodes</li>
 *   <li>{@code redis-sentinel://[user:password@]h1:p1,h2:p2[/db]} — sentinels (default port
 *       26379, the sentinel port, not 6379); the credentials are those of the data nodes</li>
 *   <li>{@code valkey://h:p[,h2:p2]} — layout {@code single}; cluster if several hosts</li>
 *   <li>{@code resp://h:p} — layout {@code single}</li>
 * </ul>
 *
 * <p>User name and password are percent-decoded, so any password works once URL-encoded
 * ({@code p%40ss%3Aw%2Fd%23} is {@code p@ss:w/d#}). A raw {@code @} in the password is
 * tolerated: the credentials end at the LAST {@code @}. Without a colon the whole user part is
 * the password ({@code redis://secret@host}), as in Lettuce; an empty part counts as absent.
 * The database may be given as the path ({@code /2}) or as {@code ?db=2}. The default port is
 * 6379 (26379 for sentinels). IPv6 hosts go in brackets: {@code redis://[::1]:6379}.
 */
public final class RedisUrl {
    /**
     * The one table of URL schemes: each scheme {@link #parse(String)} accepts and the form
     * messages show for it, in the order they list them.
     */
    private static final Map<String, String> FORMS = forms(
            "redis", "redis://[user:password@]host[:port][/db]",
            "rediss", "rediss://...",
            "unix", "unix:///path/to.sock[?db=N]",
            "redis-cluster", "redis-cluster://h1:p1,h2:p2",
            "rediss-cluster", "rediss-cluster://h1:p1,h2:p2 (TLS)",
            "redis-sentinel", "redis-sentinel://h1:p1,h2:p2",
            "valkey", "valkey://h:p[,h2:p2]",
            "resp", "resp://h:p");

    /** The schemes {@link #parse(String)} accepts, in the order messages list them. */
    public static final List<String> SCHEMES = List.copyOf(FORMS.keySet());

    /** The port used when a URL names none. */
    public static final int DEFAULT_PORT = 6379;
    /** The port used for sentinels when a {@code redis-sentinel://} URL names none. */
    public static final int DEFAULT_SENTINEL_PORT = 26379;

    private static final String ACCEPTED = "accepted schemes: " + String.join(", ", FORMS.values());

    private final String scheme;
    private final List<HostAndPort> endpoints;
    private final Path unixSocket;
    private final boolean tls;
    private final String username;
    private final char[] password;
    private final Integer database;
    private final RedisMode impliedMode;
    private final KeyLayout impliedLayout;

    private RedisUrl(String scheme, List<HostAndPort> endpoints, Path unixSocket, String username,
            char[] password, Integer database) {
        this.scheme = scheme;
        this.endpoints = List.copyOf(endpoints);
        this.unixSocket = unixSocket;
        this.tls = scheme.equals("rediss") || scheme.equals("rediss-cluster");
        this.username = username;
        this.password = password;
        this.database = database;
        this.impliedMode = switch (scheme) {
            case "redis-cluster", "rediss-cluster" -> RedisMode.CLUSTER;
            case "redis-sentinel" -> RedisMode.SENTINEL;
            case "valkey" -> endpoints.size() > 1 ? RedisMode.CLUSTER : RedisMode.STANDALONE;
            default -> RedisMode.STANDALONE;
        };
        this.impliedLayout = scheme.equals("valkey") || scheme.equals("resp") ? KeyLayout.SINGLE : KeyLayout.LMCACHE;
    }

    private static Map<String, String> forms(String... schemeAndForm) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < schemeAndForm.length; i += 2) {
            m.put(schemeAndForm[i], schemeAndForm[i + 1]);
        }
        return Collections.unmodifiableMap(m);
    }

    /** Every scheme as {@code scheme://}, comma-separated, for messages: {@code redis://, rediss://, ...}. */
    public static String schemeList() {
        return SCHEMES.stream().map(s -> s + "://").collect(Collectors.joining(", "));
    }

    /**
     * Parses a URL.
     *
     * @throws ConfigException naming {@code remote_url}, the URL with its password redacted, what
     *     is wrong and the accepted forms
     */
    public static RedisUrl parse(String url) {
        if (url == null || url.isBlank()) {
            throw new ConfigException("remote_url is empty; " + ACCEPTED);
        }
        String text = url.trim();
        int sep = text.indexOf("://");
        if (sep <= 0) {
            throw new ConfigException("remote_url '" + redact(text) + "' has no scheme; " + ACCEPTED);
        }
        String scheme = text.substring(0, sep).toLowerCase(Locale.ROOT);
        if (!SCHEMES.contains(scheme)) {
            throw new ConfigException("remote_url '" + redact(text) + "' has scheme '" + scheme
                    + "', which is not supported; " + ACCEPTED);
        }
        String rest = text.substring(sep + 3);
        return scheme.equals("unix") ? parseUnix(text, rest) : parseNetwork(text, scheme, rest);
    }

    private static RedisUrl parseUnix(String url, String rest) {
        int q = rest.indexOf('?');
        String pathText = PercentCodec.decode(q < 0 ? rest : rest.substring(0, q));
        Integer db = q < 0 ? null : parseQuery(url, rest.substring(q + 1), null);
        if (pathText.isEmpty()) {
            throw new ConfigException("remote_url '" + redact(url) + "' has no socket path; accepted:"
                    + " unix:///absolute/path.sock[?db=N] or unix://relative/path.sock");
        }
        if (pathText.indexOf('@') >= 0 && pathText.indexOf(':') >= 0 && pathText.indexOf('@') > pathText.indexOf(':')
                && !pathText.startsWith("/")) {
            // Looks like user:password@path, which we do not take: it would put a secret in a path.
            throw new ConfigException("remote_url '" + redact(url) + "': credentials in unix:// URLs are not"
                    + " supported; accepted: unix:///path.sock with redis_username/redis_password in extra_config");
        }
        Path path;
        try {
            path = Path.of(pathText);
        } catch (InvalidPathException e) {
            throw new ConfigException("remote_url '" + redact(url) + "' has socket path '" + pathText
                    + "', which is not a valid path; accepted: unix:///absolute/path.sock", e);
        }
        return new RedisUrl("unix", List.of(), path, null, null, db);
    }

    private static RedisUrl parseNetwork(String url, String scheme, String rest) {
        int at = rest.lastIndexOf('@');
        String userInfo = at < 0 ? null : rest.substring(0, at);
        String hostAndTail = at < 0 ? rest : rest.substring(at + 1);
        int tailStart = firstOf(hostAndTail, '/', '?');
        String hosts = tailStart < 0 ? hostAndTail : hostAndTail.substring(0, tailStart);
        String tail = tailStart < 0 ? "" : hostAndTail.substring(tailStart);
        if (hosts.isEmpty()) {
            throw new ConfigException("remote_url '" + redact(url) + "' has no host; " + ACCEPTED);
        }
        int defaultPort = scheme.equals("redis-sentinel") ? DEFAULT_SENTINEL_PORT : DEFAULT_PORT;
        List<HostAndPort> endpoints = new ArrayList<>();
        for (String h : hosts.split(",", -1)) {
            try {
                endpoints.add(HostAndPort.parse(h, defaultPort));
            } catch (ConfigException e) {
                throw new ConfigException("remote_url '" + redact(url) + "': " + e.getMessage(), e);
            }
        }
        if (scheme.equals("resp") && endpoints.size() > 1) {
            throw new ConfigException("remote_url '" + redact(url) + "' names " + endpoints.size()
                    + " hosts; resp:// takes one; accepted: resp://host:port, or valkey://h1:p1,h2:p2 for a cluster");
        }
        Integer db = parseTail(url, tail);

        String user = null;
        char[] password = null;
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            String userText = colon < 0 ? "" : PercentCodec.decode(userInfo.substring(0, colon));
            String passText = PercentCodec.decode(colon < 0 ? userInfo : userInfo.substring(colon + 1));
            user = userText.isEmpty() ? null : userText;
            password = passText.isEmpty() ? null : passText.toCharArray();
        }
        return new RedisUrl(scheme, endpoints, null, user, password, db);
    }

    private static Integer parseTail(String url, String tail) {
        int q = tail.indexOf('?');
        String path = q < 0 ? tail : tail.substring(0, q);
        Integer db = null;
        if (!path.isEmpty() && !path.equals("/")) {
            db = parseDatabase(url, path.substring(1), "path '" + path + "'");
        }
        return q < 0 ? db : parseQuery(url, tail.substring(q + 1), db);
    }

    private static Integer parseQuery(String url, String query, Integer pathDb) {
        Integer db = pathDb;
        for (String param : query.split("&")) {
            if (param.isEmpty()) {
                continue;
            }
            int eq = param.indexOf('=');
            String name = eq < 0 ? param : param.substring(0, eq);
            String value = eq < 0 ? "" : PercentCodec.decode(param.substring(eq + 1));
            if (!name.equals("db")) {
                throw new ConfigException("remote_url '" + redact(url) + "' has query parameter '" + name
                        + "', which is not supported; accepted: db (e.g. ?db=2)");
            }
            int parsed = parseDatabase(url, value, "?db=" + value);
            if (db != null && db != parsed) {
                throw new ConfigException("remote_url '" + redact(url) + "' gives the database twice ("
                        + db + " and " + parsed + "); accepted: one of /N or ?db=N");
            }
            db = parsed;
        }
        return db;
    }

    private static int parseDatabase(String url, String text, String where) {
        boolean digits = !text.isEmpty() && text.length() <= 9 && text.chars().allMatch(c -> c >= '0' && c <= '9');
        if (!digits) {
            throw new ConfigException("remote_url '" + redact(url) + "' has database " + where
                    + ", which is not a database number; accepted: /N or ?db=N with N an integer >= 0"
                    + " (0..15 with the server's default settings)");
        }
        return Integer.parseInt(text);
    }

    private static int firstOf(String s, char a, char b) {
        int i = s.indexOf(a);
        int j = s.indexOf(b);
        return i < 0 ? j : j < 0 ? i : Math.min(i, j);
    }

    /**
     * The URL with its password replaced by {@code ***}, for messages and logs. Works on any text,
     * including URLs that do not parse: everything between {@code ://} and the last {@code @}
     * after the user name is hidden.
     */
    public static String redact(String url) {
        if (url == null) {
            return null;
        }
        int sep = url.indexOf("://");
        int start = sep < 0 ? 0 : sep + 3;
        int at = url.lastIndexOf('@');
        if (at < start) {
            return url;
        }
        String userInfo = url.substring(start, at);
        int colon = userInfo.indexOf(':');
        String user = colon < 0 ? "" : userInfo.substring(0, colon);
        return url.substring(0, start) + user + ":***" + url.substring(at);
    }

    /**
     * Writes a URL that {@link #parse(String)} reads back to the same place, with the password,
     * if any, as {@code ***}. A unix socket URL carries no credentials.
     *
     * @param scheme one of {@link #SCHEMES}
     * @param database written only when not 0
     */
    public static String format(String scheme, List<HostAndPort> endpoints, Path unixSocket, String username,
            boolean hasPassword, int database) {
        if (unixSocket != null) {
            return "unix://" + unixSocket + (database != 0 ? "?db=" + database : "");
        }
        String userInfo = "";
        if (hasPassword) {
            userInfo = (username == null ? "" : PercentCodec.encode(username)) + ":***@";
        } else if (username != null) {
            // "user@" alone would read back as a password; "user:@" reads back as the user name.
            userInfo = PercentCodec.encode(username) + ":@";
        }
        return scheme + "://" + userInfo
                + String.join(",", endpoints.stream().map(HostAndPort::toString).toList())
                + (database != 0 ? "/" + database : "");
    }

    /** The scheme, lowercase (one of {@link #SCHEMES}). */
    public String scheme() {
        return scheme;
    }

    /** The hosts, in URL order; empty for {@code unix://}. */
    public List<HostAndPort> endpoints() {
        return endpoints;
    }

    /** The socket path of a {@code unix://} URL. */
    public Optional<Path> unixSocket() {
        return Optional.ofNullable(unixSocket);
    }

    /** True for {@code rediss://}. */
    public boolean tls() {
        return tls;
    }

    /** The decoded user name, if the URL has a non-empty one. */
    public Optional<String> username() {
        return Optional.ofNullable(username);
    }

    /** A copy of the decoded password, if the URL has a non-empty one. */
    public Optional<char[]> password() {
        return password == null ? Optional.empty() : Optional.of(password.clone());
    }

    /** The database number, if the URL gives one. */
    public OptionalInt database() {
        return database == null ? OptionalInt.empty() : OptionalInt.of(database);
    }

    /** The mode the scheme implies (cluster for several {@code valkey://} hosts). */
    public RedisMode impliedMode() {
        return impliedMode;
    }

    /** The key layout the scheme implies: {@code single} for valkey and resp, else {@code lmcache}. */
    public KeyLayout impliedLayout() {
        return impliedLayout;
    }

    /** The scheme and hosts, never the credentials. */
    @Override
    public String toString() {
        return scheme + "://" + (unixSocket != null ? unixSocket.toString()
                : String.join(",", endpoints.stream().map(HostAndPort::toString).toList()));
    }
}
