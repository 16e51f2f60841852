package dev.lmcache.redis.edge;

import dev.lmcache.redis.StoreConfig;
import dev.lmcache.redis.embedded.EmbeddedRedis;
import dev.lmcache.redis.embedded.RedisExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(RedisExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StandaloneLmcacheClientTest extends LmcacheClientContract {
    private String url;

    @BeforeAll
    void server(EmbeddedRedis redis) {
        url = redis.url();
    }

    @Override
    StoreConfig target() {
        return StoreConfig.fromUrl(url);
    }
}
