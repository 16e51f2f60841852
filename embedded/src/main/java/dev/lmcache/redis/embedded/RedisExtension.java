package dev.lmcache.redis.embedded;

import java.lang.reflect.Parameter;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that injects real Redis servers into tests.
 *
 * <p>Register it with {@code @ExtendWith(RedisExtension.class)} and declare constructor,
 * {@code @BeforeAll}, {@code @BeforeEach} or test-method parameters of type {@link EmbeddedRedis},
 * {@link EmbeddedRedisCluster}, {@link EmbeddedSentinel} or {@link TlsMaterial}, optionally
 * annotated to choose a variant:
 * <ul>
 *   <li>{@link Tls}: TLS only, with the run's shared {@link TlsMaterial} (servers and clusters);</li>
 *   <li>{@link Password}: requires a password generated once per run, see {@code password()};</li>
 *   <li>{@link Delayed}: behind delay proxies (servers and clusters);</li>
 *   <li>{@link Replicas}: replicas per master (clusters) or in total (sentinels);</li>
 *   <li>{@link Fresh}: a dedicated instance, closed at the end of the scope it was injected into.</li>
 * </ul>
 *
 * <pre>{@code
 * @ExtendWith(RedisExtension.class)
 * class StoreTest {
 *     @Test
 *     void storesAChunk(EmbeddedRedis redis, @Tls @Password EmbeddedRedisCluster secureCluster) { ... }
 * }
 * }</pre>
 *
 * <p><b>Sharing.</b> Instances without {@link Fresh} are shared by every test of the run that asks
 * for the same variant (kept in the root context store and closed when the run ends), so the
 * suite starts each variant once. Tests using shared instances must therefore use keys no other
 * test uses (e.g. prefixed with the test's name), must not FLUSHALL/FLUSHDB, reconfigure, or kill,
 * pause or restart the servers; do those only on {@link Fresh} instances.
 */
public final class RedisExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(RedisExtension.class);
    private static final Set<Class<?>> SUPPORTED =
            Set.of(EmbeddedRedis.class, EmbeddedRedisCluster.class, EmbeddedSentinel.class, TlsMaterial.class);
    private static final String PASSWORD = "pw-" + HexFormat.of().formatHex(new SecureRandom().generateSeed(12));

    /** Public for JUnit's reflective instantiation. */
    public RedisExtension() {
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return SUPPORTED.contains(parameterContext.getParameter().getType());
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Parameter parameter = parameterContext.getParameter();
        Class<?> type = parameter.getType();
        ExtensionContext.Store root = extensionContext.getRoot().getStore(NAMESPACE);
        if (type == TlsMaterial.class) {
            return sharedMaterial(root);
        }
        Variant variant = Variant.of(parameterContext, type);
        TlsMaterial material = variant.tls() ? sharedMaterial(root) : null;
        try {
            if (parameterContext.isAnnotated(Fresh.class)) {
                AutoCloseable fresh = variant.create(material);
                extensionContext.getStore(NAMESPACE).put("fresh-" + UUID.randomUUID(), fresh);
                return fresh;
            }
            return root.getOrComputeIfAbsent(variant.toString(), k -> variant.create(material), AutoCloseable.class);
        } catch (RuntimeException e) {
            throw new ParameterResolutionException("cannot start " + variant + " for parameter '" + parameter.getName()
                    + "' of " + parameterContext.getDeclaringExecutable() + ": " + e.getMessage(), e);
        }
    }

    private static TlsMaterial sharedMaterial(ExtensionContext.Store root) {
        return root.getOrComputeIfAbsent("tls-material", k -> TlsMaterial.generate(), TlsMaterial.class);
    }

    /** What to start for one parameter; its string form is the sharing key. */
    private record Variant(Class<?> type, boolean tls, boolean password, int delayMillis, int replicas) {

        static Variant of(ParameterContext pc, Class<?> type) {
            boolean tls = pc.isAnnotated(Tls.class);
            boolean password = pc.isAnnotated(Password.class);
            int delay = pc.findAnnotation(Delayed.class).map(Delayed::oneWayMillis).orElse(0);
            int replicas = pc.findAnnotation(Replicas.class).map(Replicas::value).orElse(0);
            if (pc.isAnnotated(Delayed.class) && delay <= 0) {
                throw new ParameterResolutionException("@Delayed(oneWayMillis) must be positive, was " + delay);
            }
            if (type == EmbeddedSentinel.class && (tls || delay > 0)) {
                throw new ParameterResolutionException("EmbeddedSentinel supports @Password, @Replicas and @Fresh only");
            }
            if (type == EmbeddedRedis.class && pc.isAnnotated(Replicas.class)) {
                throw new ParameterResolutionException("@Replicas applies to EmbeddedRedisCluster and EmbeddedSentinel only");
            }
            return new Variant(type, tls, password, delay, replicas);
        }

        AutoCloseable create(TlsMaterial material) {
            if (type == EmbeddedRedis.class) {
                return configure(EmbeddedRedis.builder(), material).start();
            }
            if (type == EmbeddedRedisCluster.class) {
                return configure(EmbeddedRedisCluster.builder().replicasPerMaster(replicas), material).start();
            }
            EmbeddedSentinel.Builder b = EmbeddedSentinel.builder().replicas(replicas);
            if (password) {
                b.password(PASSWORD);
            }
            return b.start();
        }

        /** Applies the variant's TLS, password and delay to a standalone or cluster builder. */
        private <B extends ServerBuilder<B>> B configure(B b, TlsMaterial material) {
            if (tls) {
                b.tls(material);
            }
            if (password) {
                b.password(PASSWORD);
            }
            if (delayMillis > 0) {
                b.oneWayDelay(Duration.ofMillis(delayMillis));
            }
            return b;
        }

        @Override
        public String toString() {
            return type.getSimpleName() + (tls ? " @Tls" : "") + (password ? " @Password" : "")
                    + (delayMillis > 0 ? " @Delayed(" + delayMillis + "ms)" : "") + (replicas > 0 ? " @Replicas(" + replicas + ")" : "");
        }
    }
}
