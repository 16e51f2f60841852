package dev.lmcache.redis.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lmcache.redis.ChunkKey;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class BenchPayloadTest {
    private final BenchModel model = BenchModel.bytes(1003);

    @Test
    void theContentIsAFunctionOfTheKeyAlone() {
        ChunkKey key = model.key(7);
        assertThat(BenchPayload.bytes(key, 1003)).isEqualTo(BenchPayload.bytes(key, 1003));
        assertThat(BenchPayload.bytes(key, 1003)).isNotEqualTo(BenchPayload.bytes(model.key(8), 1003));
    }

    @Test
    void verificationAcceptsTheExactBytesAndRejectsAnyChangedByte() {
        ChunkKey key = model.key(1);
        byte[] data = BenchPayload.bytes(key, 1003);
        assertThat(BenchPayload.matches(ByteBuffer.wrap(data), key, 1003)).isTrue();
        for (int i : new int[] {0, 500, 1000, 1002}) {
            byte[] bad = data.clone();
            bad[i] ^= 1;
            assertThat(BenchPayload.matches(ByteBuffer.wrap(bad), key, 1003)).as("byte %d flipped", i).isFalse();
        }
        assertThat(BenchPayload.matches(ByteBuffer.wrap(data, 0, 1002), key, 1003)).as("one byte short").isFalse();
        assertThat(BenchPayload.matches(ByteBuffer.wrap(data), model.key(2), 1003)).as("another key's content").isFalse();
    }

    @Test
    void verificationWorksOnASliceOfADirectBuffer() {
        ChunkKey key = model.key(3);
        ByteBuffer direct = ByteBuffer.allocateDirect(2000);
        direct.position(17);
        ByteBuffer slice = direct.slice().limit(1003);
        BenchPayload.fill(slice, BenchPayload.seed(key), 1003);
        assertThat(BenchPayload.matches(slice, key, 1003)).isTrue();
    }

    @Test
    void presetsHaveTheDocumentedChunkSizes() {
        assertThat(BenchModel.preset("llama-3.1-8b").chunkBytes()).isEqualTo(32 << 20);
        assertThat(BenchModel.preset("llama-3.1-70b-tp8").chunkBytes()).isEqualTo(10 << 20);
        assertThat(BenchModel.preset("small").chunkBytes()).isEqualTo(32 << 10);
    }

    @Test
    void sizesAndDurationsParseWithSuffixesAndRejectNonsense() {
        assertThat(BenchSizes.parseBytes("--x", "2048")).isEqualTo(2048);
        assertThat(BenchSizes.parseBytes("--x", "32k")).isEqualTo(32 << 10);
        assertThat(BenchSizes.parseBytes("--x", "8MiB")).isEqualTo(8 << 20);
        assertThat(BenchSizes.parseBytes("--x", "1g")).isEqualTo(1L << 30);
        assertThat(BenchSizes.parseByteList("--x", "1m,8m,32m", 1, Long.MAX_VALUE)).containsExactly(1L << 20, 8L << 20, 32L << 20);
        assertThat(BenchSizes.parseMillis("--d", "60s")).isEqualTo(60_000);
        assertThat(BenchSizes.parseMillis("--d", "2m")).isEqualTo(120_000);
        assertThat(BenchSizes.parseMillis("--d", "500ms")).isEqualTo(500);
        assertThatThrownBy(() -> BenchSizes.parseBytes("--chunk-bytes", "lots")).hasMessageContaining("--chunk-bytes")
                .hasMessageContaining("32k");
        assertThatThrownBy(() -> BenchSizes.parseIntList("--keys", "1,x", 1, 10)).hasMessageContaining("--keys");
    }
}
