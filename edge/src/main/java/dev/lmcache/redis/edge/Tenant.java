package dev.lmcache.redis.edge;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * One client identity of the edge: what {@code AUTH user pass} must present, and where that
 * client's keys go: under {@code keyPrefix} (prepended to every key the client names) and/or
 * through an upstream Redis ACL user, so that Redis itself confines the tenant's keys (for
 * example with {@code lmcache-redis acl}). The password is never part of {@link #toString()}.
 *
 * @param user the AUTH user name ({@code default} for the one-argument {@code AUTH pass})
 * @param password the AUTH password the client must send
 * @param keyPrefix prepended to the client's keys, empty for none
 * @param upstreamUser the Redis user the edge connects as for this tenant, empty to use the target's credentials
 * @param upstreamPassword that user's password (required with an upstream user)
 */
public record Tenant(String user, char[] password, String keyPrefix, Optional<String> upstreamUser,
                     Optional<char[]> upstreamPassword) {

    public Tenant {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(keyPrefix, "keyPrefix");
        Objects.requireNonNull(upstreamUser, "upstreamUser");
        Objects.requireNonNull(upstreamPassword, "upstreamPassword");
        if (user.isEmpty() || user.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("tenant user '" + user + "' must be non-empty without whitespace");
        }
        if (password.length == 0) {
            throw new IllegalArgumentException("tenant " + user + " has an empty password; every tenant needs one");
        }
        if (upstreamUser.isPresent() != upstreamPassword.isPresent()) {
            throw new IllegalArgumentException("tenant " + user + ": upstream_user and upstream_password go together");
        }
        password = password.clone();
        upstreamPassword = upstreamPassword.map(char[]::clone);
    }

    /** Whether {@code candidate} is this tenant's password, compared in time independent of where they differ. */
    boolean accepts(char[] candidate) {
        char[] p = password;
        int diff = p.length ^ candidate.length;
        for (int i = 0; i < Math.max(p.length, candidate.length); i++) {
            diff |= (i < p.length ? p[i] : 0) ^ (i < candidate.length ? candidate[i] : 0);
        }
        return diff == 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tenant t && user.equals(t.user) && Arrays.equals(password, t.password)
                && keyPrefix.equals(t.keyPrefix) && upstreamUser.equals(t.upstreamUser)
                && Arrays.equals(upstreamPassword.orElse(null), t.upstreamPassword.orElse(null));
    }

    @Override
    public int hashCode() {
        return Objects.hash(user, keyPrefix, upstreamUser);
    }

    @Override
    public String toString() {
        return "Tenant[user=" + user + ", keyPrefix=" + keyPrefix + ", upstreamUser=" + upstreamUser.orElse("(target's)")
                + ", password=<redacted>]";
    }
}
