package dev.lmcache.redis;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * TLS settings: whether connections use TLS, how server certificates are checked, and the PEM
 * files for a private CA and mutual TLS. Part of {@link StoreConfig#tlsOptions()}, where they
 * are checked together: files only with TLS on, a client certificate only with its key, every
 * file readable.
 *
 * @param enabled  whether connections use TLS ({@code rediss://}, {@code use_tls}, {@code tls_enable})
 * @param verify   how server certificates are checked; default {@link #DEFAULT_VERIFY}
 * @param caFile   a PEM file of trusted CA certificates, instead of the JVM's trust store
 * @param certFile the client certificate (PEM) for mutual TLS; present exactly when {@code keyFile} is
 * @param keyFile  the client private key (PEM) for mutual TLS; present exactly when {@code certFile} is
 */
public record TlsOptions(boolean enabled, TlsVerify verify, Optional<Path> caFile, Optional<Path> certFile,
                         Optional<Path> keyFile) {

    /** The default of {@link #verify()}: the chain and the host name are checked. */
    public static final TlsVerify DEFAULT_VERIFY = TlsVerify.FULL;

    /** No TLS. */
    public static final TlsOptions OFF = new TlsOptions(false, DEFAULT_VERIFY, Optional.empty(), Optional.empty(),
            Optional.empty());

    /** Checks that no component is null; the combination is checked when a configuration is built. */
    public TlsOptions {
        Objects.requireNonNull(verify, "verify");
        Objects.requireNonNull(caFile, "caFile");
        Objects.requireNonNull(certFile, "certFile");
        Objects.requireNonNull(keyFile, "keyFile");
    }

    /**
     * The options of a configuration being built, checked together.
     *
     * @param verify null when not given (then {@link #DEFAULT_VERIFY})
     * @throws ConfigException for TLS settings without TLS, a certificate without its key (or the
     *     reverse), or a file that is not readable
     */
    static TlsOptions resolve(boolean enabled, @Nullable TlsVerify verify, @Nullable Path caFile,
                              @Nullable Path certFile, @Nullable Path keyFile) {
        if (!enabled) {
            List<String> given = new ArrayList<>();
            if (verify != null) {
                given.add("tls_verify");
            }
            if (caFile != null) {
                given.add("tls_ca_file");
            }
            if (certFile != null) {
                given.add("tls_cert_file");
            }
            if (keyFile != null) {
                given.add("tls_key_file");
            }
            if (!given.isEmpty()) {
                throw new ConfigException(String.join(", ", given) + " given but TLS is off; accepted: turn TLS on"
                        + " (rediss://, use_tls: true or tls_enable: true) or remove " + String.join(", ", given));
            }
            return OFF;
        }
        if ((certFile == null) != (keyFile == null)) {
            throw new ConfigException((certFile == null ? "tls_key_file is set but tls_cert_file"
                    : "tls_cert_file is set but tls_key_file") + " is not; accepted: both (mutual TLS) or neither");
        }
        requireReadable("tls_ca_file", caFile);
        requireReadable("tls_cert_file", certFile);
        requireReadable("tls_key_file", keyFile);
        return new TlsOptions(true, verify != null ? verify : DEFAULT_VERIFY, Optional.ofNullable(caFile),
                Optional.ofNullable(certFile), Optional.ofNullable(keyFile));
    }

    private static void requireReadable(String setting, @Nullable Path file) {
        if (file != null && !(Files.isRegularFile(file) && Files.isReadable(file))) {
            throw new ConfigException(setting + ": '" + file + "' "
                    + (Files.exists(file) ? "is not a readable file" : "does not exist")
                    + "; accepted: the path of a readable PEM file");
        }
    }
}
