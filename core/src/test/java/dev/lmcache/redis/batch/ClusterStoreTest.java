package dev.lmcache.redis.batch;

import dev.lmcache.redis.embedded.EmbeddedRedisCluster;
import dev.lmcache.redis.embedded.RedisExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(RedisExtension.class)
class ClusterStoreTest extends StoreContract {
    private String url;

    @BeforeAll
    void cluster(EmbeddedRedisCluster cluster) {
        url = cluster.url();
    }

    @Override
    String url() {
        return url;
    }

    @Override
    boolean cluster() {
        return true;
    }
}
