package dev.lmcache.redis.cli.bench;

import java.io.PrintWriter;
import java.util.function.Supplier;

/**
 * Prints a status line to stderr every few seconds while a long run is going, so a user can
 * tell it is alive and roughly where it is; silent for runs shorter than the period.
 */
final class Progress implements AutoCloseable {
    private final Thread thread;
    private volatile boolean running = true;

    Progress(PrintWriter err, long periodMillis, Supplier<String> status) {
        long start = System.nanoTime();
        thread = new Thread(() -> {
            while (running) {
                try {
                    Thread.sleep(periodMillis);
                } catch (InterruptedException e) {
                    return;
                }
                if (!running) {
                    return;
                }
                String line;
                try {
                    line = status.get();
                } catch (RuntimeException e) {
                    // A status supplier racing with the run's end must not kill the progress thread.
                    line = "running";
                }
                long s = (System.nanoTime() - start) / 1_000_000_000L;
                synchronized (err) {
                    err.println("[" + s + " s] " + line);
                    err.flush();
                }
            }
        }, "bench-progress");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
