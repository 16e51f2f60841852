package dev.lmcache.redis.edge;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Reads the tenants file:
 *
 * <pre>
 * tenants:
 *   - user: alice
 *     password: "..."
 *     key_prefix: "alice@"          # optional
 *     upstream_user: alice          # optional, with upstream_password
 *     upstream_password: "..."
 * </pre>
 */
final class Tenants {
    private static final Set<String> KEYS = Set.of("user", "password", "key_prefix", "upstream_user", "upstream_password");

    private Tenants() {
    }

    static List<Tenant> load(Path file) {
        Object root;
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).load(r);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the tenants file " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("the tenants file " + file + " is not valid YAML: " + e.getMessage(), e);
        }
        if (!(root instanceof Map<?, ?> m) || !(m.get("tenants") instanceof List<?> list) || list.isEmpty()) {
            throw new IllegalArgumentException("the tenants file " + file
                    + " must hold 'tenants:', a list of entries with user, password and optionally key_prefix, upstream_user, upstream_password");
        }
        List<Tenant> out = new ArrayList<>();
        Set<String> users = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            String where = file + " tenants[" + i + "]";
            if (!(list.get(i) instanceof Map<?, ?> e)) {
                throw new IllegalArgumentException(where + " is not a map with user and password");
            }
            for (Object k : e.keySet()) {
                if (!KEYS.contains(String.valueOf(k))) {
                    throw new IllegalArgumentException(where + " has the unknown setting '" + k + "'; accepted: " + String.join(", ", KEYS));
                }
            }
            String user = text(e, "user", where).orElseThrow(() -> new IllegalArgumentException(where + " has no user"));
            char[] password = text(e, "password", where).map(String::toCharArray)
                    .orElseThrow(() -> new IllegalArgumentException(where + " (" + user + ") has no password"));
            Tenant t;
            try {
                t = new Tenant(user, password, text(e, "key_prefix", where).orElse(""), text(e, "upstream_user", where),
                        text(e, "upstream_password", where).map(String::toCharArray));
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException(where + ": " + ex.getMessage(), ex);
            }
            if (!users.add(user)) {
                throw new IllegalArgumentException(where + ": user " + user + " appears twice");
            }
            out.add(t);
        }
        return List.copyOf(out);
    }

    private static Optional<String> text(Map<?, ?> e, String key, String where) {
        Object v = e.get(key);
        if (v == null) {
            return Optional.empty();
        }
        if (v instanceof Map || v instanceof List) {
            throw new IllegalArgumentException(where + " " + key + " must be a string");
        }
        return Optional.of(String.valueOf(v));
    }
}
