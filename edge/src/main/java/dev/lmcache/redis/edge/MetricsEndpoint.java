package dev.lmcache.redis.edge;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/** Serves the Prometheus text format at {@code /metrics} (and {@code /}) with the JDK's HTTP server. */
final class MetricsEndpoint implements AutoCloseable {
    private final HttpServer server;

    MetricsEndpoint(String host, int port, PrometheusMeterRegistry registry) {
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 16);
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen for metrics on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            byte[] body;
            int status;
            if (path.equals("/") || path.equals("/metrics")) {
                body = registry.scrape().getBytes(StandardCharsets.UTF_8);
                status = 200;
                exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            } else {
                body = "not found; metrics are at /metrics\n".getBytes(StandardCharsets.UTF_8);
                status = 404;
            }
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.setExecutor(null);
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
