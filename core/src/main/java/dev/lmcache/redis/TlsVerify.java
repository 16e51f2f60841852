package dev.lmcache.redis;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

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
     * @throws IllegalArgumentException naming the value and the accepted ones
     */
    public static TlsVerify fromConfig(String value) {
        if (value != null) {
            for (TlsVerify v : values()) {
                if (v.configName().equalsIgnoreCase(value.trim())) {
                    return v;
                }
            }
        }
        throw new IllegalArgumentException("tls_verify '" + value + "' is not supported; accepted: "
                + Arrays.stream(values()).map(TlsVerify::configName).collect(Collectors.joining(", ")));
    }
}
