package dev.lmcache.redis.cli;

import dev.lmcache.redis.KeyLayout;
import dev.lmcache.redis.RedisMode;
import dev.lmcache.redis.StoreConfig;
import dev.lmcache.redis.cli.acl.AclRule;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code lmcache-redis acl --tenant NAME}: the Redis ACL rule of {@link AclRule} that confines a
 * user to one tenant's key namespace ({@code key_prefix} NAME), and with {@code --apply} sets it
 * on every node of a server or cluster. The password is shown as {@code >***} unless
 * {@code --show-password} is given, so the rule can be logged or pasted into tickets; without a
 * password the rule carries a {@code <password>} placeholder.
 */
@Command(name = "acl",
        description = "Print the Redis ACL rule that confines a user to one tenant's keys (key_prefix NAME) and to"
                + " the commands the connector needs; with --apply, set it on every node of --admin-url. The password"
                + " is printed as >*** unless --show-password is given.",
        sortOptions = false,
        mixinStandardHelpOptions = true)
final class AclCommand extends BaseCommand {

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
        AclRule rule = AclRule.forTenant(keyLayout, inCluster, tenant, userName);
        PrintWriter out = out();
        out.println(rule.command(shown(secret)));
        out.flush();
        List<String> applied = List.of();
        if (apply) {
            applied = rule.applyOn(admin, secret);
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
        json.put("keyPattern", rule.keyPattern());
        json.put("commands", AclRule.COMMANDS);
        json.put("rule", rule.command(secret == null ? PLACEHOLDER : "***"));
        json.put("applied", applied);
        output.writeJson(json);
        return EXIT_OK;
    }

    private String shown(String secret) {
        if (secret == null) {
            return PLACEHOLDER;
        }
        return showPassword ? secret : "***";
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
