package dev.lmcache.redis.embedded;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One redis-server OS process with its own working directory, restartable with the same
 * arguments (so the same port and, in cluster mode, the same nodes.conf and node id).
 *
 * <p>Output is drained on a daemon thread (a full pipe would block the server) and the last lines
 * are kept for error messages. Every live process is registered with a JVM shutdown hook that
 * kills it, so a test run never leaves orphans behind even if close() is skipped.
 */
final class RedisProcess {

    private static final Logger LOG = LoggerFactory.getLogger(RedisProcess.class);
    private static final int KEPT_LINES = 100;
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);
    private static final String[] READY_MARKERS = {"Ready to accept connections", "Sentinel ID is"};
    private static final Set<RedisProcess> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(RedisProcess::killAll, "lmcache-embedded-redis-reaper"));
    }

    private final String name;
    private final Path dir;
    private final List<String> args;
    private final int pingPort;
    private final Duration startTimeout;
    private final Deque<String> lastLines = new ArrayDeque<>();
    private volatile Process process;
    private volatile CountDownLatch ready = new CountDownLatch(1);
    private volatile boolean paused;
    private volatile boolean closed;

    /**
     * @param name     short label for logs and errors, e.g. "redis 127.0.0.1:12345"
     * @param dir      working directory owned by this process (deleted at close)
     * @param args     arguments after the binary
     * @param pingPort plaintext port for the PING readiness probe, or 0 if none (TLS-only)
     */
    RedisProcess(String name, Path dir, List<String> args, int pingPort, Duration startTimeout) {
        this.name = name;
        this.dir = dir;
        this.args = List.copyOf(args);
        this.pingPort = pingPort;
        this.startTimeout = startTimeout;
    }

    /** Creates a fresh private working directory for one server. */
    static Path newDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory for redis-server", e);
        }
    }

    /** Starts the process and blocks until it accepts connections. */
    synchronized void start() {
        if (closed) {
            throw new IllegalStateException(name + " is closed");
        }
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " is already running (pid " + process.pid() + ")");
        }
        List<String> command = new ArrayList<>();
        command.add(RedisBinary.path().toString());
        command.addAll(args);
        synchronized (lastLines) {
            lastLines.clear();
        }
        CountDownLatch latch = new CountDownLatch(1);
        ready = latch;
        Process p;
        try {
            p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + name + " with " + command.get(0) + ": " + e.getMessage(), e);
        }
        process = p;
        paused = false;
        LIVE.add(this);
        Thread drainer = new Thread(() -> drain(p.getInputStream(), latch), "redis-output-" + p.pid());
        drainer.setDaemon(true);
        drainer.start();
        awaitReady(p, latch);
    }

    private void awaitReady(Process p, CountDownLatch latch) {
        long deadline = System.nanoTime() + startTimeout.toNanos();
        long nextPing = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
        try {
            while (true) {
                if (latch.await(10, TimeUnit.MILLISECONDS)) {
                    return;
                }
                if (!p.isAlive()) {
                    // Give the drainer a moment to collect the final lines that explain the exit.
                    Thread.sleep(50);
                    throw failure(name + " exited during start-up with code " + p.exitValue());
                }
                long now = System.nanoTime();
                if (pingPort > 0 && now >= nextPing) {
                    if (answersPing(pingPort)) {
                        return;
                    }
                    nextPing = now + TimeUnit.MILLISECONDS.toNanos(100);
                }
                if (now >= deadline) {
                    p.destroyForcibly();
                    throw failure(name + " was not ready within " + startTimeout.toMillis() + " ms");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IllegalStateException("interrupted while waiting for " + name + " to start", e);
        }
    }

    private IllegalStateException failure(String what) {
        LIVE.remove(this);
        return new IllegalStateException(what + "; command: " + RedisBinary.path() + " " + String.join(" ", redactedArgs())
                + "\n--- last output ---\n" + String.join("\n", lastLines()));
    }

    /** Arguments with secrets (passwords, ACL passwords) replaced, for error messages. */
    private List<String> redactedArgs() {
        List<String> out = new ArrayList<>(args.size());
        boolean secretNext = false;
        for (String a : args) {
            if (secretNext) {
                out.add("<redacted>");
                secretNext = false;
            } else if (a.startsWith(">")) {
                out.add(">" + "<redacted>");
            } else {
                out.add(a);
                secretNext = a.equals("--requirepass") || a.equals("--masterauth");
            }
        }
        return out;
    }

    private void drain(InputStream in, CountDownLatch latch) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                synchronized (lastLines) {
                    if (lastLines.size() == KEPT_LINES) {
                        lastLines.removeFirst();
                    }
                    lastLines.addLast(line);
                }
                LOG.debug("[{}] {}", name, line);
                if (latch.getCount() > 0) {
                    for (String marker : READY_MARKERS) {
                        if (line.contains(marker)) {
                            latch.countDown();
                        }
                    }
                }
            }
        } catch (IOException e) {
            LOG.debug("[{}] output closed: {}", name, e.toString());
        }
    }

    /** Returns up to the last 100 lines the process printed (since its latest start). */
    List<String> lastLines() {
        synchronized (lastLines) {
            return List.copyOf(lastLines);
        }
    }

    static boolean answersPing(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            socket.setSoTimeout(500);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            int first = socket.getInputStream().read();
            // "+PONG", or "-NOAUTH ..." / "-LOADING": both prove the server is serving its port.
            return first == '+' || first == '-';
        } catch (IOException e) {
            return false;
        }
    }

    long pid() {
        Process p = process;
        if (p == null) {
            throw new IllegalStateException(name + " was never started");
        }
        return p.pid();
    }

    boolean isAlive() {
        Process p = process;
        return p != null && p.isAlive();
    }

    boolean isPaused() {
        return paused && isAlive();
    }

    /** SIGKILL, as a crash would; waits until the process is gone. */
    synchronized void kill() {
        Process p = process;
        if (p != null && p.isAlive()) {
            p.destroyForcibly();
            waitFor(p, Duration.ofSeconds(10));
        }
        paused = false;
    }

    /** Stops (if running) and starts again with the same arguments, port and directory. */
    synchronized void restart() {
        stop();
        start();
    }

    /** SIGSTOP: the process stays alive but answers nothing until {@link #resume()}. */
    synchronized void pause() {
        Process p = requireAlive("pause");
        signal("-STOP", p.pid());
        paused = true;
    }

    /** SIGCONT after {@link #pause()}. */
    synchronized void resume() {
        Process p = requireAlive("resume");
        signal("-CONT", p.pid());
        paused = false;
    }

    private Process requireAlive(String action) {
        Process p = process;
        if (p == null || !p.isAlive()) {
            throw new IllegalStateException("cannot " + action + " " + name + ": it is not running");
        }
        return p;
    }

    private void signal(String signal, long pid) {
        try {
            Process kill = new ProcessBuilder("kill", signal, Long.toString(pid)).redirectErrorStream(true).start();
            byte[] output = kill.getInputStream().readAllBytes();
            if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill " + signal + " " + pid + " failed: "
                        + new String(output, StandardCharsets.UTF_8).trim());
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run kill " + signal + " " + pid + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending " + signal + " to " + pid, e);
        }
    }

    /** Asks the process to exit (SIGTERM; SIGKILL if paused, as a stopped process cannot act on SIGTERM). */
    void signalStop() {
        Process p = process;
        if (p != null && p.isAlive()) {
            if (paused) {
                p.destroyForcibly();
            } else {
                p.destroy();
            }
        }
    }

    /** Stops the process gracefully, forcibly after a timeout, and waits until it is gone. */
    synchronized void stop() {
        signalStop();
        Process p = process;
        if (p != null) {
            waitFor(p, STOP_TIMEOUT);
        }
        paused = false;
    }

    /**
     * Waits for the exit, killing the process after the timeout. An interrupt kills it at once, but
     * the wait for the exit goes on (briefly) so that callers never see a half-stopped server.
     */
    private void waitFor(Process p, Duration timeout) {
        boolean interrupted = false;
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("{} (pid {}) did not exit within {} ms; killing it", name, p.pid(), timeout.toMillis());
                p.destroyForcibly();
            }
        } catch (InterruptedException e) {
            interrupted = true;
            p.destroyForcibly();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (p.isAlive() && System.nanoTime() < deadline) {
            try {
                p.waitFor(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the process and deletes its directory. Idempotent. */
    synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        stop();
        LIVE.remove(this);
        deleteRecursively(dir);
    }

    static void deleteRecursively(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    LOG.debug("cannot delete {}: {}", path, e.toString());
                }
            });
        } catch (IOException e) {
            LOG.debug("cannot delete {}: {}", root, e.toString());
        }
    }

    private static void killAll() {
        for (RedisProcess r : LIVE) {
            Process p = r.process;
            if (p != null && p.isAlive()) {
                p.destroyForcibly();
            }
        }
        for (RedisProcess r : LIVE) {
            Process p = r.process;
            try {
                if (p != null) {
                    p.waitFor(2, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            deleteRecursively(r.dir);
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
