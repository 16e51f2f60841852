package dev.lmcache.redis.cli.text;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lmcache.redis.KvCacheException;
import io.lettuce.core.RedisConnectionException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.concurrent.CompletionException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/** The failure text, for the failures Lettuce and the store raise (a real refused connection: FailureHandlerTest). */
class FailuresTest {

    /** What the store throws when Lettuce cannot connect: its message, and Lettuce's exception as the cause. */
    private static KvCacheException storeCannotConnect(String url, RedisConnectionException lettuce) {
        return new KvCacheException("cannot connect to " + url + ": " + lettuce.getMessage(), lettuce);
    }

    @Test
    void aRefusedConnectionReadsAsHostPortAndConnectionRefused() {
        RedisConnectionException lettuce = new RedisConnectionException("Unable to connect to 127.0.0.1/<unresolved>:1",
                new ConnectException("finishConnect(..) failed with error(-111): Connection refused"));
        assertThat(Failures.message(storeCannotConnect("redis://127.0.0.1:1", lettuce)))
                .isEqualTo("cannot connect to 127.0.0.1:1: connection refused");
        assertThat(Failures.message(new CompletionException(lettuce)))
                .isEqualTo("cannot connect to 127.0.0.1:1: connection refused");
    }

    @Test
    void anUnknownHostAndATimeoutSayJustThat() {
        RedisConnectionException unknown = new RedisConnectionException("Unable to connect to db.invalid/<unresolved>:6379",
                new IllegalStateException("resolver", new UnknownHostException("db.invalid: Name or service not known")));
        assertThat(Failures.message(storeCannotConnect("redis://db.invalid:6379", unknown)))
                .isEqualTo("cannot connect to db.invalid:6379: unknown host");
        RedisConnectionException timeout = new RedisConnectionException("Unable to connect to 10.1.2.3/10.1.2.3:6379",
                new RuntimeException("connection timed out after 10000 ms: /10.1.2.3:6379"));
        assertThat(Failures.message(storeCannotConnect("redis://10.1.2.3:6379", timeout)))
                .isEqualTo("cannot connect to 10.1.2.3:6379: connection timed out");
    }

    @Test
    void withoutAnAddressFromLettuceTheStoresRedactedUrlIsNamed() {
        RedisConnectionException cluster = new RedisConnectionException("Unable to establish a connection to Redis Cluster",
                new ConnectException("Connection refused"));
        assertThat(Failures.message(storeCannotConnect("redis-cluster://127.0.0.1:1,127.0.0.1:2", cluster)))
                .isEqualTo("cannot connect to redis-cluster://127.0.0.1:1,127.0.0.1:2: connection refused");
    }

    @Test
    void anotherCauseOfAConnectionFailureKeepsItsOwnMessage() {
        RedisConnectionException tls = new RedisConnectionException("Unable to connect to h/<unresolved>:6380",
                new SSLHandshakeException("PKIX path building failed"));
        assertThat(Failures.message(storeCannotConnect("rediss://h:6380", tls)))
                .isEqualTo("cannot connect to h:6380: PKIX path building failed");
    }

    @Test
    void otherFailuresKeepTheirMessageOrNameTheirType() {
        assertThat(Failures.message(new CompletionException(new IllegalStateException("OOM command not allowed"))))
                .isEqualTo("OOM command not allowed");
        assertThat(Failures.message(new IllegalStateException())).isEqualTo("IllegalStateException");
        assertThat(Failures.kind(new CompletionException(new ArithmeticException("x")))).isEqualTo("ArithmeticException");
    }
}
