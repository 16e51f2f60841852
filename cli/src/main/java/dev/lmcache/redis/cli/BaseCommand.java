package dev.lmcache.redis.cli;

/** What every command shares. */
abstract class BaseCommand {
    /** Exit status of success. */
    static final int EXIT_OK = 0;

    /** Exit status of a runtime failure: the server, a file or the data said no. */
    static final int EXIT_FAILURE = 1;

    /** Exit status of a usage or configuration error: the command line or the configuration is wrong. */
    static final int EXIT_USAGE = 2;
}
