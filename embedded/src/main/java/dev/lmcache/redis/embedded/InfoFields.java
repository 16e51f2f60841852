package dev.lmcache.redis.embedded;

import java.util.Optional;

/** Reads {@code field:value} lines of INFO and CLUSTER INFO replies. */
final class InfoFields {

    private InfoFields() {
    }

    static Optional<String> get(String info, String field) {
        String prefix = field + ":";
        for (String line : info.split("\r?\n")) {
            if (line.startsWith(prefix)) {
                return Optional.of(line.substring(prefix.length()).trim());
            }
        }
        return Optional.empty();
    }
}
