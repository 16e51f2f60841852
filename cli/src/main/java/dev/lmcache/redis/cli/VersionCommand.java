package dev.lmcache.redis.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code lmcache-redis version}: the tool's version and the versions of what it runs on. */
@Command(name = "version", description = "Print the tool, Java and Lettuce versions.")
final class VersionCommand extends BaseCommand {

    @Override
    protected int run() {
        PrintWriter out = out();
        for (String line : lines()) {
            out.println(line);
        }
        out.flush();
        return EXIT_OK;
    }

    static String[] lines() {
        return new String[] {
            "lmcache-redis " + toolVersion(),
            "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ", "
                    + System.getProperty("java.vm.name") + ")",
            "Lettuce " + lettuceVersion(),
        };
    }

    /** The project version, from a resource filtered at build time. */
    static String toolVersion() {
        String version = property("/dev/lmcache/redis/cli/version.properties", "version");
        return version == null || version.startsWith("${") ? "unknown" : version;
    }

    /** Lettuce's version; its pom.properties survives shading, while its manifest does not. */
    static String lettuceVersion() {
        String version = property("/META-INF/maven/io.lettuce/lettuce-core/pom.properties", "version");
        if (version == null) {
            version = io.lettuce.core.LettuceVersion.getVersion();
        }
        return version == null ? "unknown" : version;
    }

    private static String property(String resource, String key) {
        try (InputStream in = VersionCommand.class.getResourceAsStream(resource)) {
            if (in == null) {
                return null;
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty(key);
        } catch (IOException e) {
            return null;
        }
    }

    /** Serves {@code lmcache-redis --version} with the same text. */
    static final class Provider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return lines();
        }
    }
}
