package dev.lmcache.redis.embedded;

import java.time.Duration;

/** The settings a standalone server and a cluster are built with alike. */
interface ServerBuilder<B extends ServerBuilder<B>> {
    B password(String password);

    B tls(TlsMaterial material);

    B oneWayDelay(Duration delay);
}
