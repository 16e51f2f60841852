package dev.lmcache.redis.topology;

import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import java.util.concurrent.TimeUnit;

/**
 * One Lettuce {@link ClientResources} (event loops, timers) per JVM, shared by every store and
 * shut down when the last store closes: threads are the expensive part of a client.
 */
final class SharedResources {
    private static ClientResources resources;
    private static int users;

    private SharedResources() {
    }

    static synchronized ClientResources acquire() {
        if (resources == null) {
            resources = DefaultClientResources.create();
        }
        users++;
        return resources;
    }

    static synchronized void release() {
        if (--users == 0 && resources != null) {
            resources.shutdown(0, 2, TimeUnit.SECONDS);
            resources = null;
        }
    }
}
