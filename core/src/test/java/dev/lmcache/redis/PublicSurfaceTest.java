package dev.lmcache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jspecify.annotations.NullMarked;
import org.junit.jupiter.api.Test;

/**
 * The library's public surface is the API packages. Java without modules cannot hide a type that
 * another core package uses, so each public type outside them is listed here with the reason it
 * is public: a new one fails this test until it is made package-private, moved to the API, or
 * added with its reason.
 */
class PublicSurfaceTest {
    private static final Set<String> API_PACKAGES = Set.of("dev.lmcache.redis", "dev.lmcache.redis.micrometer");

    /** Public types of internal packages, each with why it is public. */
    private static final Map<String, String> INTERNAL_BUT_PUBLIC = Map.ofEntries(
            Map.entry("batch.StoreFactory", "KvCacheStore.open's way into the package-private engine"),
            Map.entry("codec.BulkDestination", "batch (decoder step): where ChunkRead has a value copied"),
            Map.entry("codec.BulkOutput", "batch builds GET commands with it; bench measures it"),
            Map.entry("codec.BulkReply", "batch (decoder step) reads the replies"),
            Map.entry("codec.BytesCodec", "batch and topology build commands and connections with it; bench"),
            Map.entry("codec.IntegerReplies", "batch (transport step): the integer replies of a lookup group"),
            Map.entry("codec.MultiBulkOutput", "batch builds MGET commands with it"),
            Map.entry("codec.LentSet", "batch (transport step): SET of a value lent to the socket"),
            Map.entry("codec.PipelineCommand", "batch (transport step): one write and flush per node"),
            Map.entry("codec.ReplySplitter", "topology installs it on every connection; bench measures it"),
            Map.entry("codec.ValueLease", "batch (transport step): lends large direct buffers to the socket"),
            Map.entry("codec.ValueReadAllocator", "topology installs it on plain-TCP connections: large values read in place"),
            Map.entry("codec.WireEncoder", "topology installs it on every connection"),
            Map.entry("config.ConfigNames", "the API enums' fromConfig parse their names with it"),
            Map.entry("config.LmcacheConfigReader", "StoreConfig's fromMap, fromLmcacheYaml and fromEnvironment"),
            Map.entry("config.RedisUrl", "StoreConfig parses and redacts URLs with it"),
            Map.entry("hash.HashChain", "TokenHasher's way into the package-private hashing schemes"),
            Map.entry("key.ClusterSlots", "batch (planner step) hashes key names to slots; bench measures it"),
            Map.entry("layout.Namings", "KeyNaming.of's way to the package-private namings"),
            Map.entry("metrics.StoreMetrics", "batch records every call in it"),
            Map.entry("schedule.ByteBudget", "batch (scheduler step) and metrics"),
            Map.entry("schedule.Priority", "batch (scheduler step)"),
            Map.entry("schedule.PriorityScheduler", "batch (scheduler step) and metrics"),
            Map.entry("topology.LettuceSettings", "the CLI's own Lettuce connections (inspect, bench naive) use the"
                    + " store's exact URIs and TLS options; an API for it would tie the API to Lettuce types"),
            Map.entry("topology.NodeLink", "batch (transport step) writes on a node's link"),
            Map.entry("topology.RedisTopology", "batch (planner step) routes by it"),
            Map.entry("topology.Topologies", "batch opens the topology a configuration names"));

    @Test
    void everyPublicTypeOutsideTheApiPackagesIsListedWithItsReason() throws Exception {
        Set<String> found = new TreeSet<>();
        for (Class<?> c : mainClasses()) {
            if (Modifier.isPublic(c.getModifiers()) && !API_PACKAGES.contains(c.getPackageName())) {
                found.add(c.getName().substring("dev.lmcache.redis.".length()));
            }
        }
        assertThat(found)
                .as("public types outside %s: make a new one package-private, move it to the API, or list it in"
                        + " INTERNAL_BUT_PUBLIC with the reason; remove entries that are no longer public", API_PACKAGES)
                .containsExactlyInAnyOrderElementsOf(INTERNAL_BUT_PUBLIC.keySet());
    }

    @Test
    void theStoreImplementationIsNotPublicSoKvCacheStoreOpenIsTheOnlyDoor() throws Exception {
        Class<?> impl = Class.forName("dev.lmcache.redis.batch.RedisKvCacheStore");
        assertThat(Modifier.isPublic(impl.getModifiers())).isFalse();
        assertThat(KvCacheStore.class.getMethod("open", StoreConfig.class, BufferAllocator.class)).isNotNull();
    }

    @Test
    void everyInternalPackageSaysSoInItsPackageDocumentation() throws Exception {
        Set<String> internal = new TreeSet<>();
        for (Class<?> c : mainClasses()) {
            if (!API_PACKAGES.contains(c.getPackageName())) {
                internal.add(c.getPackageName());
            }
        }
        assertThat(internal).isNotEmpty();
        Map<String, String> undocumented = new TreeMap<>();
        for (String pkg : internal) {
            Path info = Path.of("src/main/java", pkg.replace('.', '/'), "package-info.java");
            if (!Files.isRegularFile(info)) {
                undocumented.put(pkg, "has no package-info.java");
            } else if (!Files.readString(info).contains("Internal")) {
                undocumented.put(pkg, "has a package-info.java that does not say \"Internal\"");
            }
        }
        assertThat(undocumented).isEmpty();
    }

    @Test
    void theApiPackagesDeclareTheirNullness() throws Exception {
        assertThat(KvCacheStore.class.getPackage().isAnnotationPresent(NullMarked.class)).isTrue();
        assertThat(Class.forName("dev.lmcache.redis.micrometer.MicrometerBinder").getPackage()
                .isAnnotationPresent(NullMarked.class)).isTrue();
    }

    /** Every top-level class compiled from core's main sources, loaded without initializing it. */
    private static Set<Class<?>> mainClasses() throws IOException, URISyntaxException, ClassNotFoundException {
        Path root = Path.of(KvCacheStore.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertThat(root).as("core's main classes as a directory (run from Maven or the IDE)").isDirectory();
        Set<String> names;
        try (Stream<Path> files = Files.walk(root)) {
            names = files.map(p -> root.relativize(p).toString().replace('\\', '/'))
                    .filter(n -> n.endsWith(".class") && !n.contains("$") && !n.endsWith("package-info.class")
                            && !n.endsWith("module-info.class"))
                    .map(n -> n.substring(0, n.length() - ".class".length()).replace('/', '.'))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        assertThat(names).contains(KvCacheStore.class.getName());
        Set<Class<?>> out = new java.util.LinkedHashSet<>();
        for (String n : names) {
            out.add(Class.forName(n, false, PublicSurfaceTest.class.getClassLoader()));
        }
        return out;
    }
}
