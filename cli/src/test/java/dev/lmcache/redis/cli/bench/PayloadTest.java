package dev.lmcache.redis.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lmcache.redis.ChunkKey;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class PayloadTest {
    private final ChunkSet model = ChunkSet.bytes(1003);

    @Test
    void theContentIsAFunctionOfTheKeyAlone() {
        ChunkKey key = model.key(7);
        assertThat(Payload.bytes(key, 1003)).isEqualTo(Payload.bytes(key, 1003));
        assertThat(Payload.bytes(key, 1003)).isNotEqualTo(Payload.bytes(model.key(8), 1003));
    }

    @Test
    void verificationAcceptsTheExactBytesAndRejectsAnyChangedByte() {
        ChunkKey key = model.key(1);
        byte[] data = Payload.bytes(key, 1003);
        assertThat(Payload.matches(ByteBuffer.wrap(data), key, 1003)).isTrue();
        for (int i : new int[] {0, 500, 1000, 1002}) {
            byte[] bad = data.clone();
            bad[i] ^= 1;
            assertThat(Payload.matches(ByteBuffer.wrap(bad), key, 1003)).as("byte %d flipped", i).isFalse();
        }
        assertThat(Payload.matches(ByteBuffer.wrap(data, 0, 1002), key, 1003)).as("one byte short").isFalse();
        assertThat(Payload.matches(ByteBuffer.wrap(data), model.key(2), 1003)).as("another key's content").isFalse();
    }

    @Test
    void verificationWorksOnASliceOfADirectBuffer() {
        ChunkKey key = model.key(3);
        ByteBuffer direct = ByteBuffer.allocateDirect(2000);
        direct.position(17);
        ByteBuffer slice = direct.slice().limit(1003);
        Payload.fill(slice, Payload.seed(key), 1003);
        assertThat(Payload.matches(slice, key, 1003)).isTrue();
    }

    @Test
    void presetsHaveTheDocumentedChunkSizes() {
        assertThat(ChunkSet.preset("llama-3.1-8b").chunkBytes()).isEqualTo(32 << 20);
        assertThat(ChunkSet.preset("llama-3.1-70b-tp8").chunkBytes()).isEqualTo(10 << 20);
        assertThat(ChunkSet.preset("small").chunkBytes()).isEqualTo(32 << 10);
    }
}
