package dev.lmcache.redis.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.lmcache.redis.StoreConfig;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** SnakeYAML is optional: without it, URLs still work and YAML/JSON fail saying what to add. */
class WithoutSnakeYamlConfigTest {

    /** Loads the library's classes afresh, hiding SnakeYAML as if it were not a dependency. */
    private static ClassLoader loaderWithoutSnakeYaml() {
        ClassLoader hiding = new ClassLoader(WithoutSnakeYamlConfigTest.class.getClassLoader()) {
            @Override
            protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                if (name.startsWith("org.yaml.") || name.startsWith("dev.lmcache.")) {
                    throw new ClassNotFoundException(name);
                }
                return super.loadClass(name, resolve);
            }
        };
        URL classes = StoreConfig.class.getProtectionDomain().getCodeSource().getLocation();
        return new URLClassLoader(new URL[] {classes}, hiding);
    }

    private static Object fromEnvironment(ClassLoader loader, Map<String, String> env) throws Exception {
        return loader.loadClass(StoreConfig.class.getName()).getMethod("fromEnvironment", Map.class).invoke(null, env);
    }

    @Test
    void jsonExtraConfigFailsNamingTheDependencyToAdd() {
        ClassLoader loader = loaderWithoutSnakeYaml();
        Throwable thrown = catchThrowable(() -> fromEnvironment(loader,
                Map.of("LMCACHE_REMOTE_URL", "redis://h", "LMCACHE_EXTRA_CONFIG", "{\"num_workers\": 2}")));

        assertThat(thrown).isInstanceOf(InvocationTargetException.class);
        Throwable cause = thrown.getCause();
        assertThat(cause.getClass().getName()).isEqualTo("dev.lmcache.redis.ConfigException");
        assertThat(cause).hasMessageContaining("needs SnakeYAML")
                .hasMessageContaining("org.yaml:snakeyaml");
    }

    @Test
    void urlsWorkWithoutSnakeYaml() throws Exception {
        Object config = fromEnvironment(loaderWithoutSnakeYaml(), Map.of("LMCACHE_REMOTE_URL", "redis://h:6390"));

        assertThat(config.toString()).contains("endpoints=[h:6390]");
    }
}
