package dev.lmcache.redis.cli;

import dev.lmcache.redis.KeyLayout;
import dev.lmcache.redis.RedisMode;
import dev.lmcache.redis.StoreConfig;
import dev.lmcache.redis.layout.KeyNaming;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code lmcache-redis acl --tenant NAME}: the Redis ACL rule that confines a user to one
 * tenant's key namespace ({@code key_prefix} NAME) and to the commands the connector sends, and
 * with {@code --apply} sets it on every node of a server or cluster.
 *
 * <p>The key pattern is the layout's {@link KeyNaming#allKeysScanPattern()} for the prefix, so
 * exactly the names the store writes are allowed ({@code ~NAME@*} for lmcache, single and mp;
 * {@code ~NAME@*:*} for tagged, {@code ~{NAME@*}:*} for tagged in a cluster). The commands, as
 * seen in {@code ACL LOG} of a restricted user running {@code check}: GET, GETEX (TTL refresh on
 * hit), SET, EXISTS, DEL, EXPIRE (data and metadata keys), SCAN (listing), PING; for cluster
 * clients CLUSTER NODES, CLUSTER MYID and INFO (Lettuce's topology refresh); CLIENT SETINFO
 * (Lettuce's handshake, Redis 7.2+; its refusal is tolerated). CONFIG GET is not granted: the
 * store tolerates its refusal and assumes the default 512 MiB value limit. The rule starts with
 * {@code reset resetchannels}, so applying it again replaces an older rule. SCAN is not
 * restricted by key patterns in Redis, so a tenant can see other tenants' key names (never their
 * values). STRLEN and TTL (of the tenant's own keys only) let the tenant run {@code inspect}, which
 * then shows only its own chunks.
 *
 * <p>The password is shown as {@code >***} unless {@code --show-password} is given, so the rule
 * can be logged or pasted into tickets; without a password the rule carries a
 * {@code <password>} placeholder.
 */
@Command(name = "acl",
        description = "Print the Redis ACL rule that confines a user to one tenant's keys (key_prefix NAME) and to"
                + " the commands the connector needs; with --apply, set it on every node of --admin-url. The password"
                + " is printed as >*** unless --show-password is given.",
        sortOptions = false,
        mixinStandardHelpOptions = true)
final class AclCommand extends BaseCommand {

    /** The commands the connector sends, in the order the rule lists them. */
    static final List<String> COMMANDS = List.of("+get", "+getex", "+set", "+exists", "+del", "+expire", "+scan",
            "+ping", "+cluster|nodes", "+cluster|myid", "+info", "+client|setinfo", "+strlen", "+ttl");

    private static final String PLACEHOLDER = "<password>";

    @Option(names = "--tenant", paramLabel = "NAME", required = true,
            description = "the tenant: its key_prefix, and the ACL user name unless --user is given")
    String tenant;

    @Option(names = "--user", paramLabel = "USER", description = "ACL user name (default: the tenant name)")
    String user;

    @Option(names = "--layout", paramLabel = "LAYOUT", defaultValue = "lmcache",
            description = "key layout the tenant's store uses: lmcache (default), tagged, single, mp")
    KeyLayout layout;

    @Option(names = "--cluster",
            description = "the tenant's store is a Redis Cluster (changes the tagged layout's names; implied by"
                    + " a cluster --admin-url)")
    boolean cluster;

    @Option(names = "--password", paramLabel = "SECRET", description = "the user's password")
    String password;

    @Option(names = "--password-env", paramLabel = "VAR",
            description = "read the user's password from environment variable VAR (keeps it off the command line)")
    String passwordEnv;

    @Option(names = "--show-password", description = "print the password in the rule instead of ***")
    boolean showPassword;

    @Option(names = "--apply", description = "run ACL SETUSER on every node (masters and replicas) of --admin-url")
    boolean apply;

    @Option(names = "--admin-url", paramLabel = "URL",
            description = "with --apply: a URL whose credentials may run ACL SETUSER, e.g. redis://default:pw@host:6379")
    String adminUrl;

    @Mixin
    OutputOptions output;

    @Override
    protected int run() {
        KeyLayout keyLayout = layout;
        String secret = password();
        String userName = user != null ? user : tenant;
        validateName("--tenant", tenant);
        validateName("--user", userName);
        if (apply && adminUrl == null) {
            throw usageError("--apply needs --admin-url URL");
        }
        if (!apply && adminUrl != null) {
            throw usageError("--admin-url is only used with --apply");
        }
        if (apply && secret == null) {
            throw usageError("--apply needs --password or --password-env");
        }
        StoreConfig admin = apply ? StoreConfig.fromUrl(adminUrl) : null;
        boolean inCluster = cluster || admin != null && admin.mode() == RedisMode.CLUSTER;
        String pattern = keyPattern(keyLayout, inCluster, tenant);
        PrintWriter out = out();
        out.println(String.join(" ", command(userName, shown(secret), pattern)));
        out.flush();
        List<String> applied = new ArrayList<>();
        if (apply) {
            try (RedisNodes nodes = RedisNodes.connect(admin)) {
                for (RedisNodes.Node n : nodes.all()) {
                    setUser(n, userName, secret, pattern);
                    applied.add(n.name() + (n.master() ? " (master)" : " (replica)"));
                }
            }
            out.println("Applied on " + applied.size() + " node" + (applied.size() == 1 ? "" : "s") + ": "
                    + String.join(", ", applied));
            out.println("Not persisted: run ACL SAVE (with an aclfile) or CONFIG REWRITE on each node to keep it.");
            out.flush();
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("tenant", tenant);
        json.put("user", userName);
        json.put("layout", keyLayout.configName());
        json.put("cluster", inCluster);
        json.put("keyPattern", pattern);
        json.put("commands", COMMANDS);
        json.put("rule", String.join(" ", command(userName, secret == null ? PLACEHOLDER : "***", pattern)));
        json.put("applied", applied);
        output.writeJson(json);
        return EXIT_OK;
    }

    /**
     * The ACL key pattern of a tenant: the glob covering every name the store writes for the
     * layout with key prefix {@code tenant}.
     */
    static String keyPattern(KeyLayout layout, boolean cluster, String tenant) {
        return KeyNaming.of(layout, cluster, tenant).allKeysScanPattern();
    }

    /**
     * The ACL rule as arguments of {@code ACL SETUSER} after the user name: {@code reset} first, so
     * applying it again replaces an older rule instead of adding to it.
     */
    static List<String> rule(String secret, String pattern) {
        List<String> r = new ArrayList<>();
        r.add("reset");
        r.add("resetchannels");
        r.add("on");
        r.add(">" + secret);
        r.add("~" + pattern);
        r.addAll(COMMANDS);
        return r;
    }

    private static List<String> command(String user, String secretShown, String pattern) {
        List<String> c = new ArrayList<>(List.of("ACL", "SETUSER", user));
        c.addAll(rule(secretShown, pattern));
        return c;
    }

    private String shown(String secret) {
        if (secret == null) {
            return PLACEHOLDER;
        }
        return showPassword ? secret : "***";
    }

    private static void setUser(RedisNodes.Node node, String user, String secret, String pattern) {
        CommandArgs<byte[], byte[]> args = new CommandArgs<>(ByteArrayCodec.INSTANCE).add("SETUSER").add(user);
        for (String part : rule(secret, pattern)) {
            args.add(part);
        }
        try {
            node.connection().sync().dispatch(CommandType.ACL, new StatusOutput<>(ByteArrayCodec.INSTANCE), args);
        } catch (RuntimeException e) {
            // The message must not carry the rule: it holds the password.
            throw new IllegalStateException("ACL SETUSER " + user + " failed on " + node.name() + ": "
                    + Failures.message(e).replace(secret, "***"), e);
        }
    }

    private String password() {
        if (password != null && passwordEnv != null) {
            throw usageError("give --password or --password-env, not both");
        }
        String secret = password;
        if (passwordEnv != null) {
            secret = System.getenv(passwordEnv);
            if (secret == null || secret.isEmpty()) {
                throw usageError("--password-env: environment variable " + passwordEnv
                        + " is not set or empty");
            }
        }
        if (secret != null && (secret.isEmpty() || secret.chars().anyMatch(ch -> Character.isWhitespace(ch)
                || Character.isISOControl(ch)))) {
            throw usageError("the password must be non-empty without spaces or"
                    + " control characters (it is one word of the ACL rule)");
        }
        return secret;
    }

    private void validateName(String option, String name) {
        if (name.isEmpty() || name.chars().anyMatch(ch -> Character.isWhitespace(ch) || Character.isISOControl(ch)
                || "@*?[]\\{}".indexOf(ch) >= 0)) {
            throw usageError(option + " '" + name + "' must be a non-empty name without"
                    + " spaces, '@' or the glob characters *?[]\\{}");
        }
    }
}
