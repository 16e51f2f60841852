package dev.lmcache.redis.cli;

import dev.lmcache.redis.ConfigException;
import dev.lmcache.redis.KeyLayout;
import dev.lmcache.redis.StoreConfig;
import dev.lmcache.redis.cli.target.Target;
import java.nio.file.Path;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/**
 * Where a command works, shared by every command that talks to Redis: a URL, an LMCache YAML
 * file, or embedded servers started for the run (optionally behind an emulated round trip).
 */
final class TargetOptions {

    static final class Source {
        @Option(names = "--url", paramLabel = "URL",
                description = "redis://, rediss://, unix://, redis-cluster://h1:p1,h2:p2, redis-sentinel://, valkey:// or resp:// URL")
        String url;

        @Option(names = "--config", paramLabel = "FILE", description = "an LMCache YAML config file (remote_url, extra_config, ...)")
        Path config;

        @Option(names = "--embedded", description = "start an embedded standalone Redis for this run")
        boolean embedded;

        @Option(names = "--embedded-cluster", description = "start an embedded 3-master Redis Cluster for this run")
        boolean embeddedCluster;
    }

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Source source = new Source();

    @Option(names = "--layout", paramLabel = "LAYOUT",
            description = "key layout: lmcache (default for redis URLs), tagged, single, mp")
    KeyLayout layout;

    @Option(names = "--rtt-ms", paramLabel = "MS", defaultValue = "0",
            description = "with --embedded/--embedded-cluster: emulated network round trip in ms (delay proxy, half each way)")
    double rttMs;

    /** True if no source was given: commands then default to an embedded standalone server. */
    boolean none() {
        return source == null || (source.url == null && source.config == null && !source.embedded && !source.embeddedCluster);
    }

    boolean wantsCluster() {
        return source != null && source.embeddedCluster;
    }

    /**
     * The configuration the target options describe, without connecting or starting anything:
     * the URL's or the YAML file's, else the defaults of a standalone Redis (embedded servers
     * use them too), with {@code --layout} applied. For commands that only name keys.
     */
    StoreConfig configOnly() {
        StoreConfig c;
        if (source != null && source.url != null) {
            c = StoreConfig.fromUrl(source.url);
        } else if (source != null && source.config != null) {
            c = StoreConfig.fromLmcacheYaml(source.config);
        } else {
            c = StoreConfig.fromUrl(wantsCluster() ? "redis-cluster://127.0.0.1:6379" : "redis://127.0.0.1:6379");
        }
        return layout == null ? c : c.toBuilder().keyLayout(layout).build();
    }

    /**
     * Starts what is asked for and returns the target; the caller closes it (stopping embedded
     * servers). Without any option, an embedded standalone server is used.
     */
    Target open() {
        if (rttMs < 0) {
            throw new ConfigException("--rtt-ms must be >= 0, got " + rttMs);
        }
        Target t;
        if (source != null && source.url != null) {
            t = Target.ofConfig(StoreConfig.fromUrl(source.url));
        } else if (source != null && source.config != null) {
            t = Target.ofConfig(StoreConfig.fromLmcacheYaml(source.config));
        } else {
            t = Target.embedded(wantsCluster(), rttMs);
        }
        if (rttMs > 0 && !t.isEmbedded()) {
            t.close();
            throw new ConfigException("--rtt-ms needs --embedded or --embedded-cluster (it puts a delay proxy in front of the servers it starts)");
        }
        if (layout != null) {
            t = t.withConfig(t.config().toBuilder().keyLayout(layout).build());
        }
        return t;
    }
}
