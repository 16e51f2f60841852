package dev.lmcache.redis;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The ACL user name and password the store authenticates with, part of
 * {@link StoreConfig#credentials()}. Immutable; the password is copied in and out and never
 * shown: {@link #toString()} prints {@code ***} for it, never its value or length.
 */
public final class Credentials {
    /** No user name and no password. */
    public static final Credentials NONE = new Credentials(null, null);

    private final @Nullable String username;
    private final char @Nullable [] password;

    private Credentials(@Nullable String username, char @Nullable [] password) {
        this.username = username;
        this.password = password;
    }

    /**
     * Credentials of a user name and a password, each absent when null or empty. The password
     * array is copied: the caller may clear its own.
     */
    public static Credentials of(@Nullable String username, char @Nullable [] password) {
        String u = username == null || username.isEmpty() ? null : username;
        char[] p = password == null || password.length == 0 ? null : password.clone();
        return u == null && p == null ? NONE : new Credentials(u, p);
    }

    /** The ACL user name, if any. */
    public Optional<String> username() {
        return Optional.ofNullable(username);
    }

    /** A fresh copy of the password, if any; the caller may clear it after use. */
    public Optional<char[]> password() {
        return password == null ? Optional.empty() : Optional.of(password.clone());
    }

    /** Whether a password is set. */
    public boolean hasPassword() {
        return password != null;
    }

    /** Equal when the user names and the passwords (by content) are equal. */
    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof Credentials c && Objects.equals(username, c.username) && Arrays.equals(password, c.password);
    }

    /** The user name's hash: the password does not take part. */
    @Override
    public int hashCode() {
        return Objects.hashCode(username);
    }

    /** {@code Credentials[username=alice, password=***]}; {@code none} for what is absent. */
    @Override
    public String toString() {
        return "Credentials[username=" + (username == null ? "none" : username) + ", password="
                + (password == null ? "none" : "***") + "]";
    }
}
