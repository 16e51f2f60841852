package dev.lmcache.redis.cli.bench;

/** The check the measurements' settings make of the option values they are built from. */
final class OptionCheck {
    private OptionCheck() {
    }

    /**
     * Throws {@link IllegalArgumentException} with {@code message} (which names the option and
     * what it accepts) unless {@code ok}; the command reports it as a usage error.
     */
    static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
