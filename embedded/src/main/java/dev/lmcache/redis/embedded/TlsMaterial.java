package dev.lmcache.redis.embedded;

import io.lettuce.core.SslOptions;
import java.io.IOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Throw-away TLS material generated at run time (never committed): a CA, a server certificate
 * and key signed by it, a client certificate and key signed by the same CA (for mutual TLS), and
 * an unrelated CA for negative tests.
 *
 * <p>All files are PEM in a private temporary directory that is deleted when the JVM exits:
 * certificates are X.509, keys are unencrypted PKCS#8 (EC P-256). The server and client
 * certificates carry both the serverAuth and clientAuth key usages, because redis-server also
 * presents its own certificate when it connects to other nodes (replication, cluster bus).
 *
 * <p>Instances are immutable and may be shared by any number of servers and clients.
 */
public final class TlsMaterial {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path dir;
    private final List<String> serverHostNames;

    private TlsMaterial(Path dir, List<String> serverHostNames) {
        this.dir = dir;
        this.serverHostNames = serverHostNames;
    }

    /** Generates material whose server certificate is valid for {@code localhost} and {@code 127.0.0.1}. */
    public static TlsMaterial generate() {
        return generate("localhost", "127.0.0.1");
    }

    /**
     * Generates material whose server certificate is valid only for the given names; an entry that
     * is an IPv4 literal becomes an IP address SAN, anything else a DNS name SAN. For example
     * {@code generate("wrong.example")} gives a certificate that full host-name verification
     * against {@code localhost} or {@code 127.0.0.1} must reject.
     *
     * @throws IllegalArgumentException if no name, or a blank name, is given
     */
    public static TlsMaterial generate(String... serverHostNames) {
        if (serverHostNames == null || serverHostNames.length == 0) {
            throw new IllegalArgumentException("at least one server host name is required, e.g. \"localhost\"");
        }
        for (String name : serverHostNames) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("server host names must not be blank");
            }
        }
        Path dir = RedisProcess.newDir("lmcache-redis-tls-");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RedisProcess.deleteRecursively(dir), "lmcache-tls-cleanup"));
        try {
            KeyPair caKeys = newKeyPair();
            X509Certificate ca = caCertificate("lmcache-redis test CA", caKeys);
            writePem(dir.resolve("ca.crt"), ca);

            KeyPair serverKeys = newKeyPair();
            writePem(dir.resolve("server.crt"), leafCertificate("lmcache-redis test server", serverKeys, ca, caKeys,
                    serverHostNames));
            writePem(dir.resolve("server.key"), new JcaPKCS8Generator(serverKeys.getPrivate(), null));

            KeyPair clientKeys = newKeyPair();
            writePem(dir.resolve("client.crt"), leafCertificate("lmcache-redis test client", clientKeys, ca, caKeys,
                    new String[0]));
            writePem(dir.resolve("client.key"), new JcaPKCS8Generator(clientKeys.getPrivate(), null));

            KeyPair otherKeys = newKeyPair();
            writePem(dir.resolve("other-ca.crt"), caCertificate("lmcache-redis unrelated CA", otherKeys));
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot generate TLS material in " + dir + ": " + e, e);
        }
        return new TlsMaterial(dir, List.of(serverHostNames));
    }

    /** Returns the directory holding all files. */
    public Path dir() {
        return dir;
    }

    /** Returns the CA certificate (PEM) that signed the server and client certificates. */
    public Path caCert() {
        return dir.resolve("ca.crt");
    }

    /** Returns the server certificate (PEM), valid for {@link #serverHostNames()}. */
    public Path serverCert() {
        return dir.resolve("server.crt");
    }

    /** Returns the server's private key (unencrypted PKCS#8 PEM). */
    public Path serverKey() {
        return dir.resolve("server.key");
    }

    /** Returns a client certificate (PEM) signed by {@link #caCert()}, for mutual TLS. */
    public Path clientCert() {
        return dir.resolve("client.crt");
    }

    /** Returns the client's private key (unencrypted PKCS#8 PEM). */
    public Path clientKey() {
        return dir.resolve("client.key");
    }

    /** Returns the certificate of a CA that signed nothing here: trusting only it must fail. */
    public Path otherCaCert() {
        return dir.resolve("other-ca.crt");
    }

    /** Returns the names the server certificate is valid for. */
    public List<String> serverHostNames() {
        return serverHostNames;
    }

    /**
     * Returns Lettuce SSL options (JDK provider) that trust {@link #caCert()} and present
     * {@link #clientCert()} when a server asks for a client certificate. Use with
     * {@code ClientOptions.builder().sslOptions(...)} and a {@code rediss://} URI.
     */
    public SslOptions sslOptions() {
        return SslOptions.builder()
                .jdkSslProvider()
                .trustManager(caCert().toFile())
                .keyManager(clientCert().toFile(), clientKey().toFile(), null)
                .build();
    }

    @Override
    public String toString() {
        return "TlsMaterial[" + dir + ", server names " + serverHostNames + "]";
    }

    private static KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return generator.generateKeyPair();
    }

    private static X509Certificate caCertificate(String commonName, KeyPair keys)
            throws GeneralSecurityException, OperatorCreationException, IOException {
        X500Name name = new X500Name("CN=" + commonName);
        Instant now = Instant.now();
        JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial(),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(30))), name, keys.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        builder.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(keys.getPublic()));
        return sign(builder, keys);
    }

    private static X509Certificate leafCertificate(String commonName, KeyPair keys, X509Certificate ca, KeyPair caKeys,
            String[] hostNames) throws GeneralSecurityException, OperatorCreationException, IOException {
        Instant now = Instant.now();
        JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(ca, serial(),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(30))),
                new X500Name("CN=" + commonName), keys.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
        builder.addExtension(Extension.extendedKeyUsage, false,
                new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
        builder.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(keys.getPublic()));
        builder.addExtension(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(ca));
        if (hostNames.length > 0) {
            List<GeneralName> names = new ArrayList<>();
            for (String host : hostNames) {
                names.add(IPV4.matcher(host).matches() || host.contains(":")
                        ? new GeneralName(GeneralName.iPAddress, host)
                        : new GeneralName(GeneralName.dNSName, host));
            }
            builder.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(names.toArray(new GeneralName[0])));
        }
        return sign(builder, caKeys);
    }

    private static X509Certificate sign(JcaX509v3CertificateBuilder builder, KeyPair signer)
            throws GeneralSecurityException, OperatorCreationException {
        X509CertificateHolder holder = builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate()));
        return new JcaX509CertificateConverter().getCertificate(holder);
    }

    private static BigInteger serial() {
        return new BigInteger(64, RANDOM).add(BigInteger.ONE);
    }

    private static void writePem(Path file, Object object) throws IOException {
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.US_ASCII);
                JcaPEMWriter pem = new JcaPEMWriter(out)) {
            pem.writeObject(object instanceof JcaPKCS8Generator ? ((JcaPKCS8Generator) object).generate() : object);
        }
    }
}
