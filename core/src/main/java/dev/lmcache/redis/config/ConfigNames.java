package dev.lmcache.redis.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Internal: reads the configuration spelling of an enum constant ({@code cluster},
 * {@code tagged}, {@code full}), the one parser of enum-valued settings, public for the API
 * enums' {@code fromConfig}.
 */
public final class ConfigNames {
    private ConfigNames() {
    }

    /**
     * The constant whose configuration name equals {@code value}, case-insensitively, ignoring
     * surrounding blanks.
     *
     * @param setting the setting's name, leading the message ({@code key_layout})
     * @throws IllegalArgumentException naming the setting and the value, suggesting the closest
     *     name when one is a typo away, and listing the accepted names in declaration order
     */
    public static <E extends Enum<E>> E parse(E[] values, Function<E, String> configName, String setting,
                                              String value) {
        List<String> names = new ArrayList<>(values.length);
        for (E e : values) {
            String name = configName.apply(e);
            if (value != null && name.equalsIgnoreCase(value.trim())) {
                return e;
            }
            names.add(name);
        }
        Optional<String> suggestion = value == null ? Optional.empty()
                : DidYouMean.closest(value.trim().toLowerCase(java.util.Locale.ROOT), names);
        throw new IllegalArgumentException(setting + " '" + value + "' is not supported; "
                + suggestion.map(s -> "did you mean '" + s + "'? ").orElse("") + "accepted: " + String.join(", ", names));
    }
}
