package dev.lmcache.redis.embedded;

import java.io.BufferedReader;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Picks loopback ports for redis-server processes.
 *
 * <p>Ports come from below the kernel's ephemeral range so that an outgoing connection can never
 * occupy the port of a server while it is down (a {@code restart()} must get its port back), and
 * port+10000 (the cluster bus) must be free too. Ports handed out in this JVM are remembered, so
 * two servers started back to back never get the same port before either has bound it.
 */
final class Ports {

    /** The highest server port: its cluster bus port (port + 10000) must stay a valid port. */
    static final int MAX_SERVER_PORT = 55535;
    private static final int BUS_OFFSET = 10000;
    private static final int LOW = 11000;
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private Ports() {
    }

    /** Returns a port p such that p and p+10000 were both free on 127.0.0.1 just now. */
    static int pickServerPort() {
        int high = Math.min(MAX_SERVER_PORT, ephemeralLow() - 1 - BUS_OFFSET);
        if (high - LOW < 1000) {
            high = MAX_SERVER_PORT;
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 500; attempt++) {
            int port = random.nextInt(LOW, high + 1);
            if (HANDED_OUT.contains(port) || HANDED_OUT.contains(port + BUS_OFFSET)) {
                continue;
            }
            if (isFree(port) && isFree(port + BUS_OFFSET) && HANDED_OUT.add(port)) {
                HANDED_OUT.add(port + BUS_OFFSET);
                return port;
            }
        }
        throw new IllegalStateException("found no free port p in " + LOW + ".." + high
                + " with p+10000 also free on 127.0.0.1 after 500 attempts");
    }

    /** Checks that an explicitly requested server port is usable, naming the problem if not. */
    static void checkServerPort(int port, boolean needsBusPort) {
        if (port < 1 || port > (needsBusPort ? MAX_SERVER_PORT : 65535)) {
            throw new IllegalArgumentException("port " + port + " is out of range; accepted: 1.."
                    + (needsBusPort ? MAX_SERVER_PORT + " (the cluster bus uses port+10000)" : "65535"));
        }
        HANDED_OUT.add(port);
        if (needsBusPort) {
            HANDED_OUT.add(port + BUS_OFFSET);
        }
    }

    static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The lowest ephemeral port; Linux's default if the kernel setting cannot be read or looks wrong. */
    static int ephemeralLow() {
        // Read line-wise: some kernels (and sandboxes) report a wrong size for /proc files, so
        // whole-file reads can come back truncated.
        try (BufferedReader reader = Files.newBufferedReader(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))) {
            String line = reader.readLine();
            int low = Integer.parseInt(line.trim().split("\\s+")[0]);
            return low >= 1024 && low <= 65535 ? low : 32768;
        } catch (IOException | RuntimeException e) {
            return 32768;
        }
    }
}
