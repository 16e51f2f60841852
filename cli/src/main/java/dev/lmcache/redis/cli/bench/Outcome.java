package dev.lmcache.redis.cli.bench;

import java.nio.file.Path;
import java.util.Map;

/** What a measurement returns once it has printed its tables: its JSON document, its verdict and its chart. */
public interface Outcome {

    /** The {@code --json} document, as the command's help lists its fields. */
    Map<String, Object> json();

    /** Whether the run was clean: no errors, nothing lost, every chunk read back as written. */
    boolean ok();

    /**
     * Draws the {@code --plot} chart into a PNG file.
     *
     * @throws UnsupportedOperationException for a measurement without a chart
     */
    default void plot(Path png) {
        throw new UnsupportedOperationException("this measurement draws no chart");
    }
}
