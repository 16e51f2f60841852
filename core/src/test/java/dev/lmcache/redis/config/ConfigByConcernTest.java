package dev.lmcache.redis.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lmcache.redis.ByteSize;
import dev.lmcache.redis.ChunkMetadata;
import dev.lmcache.redis.ConfigException;
import dev.lmcache.redis.Credentials;
import dev.lmcache.redis.Expiry;
import dev.lmcache.redis.KeyLayout;
import dev.lmcache.redis.KvDtype;
import dev.lmcache.redis.Limits;
import dev.lmcache.redis.RedisMode;
import dev.lmcache.redis.StoreConfig;
import dev.lmcache.redis.TlsOptions;
import dev.lmcache.redis.TlsVerify;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The configuration's groups (TLS, credentials, limits, expiry, raw chunk) and its one-table vocabularies. */
class ConfigByConcernTest {

    @Test
    void aRawDtypeWithoutAHeaderCodeFailsWhenTheConfigurationIsBuiltNamingTheSetting() {
        Map<String, Object> config = Map.of("remote_url", "valkey://h:6379", "extra_config",
                Map.of("single_chunk_shape", List.of(2, 2, 256, 8), "single_chunk_dtype", "int32"));

        assertThatThrownBy(() -> StoreConfig.fromMap(config))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("extra_config.single_chunk_dtype = 'int32'")
                .hasMessageContaining("accepted: ").hasMessageContaining("bfloat16");
        assertThatThrownBy(() -> StoreConfig.builder().url("valkey://h").singleChunkDtype("int32"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("singleChunkDtype: 'int32' is invalid");
        assertThatThrownBy(() -> StoreConfig.builder().url("valkey://h").singleChunkDtype("none"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("singleChunkDtype: 'none' is invalid");
    }

    @Test
    void rawChunkIsTheHeaderOfTheConfiguredGeometryForRawLayoutsOnly() {
        StoreConfig raw = StoreConfig.builder().url("valkey://h").chunkSizeTokens(16)
                .singleChunkShape(List.of(2, 2, 16, 8)).singleChunkDtype("torch.float16").build();
        ChunkMetadata m = raw.rawChunk().orElseThrow();
        assertThat(m.length()).isEqualTo(2 * 2 * 16 * 8 * 2);
        assertThat(m.fmt()).isEqualTo(StoreConfig.DEFAULT_SINGLE_CHUNK_FMT);
        assertThat(m.groups().get(0).dtype()).isEqualTo(KvDtype.FLOAT16);

        assertThat(StoreConfig.builder().url("valkey://h").build().rawChunk()).isEmpty();
        assertThat(raw.toBuilder().keyLayout(KeyLayout.LMCACHE).build().rawChunk()).isEmpty();
        assertThat(StoreConfig.builder().url("valkey://h").chunkSizeTokens(16).singleChunkShape(List.of(2, 2, 16, 8))
                .build().rawChunk().orElseThrow().groups().get(0).dtype()).isEqualTo(KvDtype.BFLOAT16);
    }

    @Test
    void aRawShapeTooLargeForAChunkFailsWhenTheConfigurationIsBuilt() {
        assertThatThrownBy(() -> StoreConfig.builder().url("valkey://h").singleChunkFmt(0)
                .singleChunkShape(List.of(1 << 16, 1 << 16)).build())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("singleChunkShape (single_chunk_shape) [65536, 65536] gives 8589934592 bytes");
    }

    @Test
    void theGroupsHoldWhatTheFlatAccessorsSayAndTheirSettersAreTheSameSettings() {
        StoreConfig c = StoreConfig.builder().url("redis://h")
                .limits(new Limits(8, 256L << 20, 64, 1L << 20))
                .expiry(new Expiry(60, false))
                .credentials(Credentials.of("alice", "pw".toCharArray()))
                .build();

        assertThat(c.limits()).isEqualTo(new Limits(8, 256L << 20, 64, 1L << 20));
        assertThat(c.workers()).isEqualTo(8);
        assertThat(c.maxInflightBytes()).isEqualTo(256L << 20);
        assertThat(c.expiry().refreshSeconds()).isZero();
        assertThat(c.ttlSeconds()).isEqualTo(60);
        assertThat(c.username()).contains("alice");
        assertThat(c.credentials()).isEqualTo(Credentials.of("alice", "pw".toCharArray()));
        assertThat(c.credentials().toString()).isEqualTo("Credentials[username=alice, password=***]");
        assertThat(c.tlsOptions()).isEqualTo(TlsOptions.OFF);
        assertThat(StoreConfig.builder().url("redis://h").workers(8).maxInflightBytes(256L << 20).maxKeysPerCommand(64)
                .maxBytesPerCommand(1L << 20).ttlSeconds(60).ttlRefreshOnHit(false).username("alice").password("pw")
                .build()).isEqualTo(c);
        assertThat(new Expiry(60, true).refreshSeconds()).isEqualTo(60);
    }

    @Test
    void theDefaultsAreThePublicConstants() {
        StoreConfig c = StoreConfig.fromUrl("redis://h");

        assertThat(c.limits()).isEqualTo(Limits.DEFAULTS);
        assertThat(c.expiry()).isEqualTo(Expiry.NEVER);
        assertThat(c.credentials()).isEqualTo(Credentials.NONE);
        assertThat(c.chunkSizeTokens()).isEqualTo(StoreConfig.DEFAULT_CHUNK_SIZE_TOKENS);
        assertThat(c.requestTimeout()).hasSeconds(StoreConfig.DEFAULT_REQUEST_TIMEOUT_SECONDS);
        assertThat(c.connectTimeout()).hasSeconds(StoreConfig.DEFAULT_CONNECT_TIMEOUT_SECONDS);
        assertThat(c.topologyRefreshPeriod()).hasSeconds(StoreConfig.DEFAULT_TOPOLOGY_REFRESH_SECONDS);
        assertThat(c.sentinelMasterName()).isEqualTo(StoreConfig.DEFAULT_SENTINEL_MASTER);
        assertThat(c.tlsVerify()).isEqualTo(TlsOptions.DEFAULT_VERIFY);
    }

    @Test
    void aMisspeltEnumNameGetsASuggestionAndTheAcceptedNames() {
        assertThatThrownBy(() -> KeyLayout.fromConfig("taged"))
                .hasMessage("key_layout 'taged' is not supported; did you mean 'tagged'? accepted: lmcache, tagged,"
                        + " single, mp");
        assertThatThrownBy(() -> RedisMode.fromConfig("clustr")).hasMessageContaining("did you mean 'cluster'?")
                .hasMessageContaining("accepted: standalone, cluster, sentinel");
        assertThatThrownBy(() -> TlsVerify.fromConfig("partial")).hasMessage("tls_verify 'partial' is not supported;"
                + " accepted: full, ca, none");
        assertThat(TlsVerify.fromConfig(" CA ")).isEqualTo(TlsVerify.CA);
    }

    @Test
    void byteSizesFollowOneGrammar() {
        assertThat(ByteSize.parse("64MiB")).isEqualTo(64L << 20);
        assertThat(ByteSize.parse("1g")).isEqualTo(1L << 30);
        assertThat(ByteSize.parse("1.5k")).isEqualTo(1536);
        assertThat(ByteSize.parse(" 512 mb ")).isEqualTo(512L << 20);
        assertThatThrownBy(() -> ByteSize.parse("12 parsecs")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(ByteSize.FORMS);
        assertThatThrownBy(() -> ByteSize.parse("0.5")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aConfigurationWithoutServerListsEveryUrlScheme() {
        assertThatThrownBy(() -> StoreConfig.builder().build())
                .hasMessageContaining(RedisUrl.schemeList())
                .hasMessageContaining("rediss-cluster://");
    }
}
