package dev.lmcache.redis.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;

/**
 * Locates the {@code redis-server} executable used by every embedded server.
 *
 * <p>An explicit binary wins (system property {@value #PROPERTY}, then environment variable
 * {@value #ENV}); otherwise the binary shipped inside the {@code embedded-redis} jar is extracted
 * once per JVM to a private temporary file.
 */
final class RedisBinary {

    static final String PROPERTY = "lmcache.redis.server";
    static final String ENV = "LMCACHE_REDIS_SERVER";

    private static volatile Path resolved;

    private RedisBinary() {
    }

    /** Returns the path of an executable redis-server, extracting the bundled one on first use. */
    static Path path() {
        Path p = resolved;
        if (p == null) {
            synchronized (RedisBinary.class) {
                p = resolved;
                if (p == null) {
                    p = resolve();
                    resolved = p;
                }
            }
        }
        return p;
    }

    private static Path resolve() {
        String property = System.getProperty(PROPERTY);
        if (property != null && !property.isBlank()) {
            return explicit(property, "system property " + PROPERTY);
        }
        String env = System.getenv(ENV);
        if (env != null && !env.isBlank()) {
            return explicit(env, "environment variable " + ENV);
        }
        return extractBundled(bundledResourceName());
    }

    /** Validates an explicitly configured binary; {@code source} names the setting for the error message. */
    static Path explicit(String value, String source) {
        Path path = Paths.get(value.trim());
        if (!Files.isRegularFile(path) || !Files.isExecutable(path)) {
            throw new IllegalStateException(source + " points to '" + path
                    + "', which is not an executable file; set it to a redis-server binary such as "
                    + "/usr/bin/redis-server, or unset it to use the bundled one");
        }
        return path;
    }

    static String bundledResourceName() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        boolean amd64 = arch.equals("amd64") || arch.equals("x86_64");
        boolean arm64 = arch.equals("aarch64") || arch.equals("arm64");
        if (os.contains("linux") && amd64) {
            return "redis-server-6.2.6-v5-linux-amd64";
        }
        if (os.contains("linux") && arm64) {
            return "redis-server-6.2.7-linux-arm64";
        }
        if (os.contains("mac") && amd64) {
            return "redis-server-6.2.6-v5-darwin-amd64";
        }
        if (os.contains("mac") && arm64) {
            return "redis-server-6.2.6-v5-darwin-arm64";
        }
        throw new IllegalStateException("no bundled redis-server for os.name='" + os + "', os.arch='" + arch
                + "' (bundled: linux amd64/arm64, macOS amd64/arm64); set system property " + PROPERTY
                + " or environment variable " + ENV + " to a redis-server binary");
    }

    private static Path extractBundled(String resource) {
        try (InputStream in = RedisBinary.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("classpath resource '" + resource
                        + "' not found: is com.github.codemonstur:embedded-redis on the classpath? Alternatively set "
                        + PROPERTY + " or " + ENV + " to a redis-server binary");
            }
            Path file = Files.createTempFile("lmcache-redis-server-", "");
            file.toFile().deleteOnExit();
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
            } catch (UnsupportedOperationException e) {
                if (!file.toFile().setExecutable(true, true)) {
                    throw new IllegalStateException("cannot make " + file + " executable", e);
                }
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract bundled redis-server '" + resource + "'", e);
        }
    }
}
