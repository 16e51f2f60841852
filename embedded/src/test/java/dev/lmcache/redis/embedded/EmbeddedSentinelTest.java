package dev.lmcache.redis.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(RedisExtension.class)
class EmbeddedSentinelTest {

    private static final RedisClient CLIENT = TestClients.standalone(null);

    @AfterAll
    static void shutdown() {
        TestClients.shutdown(CLIENT);
    }

    @Test
    void theSentinelReportsTheMasterAndClientsReachItThroughTheSentinel(@Password @Replicas(1) EmbeddedSentinel sentinel) {
        assertThat(sentinel.url()).isEqualTo("redis-sentinel://127.0.0.1:" + sentinel.sentinelPort());
        assertThat(sentinel.masterName()).isEqualTo(EmbeddedSentinel.DEFAULT_MASTER_NAME);
        assertThat(sentinel.replicas()).hasSize(1);
        InetSocketAddress master = sentinel.currentMasterAddress();
        assertThat(master.getPort()).isEqualTo(sentinel.master().port());

        try (StatefulRedisConnection<String, String> c = CLIENT.connect(sentinel.redisUri())) {
            c.sync().set("sentinel-test:key", "through-sentinel");
            assertThat(c.sync().get("sentinel-test:key")).isEqualTo("through-sentinel");
        }
    }

    @Test
    void noProcessIsLeftAfterClose() {
        EmbeddedSentinel sentinel = EmbeddedSentinel.builder().masterName("other-master").start();
        List<Long> pids = List.of(sentinel.sentinelPid(), sentinel.master().pid());
        assertThat(sentinel.currentMasterAddress().getPort()).isEqualTo(sentinel.master().port());
        sentinel.close();
        for (long pid : pids) {
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        }
    }
}
