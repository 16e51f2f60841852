package dev.lmcache.redis.cli;

import dev.lmcache.redis.KvCacheStore;
import dev.lmcache.redis.StoreConfig;
import dev.lmcache.redis.cli.target.Target;
import picocli.CommandLine.Mixin;

/**
 * A command that does its work through a store on the target: the target options, {@code --json},
 * and the open/close sequence. A new command of this kind is one small class:
 *
 * <pre>{@code
 * @Command(name = "keys", description = "List the stored chunk keys.", mixinStandardHelpOptions = true)
 * final class KeysCommand extends StoreCommand {
 *     @Override
 *     protected int run(Target target, KvCacheStore store) {
 *         store.sync().list(null).forEach(out()::println);
 *         return EXIT_OK;
 *     }
 * }
 * }</pre>
 */
abstract class StoreCommand extends TargetCommand {

    @Mixin
    OutputOptions output;

    @Override
    protected final int run() throws Exception {
        prepare();
        noteThrowaway();
        try (Target t = openTarget()) {
            Target configured = t.withConfig(configure(t.config()));
            try (KvCacheStore store = KvCacheStore.open(configured.config())) {
                return run(configured, store);
            }
        }
    }

    /** Checks what can be checked before a server is reached or started (options, files); nothing by default. */
    protected void prepare() throws Exception {
    }

    /** The configuration to open the store with; the target's own by default. */
    protected StoreConfig configure(StoreConfig config) {
        return config;
    }

    /**
     * The command's work on an open store.
     *
     * @param target where the store works, with the configuration of {@link #configure}
     * @return the exit status
     */
    protected abstract int run(Target target, KvCacheStore store) throws Exception;
}
