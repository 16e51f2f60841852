package dev.lmcache.redis.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EdgeCommandTest {

    @Test
    void aListenAddressWithoutPortIsAUsageErrorNamingTheForm() {
        Cli.Run r = Cli.run("edge", "--listen", "127.0.0.1");
        assertThat(r.exitCode()).as("%s", r).isEqualTo(2);
        assertThat(r.err()).contains("--listen needs HOST:PORT");
    }

    @Test
    void anUnknownWriteModeIsAUsageErrorNamingTheAcceptedOnes() {
        Cli.Run r = Cli.run("edge", "--listen", "127.0.0.1:0", "--write", "later");
        assertThat(r.exitCode()).as("%s", r).isEqualTo(2);
        assertThat(r.err()).contains("expected through or behind");
    }

    @Test
    void benchEdgeComparesDirectAndEdgePathsAndPrintsTheTable() {
        Cli.Run r = Cli.run("bench", "edge", "--rtt-ms", "2", "--profiles", "16x4k", "--reps", "1", "--workers", "4");
        assertThat(r.exitCode()).as("%s", r).isZero();
        assertThat(r.out()).contains("direct", "edge through", "edge behind", "edge +memory", "SET ms (MB/s)", "16 x 4 KiB", "0.0 ms");
    }
}
