package dev.lmcache.redis.edge;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One client command as decoded: its name (upper case) and arguments. A command refused while
 * it was read (an argument over the size limit, skipped rather than buffered) carries the reason
 * instead of that argument's bytes.
 */
final class Request {
    final String command;
    /** The arguments after the command name; a skipped argument is null. */
    final byte[][] args;
    /** Why the command is refused without being run, or null. */
    final String refusal;

    Request(byte[] name, byte[][] args, String refusal) {
        this.command = name == null ? "" : new String(name, StandardCharsets.ISO_8859_1).toUpperCase(Locale.ROOT);
        this.args = args;
        this.refusal = refusal;
    }

    int argc() {
        return args.length;
    }

    String text(int i) {
        return new String(args[i], StandardCharsets.UTF_8);
    }
}
