package dev.lmcache.redis.cli.acl;

import dev.lmcache.redis.KeyLayout;
import dev.lmcache.redis.StoreConfig;
import dev.lmcache.redis.cli.target.RedisNodes;
import dev.lmcache.redis.cli.text.Failures;
import dev.lmcache.redis.KeyNaming;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.util.ArrayList;
import java.util.List;

/**
 * The Redis ACL rule that confines a user to one tenant's key namespace ({@code key_prefix}) and
 * to the commands the connector sends.
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
 * @param user       the ACL user name
 * @param keyPattern the glob of the tenant's keys
 */
public record AclRule(String user, String keyPattern) {

    /** The commands the connector sends, in the order the rule lists them. */
    public static final List<String> COMMANDS = List.of("+get", "+getex", "+set", "+mget", "+mset", "+exists", "+del", "+scan", "+ping",
            "+cluster|nodes", "+cluster|myid", "+info", "+client|setinfo", "+strlen", "+ttl");

    /** The rule of {@code user} for the keys a store with key prefix {@code tenant} writes under {@code layout}. */
    public static AclRule forTenant(KeyLayout layout, boolean cluster, String tenant, String user) {
        return new AclRule(user, keyPattern(layout, cluster, tenant));
    }

    /**
     * The ACL key pattern of a tenant: the glob covering every name the store writes for the
     * layout with key prefix {@code tenant}.
     */
    public static String keyPattern(KeyLayout layout, boolean cluster, String tenant) {
        return KeyNaming.of(layout, cluster, tenant).allKeysScanPattern();
    }

    /**
     * The rule as arguments of {@code ACL SETUSER} after the user name: {@code reset} first, so
     * applying it again replaces an older rule instead of adding to it.
     */
    List<String> arguments(String secret) {
        List<String> r = new ArrayList<>(List.of("reset", "resetchannels", "on", ">" + secret, "~" + keyPattern));
        r.addAll(COMMANDS);
        return r;
    }

    /** The whole command, {@code ACL SETUSER user reset ...}, with {@code shownSecret} where the password goes. */
    public String command(String shownSecret) {
        return "ACL SETUSER " + user + " " + String.join(" ", arguments(shownSecret));
    }

    /**
     * Sets the rule with password {@code secret} on every node (masters and replicas) that
     * {@code admin} reaches, and returns the nodes, e.g. {@code 127.0.0.1:7000 (master)}.
     *
     * @throws IllegalStateException naming the node (never the password) when a node refuses
     */
    public List<String> applyOn(StoreConfig admin, String secret) {
        List<String> applied = new ArrayList<>();
        try (RedisNodes nodes = RedisNodes.connect(admin)) {
            for (RedisNodes.Node n : nodes.all()) {
                setUser(n, secret);
                applied.add(n.name() + (n.master() ? " (master)" : " (replica)"));
            }
        }
        return applied;
    }

    private void setUser(RedisNodes.Node node, String secret) {
        CommandArgs<byte[], byte[]> args = new CommandArgs<>(ByteArrayCodec.INSTANCE).add("SETUSER").add(user);
        for (String part : arguments(secret)) {
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
}
