package dev.lmcache.redis.cli.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lmcache.redis.KvCacheStore;
import dev.lmcache.redis.cli.text.Marks;
import dev.lmcache.redis.embedded.EmbeddedRedis;
import dev.lmcache.redis.embedded.RedisExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The checks through the store API, without the command around them. */
@ExtendWith(RedisExtension.class)
class ChecksTest {

    private static long lines(String text, String mark) {
        return text.lines().filter(l -> l.trim().startsWith(mark + " ")).count();
    }

    @Test
    void checksRunsThroughTheApiAndReportsEachCheck(EmbeddedRedis redis) {
        StringWriter text = new StringWriter();
        Checks.Report report;
        try (KvCacheStore store = KvCacheStore.open(redis.url())) {
            report = Checks.run(store, new PrintWriter(text, true));
        }
        assertThat(report.allPassed()).as("%s", text).isTrue();
        assertThat(report.results()).extracting(Checks.Result::name).containsExactly("connection", "put/get one chunk",
                "batched get", "order preservation", "missing keys and prefix", "batched vs per-key get",
                "pipelined batched put");
        assertThat(text.toString().lines()).hasSize(7);
    }

    @Test
    void aClosedStoreFailsTheConnectionCheckAndSkipsTheOthers(EmbeddedRedis redis) {
        KvCacheStore store = KvCacheStore.open(redis.url());
        store.close();
        StringWriter text = new StringWriter();
        Checks.Report report = Checks.run(store, new PrintWriter(text, true));
        assertThat(report.allPassed()).isFalse();
        assertThat(report.results()).hasSize(7).noneMatch(Checks.Result::passed);
        assertThat(report.results().get(6).detail()).isEqualTo("not run: no connection");
        assertThat(lines(text.toString(), Marks.FAIL)).isEqualTo(7);
    }
}
