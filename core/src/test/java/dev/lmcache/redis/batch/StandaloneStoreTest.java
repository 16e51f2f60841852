package dev.lmcache.redis.batch;

import dev.lmcache.redis.embedded.EmbeddedRedis;
import dev.lmcache.redis.embedded.RedisExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(RedisExtension.class)
class StandaloneStoreTest extends StoreContract {
    private String url;

    @BeforeAll
    void server(EmbeddedRedis redis) {
        url = redis.url();
    }

    @Override
    String url() {
        return url;
    }

    @Override
    boolean cluster() {
        return false;
    }
}
