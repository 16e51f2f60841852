package dev.lmcache.redis.security;

import static dev.lmcache.redis.TestChunks.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lmcache.redis.BatchException;
import dev.lmcache.redis.ChunkKey;
import dev.lmcache.redis.KvCacheException;
import dev.lmcache.redis.KvCacheStore;
import dev.lmcache.redis.KvChunk;
import dev.lmcache.redis.RawRedis;
import dev.lmcache.redis.StoreConfig;
import dev.lmcache.redis.TestChunks;
import dev.lmcache.redis.embedded.EmbeddedRedis;
import dev.lmcache.redis.fault.Faults;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Tenants separated by Redis ACL key patterns over the store's key prefix: a tenant's store
 * works inside its namespace, and every attempt outside it is refused by the server and surfaces
 * as a failed call naming the key, never as a miss, a silent write or another tenant's bytes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AclTenantTest {
    /** Data commands only, on the tenant's own keys: no CONFIG, no admin, no other keys. */
    private static final String RULES = "~lmcache-a@* resetchannels -@all +@read +@write +@keyspace +@connection -@dangerous";

    private EmbeddedRedis redis;
    private KvCacheStore tenantB;

    @BeforeAll
    void start() {
        redis = EmbeddedRedis.builder().aclUser("tenant-a", "pw-tenant-a", RULES).start();
        // tenant B's chunks, written by a user allowed everywhere
        tenantB = KvCacheStore.open(Faults.config(redis.url()).keyPrefix("lmcache-b").build());
    }

    @AfterAll
    void stop() {
        tenantB.close();
        redis.close();
    }

    private StoreConfig.Builder tenantA() {
        return Faults.config(redis.url()).username("tenant-a").password("pw-tenant-a");
    }

    @Test
    void aTenantUserCanUseTheStoreInsideItsOwnPrefix() {
        try (KvCacheStore store = KvCacheStore.open(tenantA().keyPrefix("lmcache-a").build())) {
            List<ChunkKey> keys = TestChunks.keys("security/acl", 10);
            List<KvChunk> chunks = TestChunks.chunks(10, 2048);
            store.sync().batchedPut(keys, chunks);
            assertThat(Faults.assertHitsExact(store.sync().batchedGet(keys), chunks)).isEqualTo(10);
            assertThat(store.sync().batchedContains(keys)).isEqualTo(10);
            assertThat(store.sync().list("security/acl")).containsExactlyInAnyOrderElementsOf(keys);
            assertThat(store.sync().remove(keys.get(0))).isTrue();
            assertThat(store.sync().get(keys.get(0))).isEmpty();
        }
    }

    @Test
    void writesOutsideTheTenantsPrefixAreRefusedNamingTheKeyAndNothingIsWritten() throws Exception {
        try (KvCacheStore store = KvCacheStore.open(tenantA().keyPrefix("lmcache-b").build());
             RawRedis raw = RawRedis.open(redis.url())) {
            ChunkKey key = TestChunks.key("security/acl");
            assertThatThrownBy(() -> store.sync().put(key, TestChunks.chunk(1024, 1)))
                    .isInstanceOf(KvCacheException.class)
                    .hasMessageContaining(key.toString())
                    .hasMessageContaining("NOPERM");
            assertThatThrownBy(() -> store.sync().batchedPut(List.of(key), List.of(TestChunks.chunk(1024, 1))))
                    .isInstanceOf(BatchException.class)
                    .hasMessageContaining(key.toString())
                    .hasMessageContaining("NOPERM");
            assertThat(raw.exists("lmcache-b@" + key + "kv_bytes")).isFalse();
            assertThat(raw.exists("lmcache-b@" + key + "metadata")).isFalse();
        }
    }

    @Test
    void anotherTenantsChunksCannotBeReadOrProbedOrDeleted() {
        ChunkKey theirs = TestChunks.key("security/acl");
        KvChunk secret = TestChunks.chunk(1024, 42);
        tenantB.sync().put(theirs, secret);
        try (KvCacheStore store = KvCacheStore.open(tenantA().keyPrefix("lmcache-b").build())) {
            assertThatThrownBy(() -> store.sync().get(theirs)).isInstanceOf(KvCacheException.class)
                    .hasMessageContaining(theirs.toString()).hasMessageContaining("NOPERM");
            assertThatThrownBy(() -> store.sync().batchedGet(List.of(theirs))).isInstanceOf(BatchException.class)
                    .hasMessageContaining(theirs.toString()).hasMessageContaining("NOPERM");
            assertThatThrownBy(() -> store.sync().exists(theirs)).isInstanceOf(KvCacheException.class)
                    .hasMessageContaining(theirs.toString()).hasMessageContaining("NOPERM");
            List<ChunkKey> probe = List.of(theirs, TestChunks.key("security/acl"), TestChunks.key("security/acl"));
            assertThatThrownBy(() -> store.sync().batchedContains(probe)).as("a batched lookup fails naming its first key")
                    .isInstanceOf(KvCacheException.class).hasMessageContaining(theirs.toString()).hasMessageContaining("NOPERM");
            assertThatThrownBy(() -> store.sync().remove(theirs)).isInstanceOf(KvCacheException.class)
                    .hasMessageContaining(theirs.toString()).hasMessageContaining("NOPERM");
            assertThat(store.sync().batchedGetNonBlocking(List.of(theirs))).as("a prefetch just stops").isEmpty();
        }
        Optional<KvChunk> still = tenantB.sync().get(theirs);
        assertThat(bytes(still.orElseThrow().data())).as("tenant B's chunk is untouched").isEqualTo(bytes(secret.data()));
    }
}
