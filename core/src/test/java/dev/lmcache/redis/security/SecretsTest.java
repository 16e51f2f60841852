package dev.lmcache.redis.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import ch.qos.logback.classic.Level;
import dev.lmcache.redis.ChunkKey;
import dev.lmcache.redis.KvCacheStore;
import dev.lmcache.redis.KvChunk;
import dev.lmcache.redis.StoreConfig;
import dev.lmcache.redis.TestChunks;
import dev.lmcache.redis.embedded.EmbeddedRedis;
import dev.lmcache.redis.fault.Faults;
import dev.lmcache.redis.fault.LogCapture;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Passwords never leave the configuration: not in any log line at any level (the store's, Lettuce's
 * or Netty's), not in exception messages or stack traces, not in {@code toString()}.
 */
class SecretsTest {
    private static final String PASSWORD = "Sup3r-Secr3t-Pass-91";
    private static final String TENANT_PASSWORD = "Tenant-Secr3t-Pass-77";
    private static final String WRONG_PASSWORD = "Wr0ng-Secr3t-Pass-13";
    private static final List<String> SECRETS = List.of(PASSWORD, TENANT_PASSWORD, WRONG_PASSWORD);

    private static String everything(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        return w.toString();
    }

    private static void assertNoSecret(String where, String text) {
        for (String s : SECRETS) {
            assertThat(text).as("%s must not contain a password", where).doesNotContain(s)
                    .doesNotContain(URLEncoder.encode(s, StandardCharsets.UTF_8));
        }
    }

    @Test
    void passwordsAppearInNoLogLineExceptionOrToStringThroughOpenUseFailedAuthAndClose() {
        List<String> surfaces = new ArrayList<>();
        String logs;
        try (EmbeddedRedis redis = EmbeddedRedis.builder().password(PASSWORD)
                .aclUser("tenant", TENANT_PASSWORD, "~* +@all").start();
             LogCapture log = LogCapture.everything(Level.DEBUG)) {
            String withPassword = redis.url().replace("redis://", "redis://:" + PASSWORD + "@");
            StoreConfig byUrl = StoreConfig.builder().url(withPassword).requestTimeout(Faults.REQUEST_TIMEOUT).build();
            StoreConfig byAcl = Faults.config(redis.url()).username("tenant").password(TENANT_PASSWORD).build();
            for (StoreConfig config : List.of(byUrl, byAcl)) {
                surfaces.add(config.toString());
                surfaces.add(config.redactedUrl());
                try (KvCacheStore store = KvCacheStore.open(config)) {
                    surfaces.add(store.toString());
                    surfaces.add(store.config().toString());
                    ChunkKey k = TestChunks.key("security/secrets");
                    KvChunk c = TestChunks.chunk(1024, 3);
                    store.sync().put(k, c);
                    assertThat(store.sync().get(k)).isPresent();
                }
            }

            Throwable wrongDefault = catchThrowable(() -> KvCacheStore.open(
                    Faults.config(redis.url()).password(WRONG_PASSWORD).build()));
            Throwable wrongTenant = catchThrowable(() -> KvCacheStore.open(
                    Faults.config(redis.url()).username("tenant").password(WRONG_PASSWORD).build()));
            Throwable badUrl = catchThrowable(() -> StoreConfig.fromUrl("redis://:" + WRONG_PASSWORD + "@localhost:notaport"));
            Throwable badSetting = catchThrowable(() -> StoreConfig.fromMap(Map.of(
                    "remote_url", "redis://:" + WRONG_PASSWORD + "@localhost:6379",
                    "extra_config", Map.of("redis_mode", "bogus"))));
            Throwable tlsFilesWithoutTls = catchThrowable(() -> StoreConfig.builder().url(withPassword)
                    .tlsCertFile(java.nio.file.Path.of("/nonexistent/cert.pem")).build());
            for (Throwable t : List.of(wrongDefault, wrongTenant, badUrl, badSetting, tlsFilesWithoutTls)) {
                assertThat(t).isNotNull();
                surfaces.add(everything(t));
            }
            logs = log.fullText();
            assertThat(log.events()).as("DEBUG logging was captured from the libraries too")
                    .anySatisfy(e -> assertThat(e.getLoggerName()).startsWith("io.lettuce"));
        }
        assertNoSecret("the captured logs", logs);
        for (String s : surfaces) {
            assertNoSecret("this exception or toString: " + s.lines().findFirst().orElse(""), s);
        }
    }
}
