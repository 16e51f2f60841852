package dev.lmcache.redis.cli;

/**
 * A command that only holds subcommands ({@code lmcache-redis} itself, {@code bench}). Run
 * without one, it is a usage error that shows the list to choose from.
 */
abstract class CommandGroup extends BaseCommand {

    @Override
    protected final int run() {
        problem("missing command; choose one of the commands below");
        spec.commandLine().usage(err());
        err().flush();
        return EXIT_USAGE;
    }
}
