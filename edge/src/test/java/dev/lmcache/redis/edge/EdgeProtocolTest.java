package dev.lmcache.redis.edge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lmcache.redis.StoreConfig;
import dev.lmcache.redis.embedded.EmbeddedRedis;
import dev.lmcache.redis.embedded.RedisExtension;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** What the edge answers, byte for byte, to what LMCache's client, redis-cli and probes send. */
@ExtendWith(RedisExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EdgeProtocolTest {
    static final int CHUNK = 1 << 20;
    private EdgeServer edge;
    private RedisClient direct;
    private RedisCommands<byte[], byte[]> redis;

    @BeforeAll
    void start(EmbeddedRedis server) {
        edge = EdgeServer.start(EdgeConfig.builder().listen("127.0.0.1", 0).chunkBytes(CHUNK).build(), StoreConfig.fromUrl(server.url()));
        direct = RedisClient.create(server.url());
        redis = direct.connect(ByteArrayCodec.INSTANCE).sync();
    }

    @AfterAll
    void stop() {
        edge.close();
        direct.shutdown();
    }

    static byte[] chunk(int seed) {
        byte[] b = new byte[CHUNK];
        new Random(seed).nextBytes(b);
        return b;
    }

    static String key(String test) {
        return "model@01000100@0@" + String.format("%064x", test.hashCode() & 0xffffffffL);
    }

    @Test
    void aSetIsStoredUnderItsOwnNameWithTheRawValueAndAGetReturnsExactlyIt() throws IOException {
        String key = key("roundtrip");
        byte[] value = chunk(1);
        try (Resp c = new Resp(edge.port())) {
            assertThat(c.call("+OK\r\n", "SET", key, value)).isEqualTo("+OK\r\n");
            assertThat(redis.get(key.getBytes(StandardCharsets.UTF_8))).isEqualTo(value);
            c.send("GET", key);
            assertThat(c.readText(10)).isEqualTo("$1048576\r\n");
            assertThat(c.read(CHUNK)).isEqualTo(value);
            assertThat(c.readText(2)).isEqualTo("\r\n");
        }
    }

    @Test
    void getHitIsTheHeaderTheValueAndCrlf() throws IOException {
        String key = key("hit");
        byte[] value = chunk(2);
        redis.set(key.getBytes(StandardCharsets.UTF_8), value);
        try (Resp c = new Resp(edge.port())) {
            c.send("GET", key);
            assertThat(c.readText(10)).isEqualTo("$1048576\r\n");
            assertThat(c.read(CHUNK)).isEqualTo(value);
            assertThat(c.readText(2)).isEqualTo("\r\n");
            assertThat(c.quietFor(200)).isTrue();
        }
    }

    @Test
    void aMissIsAnErrorOfExactlyTheGetHeadersLengthAndTheConnectionStaysInStep() throws IOException {
        try (Resp c = new Resp(edge.port())) {
            assertThat(c.call("-NOCHUNK\r\n", "GET", key("absent"))).isEqualTo("-NOCHUNK\r\n");
            assertThat(c.quietFor(200)).isTrue();
            assertThat(c.call("+PONG\r\n", "PING")).isEqualTo("+PONG\r\n");
        }
    }

    @Test
    void aStoredValueOfAnotherSizeIsAMissNeverPassedOn() throws IOException {
        String key = key("wrong-size");
        redis.set(key.getBytes(StandardCharsets.UTF_8), new byte[1000]);
        try (Resp c = new Resp(edge.port())) {
            assertThat(c.call("-NOCHUNK\r\n", "GET", key)).isEqualTo("-NOCHUNK\r\n");
            assertThat(c.quietFor(200)).isTrue();
        }
    }

    @Test
    void aSetOfAnotherSizeIsRefusedWithFiveBytes() throws IOException {
        try (Resp c = new Resp(edge.port())) {
            assertThat(c.call("-NO\r\n", "SET", key("small"), new byte[100])).isEqualTo("-NO\r\n");
            assertThat(redis.exists(key("small").getBytes(StandardCharsets.UTF_8))).isZero();
        }
    }

    @Test
    void aValueOverTheLimitIsRefusedWithoutBeingBufferedAndTheConnectionGoesOn() throws IOException {
        try (Resp c = new Resp(edge.port())) {
            // 4 MiB against a 1 MiB limit: skipped as it arrives
            assertThat(c.call("-NO\r\n", "SET", key("oversize"), new byte[4 * CHUNK])).isEqualTo("-NO\r\n");
            assertThat(c.call("+PONG\r\n", "PING")).isEqualTo("+PONG\r\n");
            assertThat(redis.exists(key("oversize").getBytes(StandardCharsets.UTF_8))).isZero();
        }
    }

    @Test
    void existsAndDelAnswerFourBytesAndCountSeveralKeys() throws IOException {
        String a = key("exists-a");
        String b = key("exists-b");
        try (Resp c = new Resp(edge.port())) {
            c.call("+OK\r\n", "SET", a, chunk(3));
            c.call("+OK\r\n", "SET", b, chunk(4));
            assertThat(c.call(":1\r\n", "EXISTS", a)).isEqualTo(":1\r\n");
            assertThat(c.call(":0\r\n", "EXISTS", key("exists-none"))).isEqualTo(":0\r\n");
            assertThat(c.call(":2\r\n", "EXISTS", a, b, key("exists-none"))).isEqualTo(":2\r\n");
            assertThat(c.call(":1\r\n", "DEL", a)).isEqualTo(":1\r\n");
            assertThat(c.call(":0\r\n", "DEL", a)).isEqualTo(":0\r\n");
            assertThat(c.call(":0\r\n", "EXISTS", a)).isEqualTo(":0\r\n");
        }
    }

    @Test
    void authInBothFormsIsAcceptedWithoutTenants() throws IOException {
        try (Resp c = new Resp(edge.port())) {
            assertThat(c.call("+OK\r\n", "AUTH", "anything")).isEqualTo("+OK\r\n");
            assertThat(c.call("+OK\r\n", "AUTH", "user", "pass")).isEqualTo("+OK\r\n");
        }
    }

    @Test
    void setWithExGivesTheKeyAnExpiry() throws IOException {
        String key = key("set-ex");
        try (Resp c = new Resp(edge.port())) {
            assertThat(c.call("+OK\r\n", "SET", key, chunk(5), "EX", "100")).isEqualTo("+OK\r\n");
        }
        assertThat(redis.ttl(key.getBytes(StandardCharsets.UTF_8))).isBetween(90L, 100L);
    }

    @Test
    void pingSelectCommandInfoAndUnknownCommandsAnswerAsRedisDoes() throws IOException {
        try (Resp c = new Resp(edge.port())) {
            assertThat(c.call("+PONG\r\n", "PING")).isEqualTo("+PONG\r\n");
            assertThat(c.call("$2\r\nhi\r\n", "PING", "hi")).isEqualTo("$2\r\nhi\r\n");
            assertThat(c.call("+OK\r\n", "SELECT", "0")).isEqualTo("+OK\r\n");
            String bad = "-ERR DB index is out of range (the edge has database 0 only)\r\n";
            assertThat(c.call(bad, "SELECT", "1")).isEqualTo(bad);
            assertThat(c.call("*0\r\n", "COMMAND", "DOCS")).isEqualTo("*0\r\n");
            c.send("INFO");
            String header = c.readText(1);
            assertThat(header).isEqualTo("$");
            StringBuilder len = new StringBuilder();
            for (String ch = c.readText(1); !ch.equals("\r"); ch = c.readText(1)) {
                len.append(ch);
            }
            c.readText(1);
            String info = c.readText(Integer.parseInt(len.toString()) + 2);
            assertThat(info).contains("redis_version:").contains("chunk_bytes:1048576").contains("write_mode:through");
            c.send("FLUSHALL");
            String unknown = "-ERR unknown command 'FLUSHALL'; the edge answers GET, SET, EXISTS, DEL, AUTH, PING, QUIT, SELECT, INFO, COMMAND, ECHO\r\n";
            assertThat(c.readText(unknown.length())).isEqualTo(unknown);
        }
    }

    @Test
    void inlineCommandsOfProbesWork() throws IOException {
        try (Resp c = new Resp(edge.port())) {
            c.send("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(c.readText(7)).isEqualTo("+PONG\r\n");
        }
    }

    @Test
    void everyCommandPipelinedAfterAWriteSeesThatWrite() throws IOException {
        try (Resp c = new Resp(edge.port())) {
            for (int i = 0; i < 30; i++) {
                String key = key("after-write-" + i);
                byte[] value = chunk(i);
                java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
                all.writeBytes(Resp.command("SET", key, value));
                all.writeBytes(Resp.command("EXISTS", key));
                all.writeBytes(Resp.command("GET", key));
                all.writeBytes(Resp.command("DEL", key));
                all.writeBytes(Resp.command("EXISTS", key));
                c.send(all.toByteArray());

                assertThat(c.readText(5)).isEqualTo("+OK\r\n");
                assertThat(c.readText(4)).as("EXISTS after SET, round %d", i).isEqualTo(":1\r\n");
                assertThat(c.readText(10)).isEqualTo("$1048576\r\n");
                assertThat(c.read(CHUNK)).isEqualTo(value);
                assertThat(c.readText(2)).isEqualTo("\r\n");
                assertThat(c.readText(4)).as("DEL after GET, round %d", i).isEqualTo(":1\r\n");
                assertThat(c.readText(4)).as("EXISTS after DEL, round %d", i).isEqualTo(":0\r\n");
            }
        }
    }

    @Test
    void pipelinedCommandsAreAnsweredInOrder() throws IOException {
        String key = key("pipelined");
        byte[] value = chunk(6);
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        all.writeBytes(Resp.command("SET", key, value));
        all.writeBytes(Resp.command("GET", key("pipelined-absent")));
        all.writeBytes(Resp.command("PING"));
        all.writeBytes(Resp.command("EXISTS", key));
        all.writeBytes(Resp.command("GET", key));
        all.writeBytes(Resp.command("DEL", key));
        try (Resp c = new Resp(edge.port())) {
            c.send(all.toByteArray());
            assertThat(c.readText(5)).isEqualTo("+OK\r\n");
            assertThat(c.readText(10)).isEqualTo("-NOCHUNK\r\n");
            assertThat(c.readText(7)).isEqualTo("+PONG\r\n");
            assertThat(c.readText(4)).isEqualTo(":1\r\n");
            assertThat(c.readText(10)).isEqualTo("$1048576\r\n");
            assertThat(c.read(CHUNK)).isEqualTo(value);
            assertThat(c.readText(2)).isEqualTo("\r\n");
            assertThat(c.readText(4)).isEqualTo(":1\r\n");
        }
    }

    @Test
    void malformedRespClosesTheConnection() throws IOException {
        try (Resp c = new Resp(edge.port())) {
            c.send("*2\r\n$3\r\nGET\r\n$3\r\nabcdef\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(c.closedByPeer()).isTrue();
        }
        try (Resp c = new Resp(edge.port())) {
            c.send("*x\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(c.closedByPeer()).isTrue();
        }
        try (Resp c = new Resp(edge.port())) {
            assertThat(c.call("+PONG\r\n", "PING")).isEqualTo("+PONG\r\n");
        }
    }

    @Test
    void quitAnswersOkThenCloses() throws IOException {
        try (Resp c = new Resp(edge.port())) {
            assertThat(c.call("+OK\r\n", "QUIT")).isEqualTo("+OK\r\n");
            assertThat(c.closedByPeer()).isTrue();
        }
    }

    @Test
    void aSlowReaderIsBoundedTheEdgeStopsReadingAndEverythingArrivesInOrderLater() throws Exception {
        // long keys, so that the requests outgrow the kernel's socket buffers (about 12 MB of them)
        String key = key("slow-reader") + "x".repeat(4000);
        byte[] value = chunk(7);
        redis.set(key.getBytes(StandardCharsets.UTF_8), value);
        int requests = 3000; // 3 GiB of replies if they were all buffered
        byte[] get = Resp.command("GET", key);
        try (Resp c = new Resp(edge.port())) {
            c.socket.setReceiveBufferSize(64 * 1024);
            java.util.concurrent.CompletableFuture<Void> writer = java.util.concurrent.CompletableFuture.runAsync(() -> {
                try {
                    for (int i = 0; i < requests; i++) {
                        c.socket.getOutputStream().write(get);
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            Thread.sleep(1500);
            // the edge stopped reading requests, so the client's writes block: nothing unbounded on the edge
            assertThat(writer).isNotDone();
            for (int i = 0; i < requests; i++) {
                assertThat(c.readText(10)).isEqualTo("$1048576\r\n");
                byte[] got = c.read(CHUNK);
                if (i % 500 == 0) {
                    assertThat(got).isEqualTo(value);
                }
                assertThat(c.readText(2)).isEqualTo("\r\n");
            }
            writer.get(10, java.util.concurrent.TimeUnit.SECONDS);
        }
    }
}
