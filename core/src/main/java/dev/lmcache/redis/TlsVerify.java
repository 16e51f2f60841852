package dev.lmcache.redis;

import dev.lmcache.redis.config.ConfigNames;
import java.util.Locale;

/** How much of the server's TLS certificate is checked. Only meaningful when TLS is on. */
public enum TlsVerify {
    /** The chain must lead to a trusted CA and the certificate must name the host. The default. */
    FULL,
    /** The chain must lead to a trusted CA; the host name is not checked. */
    CA,
    /**
     * Nothing is checked: anyone on the path can impersonate the server. Never a default; a
     * warning is logged whenever a configuration with it is built.
     */
    NONE;

    /** The configuration spelling ({@code full}, {@code ca}, {@code none}). */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a configuration value, case-insensitively, ignoring surrounding blanks.
     *
     * @throws IllegalArgumentException naming the value, the closest name if it looks like a typo, and
     *     the accepted ones
     */
    public static TlsVerify fromConfig(String value) {
        return ConfigNames.parse(values(), TlsVerify::configName, "tls_verify", value);
    }
}
