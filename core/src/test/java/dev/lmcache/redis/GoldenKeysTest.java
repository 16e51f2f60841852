package dev.lmcache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lmcache.redis.TokenHasherTest.GoldenCase;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The whole key strings of {@code golden/token-hashes.json} (LMCache's own keys for each prompt):
 * a {@link PrefixQuery} named in the {@code mp} layout (current and pre-2026-06-09 names) or in the
 * {@code single} layout (the in-process key string itself) gives exactly those strings, in order.
 */
class GoldenKeysTest {

    static List<GoldenCase> goldenCases() {
        return TokenHasherTest.goldenCases();
    }

    private static PrefixQuery query(GoldenCase c) {
        // The golden file's one model; its in-process keys include the partial chunk (save_unfull_chunk).
        PrefixQuery.Builder q = PrefixQuery.builder().model("meta-llama/Llama-3.1-8B-Instruct")
                .tokens(c.tokens()).hasher(c.settings().saveUnfullChunk(true).build());
        if (c.raw().get("cache_salt") != null) {
            q.cacheSalt((String) c.raw().get("cache_salt"));
        }
        @SuppressWarnings("unchecked")
        Map<String, String> configs = (Map<String, String>) c.raw().getOrDefault("request_configs", Map.of());
        configs.forEach((k, v) -> {
            if (k.startsWith("lmcache.tag.")) {
                q.tag(k.substring("lmcache.tag.".length()), v);
            }
        });
        return q.build();
    }

    private static List<String> names(PrefixQuery q, KeyLayout layout, Integer objectGroup) {
        KeyNaming naming = KeyNaming.of(layout, false, null, objectGroup);
        return q.forLayout(layout).stream().map(ranks -> naming.dataKey(ranks.get(0))).toList();
    }

    @ParameterizedTest
    @MethodSource("goldenCases")
    void everyGoldenKeyStringIsReproducedFromTheTokens(GoldenCase c) {
        PrefixQuery q = query(c);

        if (c.mp()) {
            assertThat(names(q, KeyLayout.MP, 0)).containsExactlyElementsOf(c.list("mp_keys"));
            assertThat(names(q, KeyLayout.MP, null)).containsExactlyElementsOf(c.list("mp_keys_before_2026_06_09"));
        } else {
            assertThat(names(q, KeyLayout.SINGLE, null)).containsExactlyElementsOf(c.list("keys"));
        }
    }
}
