package dev.lmcache.redis.cli;

import static org.assertj.core.api.Assertions.assertThat;

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
}
