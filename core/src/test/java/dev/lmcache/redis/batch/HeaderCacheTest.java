package dev.lmcache.redis.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lmcache.redis.ChunkMetadata;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The shared decoding of identical metadata headers never answers for other bytes. */
class HeaderCacheTest {

    @Test
    void identicalHeadersShareOneDecodingAndOthersAreDecodedForThemselves() {
        HeaderCache cache = new HeaderCache();
        ByteBuffer a = ByteBuffer.wrap(ChunkMetadata.binary(2048).encode());
        ByteBuffer b = ByteBuffer.wrap(ChunkMetadata.binary(4096).encode());
        ChunkMetadata first = cache.decode(a);
        assertThat(first).isEqualTo(ChunkMetadata.binary(2048));
        assertThat(cache.decode(ByteBuffer.wrap(ChunkMetadata.binary(2048).encode()))).isSameAs(first);
        assertThat(cache.decode(b)).isEqualTo(ChunkMetadata.binary(4096));
        assertThat(cache.decode(a)).isEqualTo(ChunkMetadata.binary(2048));
        assertThat(a.position()).as("the bytes are not consumed").isZero();
    }

    @Test
    void aCorruptHeaderAfterAValidOneStillFails() {
        HeaderCache cache = new HeaderCache();
        byte[] valid = ChunkMetadata.binary(2048).encode();
        cache.decode(ByteBuffer.wrap(valid));
        assertThatThrownBy(() -> cache.decode(ByteBuffer.wrap(Arrays.copyOf(valid, 10))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("10 bytes");
        assertThat(cache.decode(ByteBuffer.wrap(valid))).isEqualTo(ChunkMetadata.binary(2048));
    }
}
