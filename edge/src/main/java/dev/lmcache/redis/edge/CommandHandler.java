package dev.lmcache.redis.edge;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one decoded command and produces its reply. The data commands (GET, SET, EXISTS, DEL) never
 * answer LMCache's client with a reply of a length it does not read: a miss, a refusal or a
 * failure is an error of exactly the length of the success reply (see {@link Replies}). Why is
 * logged instead, at most once a second per kind, so a dead upstream does not flood the log.
 */
final class CommandHandler {
    private static final Logger log = LoggerFactory.getLogger(CommandHandler.class);

    private record Identity(Tenant tenant, Upstream upstream) {
    }

    private final ChunkSize chunkSize;
    private final Upstream defaultUpstream;
    private final Map<String, Identity> tenants = new HashMap<>();
    private final EdgeMetrics metrics;
    private final Supplier<String> info;
    private final Map<String, AtomicLong> lastWarning = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * @param defaultUpstream where unauthenticated clients go when there are no tenants; null when
     *     tenants are configured (then every client must AUTH)
     */
    CommandHandler(ChunkSize chunkSize, Upstream defaultUpstream, Map<Tenant, Upstream> tenantUpstreams,
                   EdgeMetrics metrics, Supplier<String> info) {
        this.chunkSize = chunkSize;
        this.defaultUpstream = defaultUpstream;
        tenantUpstreams.forEach((t, u) -> tenants.put(t.user(), new Identity(t, u)));
        this.metrics = metrics;
        this.info = info;
    }

    /** A new connection's session: ready to use without tenants, waiting for AUTH with them. */
    Session newSession() {
        Session s = new Session();
        if (defaultUpstream != null) {
            s.become(defaultUpstream, "", "default");
        }
        return s;
    }

    CompletableFuture<ByteBuf> handle(Session s, Request r) {
        long start = System.nanoTime();
        CompletableFuture<ByteBuf> reply;
        try {
            reply = dispatch(s, r);
        } catch (RuntimeException e) {
            warn("internal", "command " + r.command + " failed: " + e);
            reply = CompletableFuture.completedFuture(Replies.error("ERR internal error"));
        }
        return reply.whenComplete((b, e) -> metrics.command(r.command, start, e != null || isError(b)));
    }

    private static boolean isError(ByteBuf b) {
        return b != null && b.isReadable() && b.getByte(b.readerIndex()) == '-';
    }

    private CompletableFuture<ByteBuf> dispatch(Session s, Request r) {
        return switch (r.command) {
            case "GET" -> get(s, r);
            case "SET" -> set(s, r);
            case "EXISTS" -> keys(s, r, false);
            case "DEL", "UNLINK" -> keys(s, r, true);
            case "AUTH" -> done(auth(s, r));
            case "PING" -> done(r.argc() == 0 ? Replies.of(Replies.PONG) : r.argc() == 1 ? Replies.bulk(r.args[0]) : arity(r));
            case "QUIT" -> done(Replies.of(Replies.OK));
            case "SELECT" -> done(r.argc() != 1 ? arity(r) : "0".equals(r.text(0)) ? Replies.of(Replies.OK)
                    : Replies.error("ERR DB index is out of range (the edge has database 0 only)"));
            case "INFO" -> done(s.authenticated() ? Replies.bulk(info.get().getBytes(StandardCharsets.UTF_8)) : Replies.of(Replies.NOAUTH));
            case "COMMAND" -> done(Replies.of(Replies.EMPTY_ARRAY));
            case "ECHO" -> done(r.argc() == 1 ? Replies.bulk(r.args[0]) : arity(r));
            default -> done(Replies.error("ERR unknown command '" + printable(r.command)
                    + "'; the edge answers GET, SET, EXISTS, DEL, AUTH, PING, QUIT, SELECT, INFO, COMMAND, ECHO"));
        };
    }

    private static CompletableFuture<ByteBuf> done(ByteBuf b) {
        return CompletableFuture.completedFuture(b);
    }

    private static ByteBuf arity(Request r) {
        return Replies.error("ERR wrong number of arguments for '" + printable(r.command).toLowerCase(java.util.Locale.ROOT) + "' command");
    }

    // ------------------------------------------------------------------ data commands

    private CompletableFuture<ByteBuf> get(Session s, Request r) {
        if (r.argc() != 1) {
            return done(arity(r));
        }
        if (r.refusal != null || !s.authenticated()) {
            metrics.refused.increment();
            return done(getError(s.authenticated() ? "REFUSED" : "NOAUTH"));
        }
        Name n = s.name(r.args[0]);
        return s.upstream.get(n).handle((v, e) -> {
            if (e != null) {
                warn("get", "GET of " + n + " failed: " + message(e));
                return getError("UPSTREAM");
            }
            int expected = chunkSize.get();
            if (v.isEmpty() || (expected > 0 && v.get().remaining() != expected)) {
                return getError("NOCHUNK");
            }
            metrics.bytesOut.increment(v.get().remaining());
            return Replies.bulk(v.get());
        });
    }

    /** A GET error of the length LMCache's client reads; while the chunk size is unknown, a plain error. */
    private ByteBuf getError(String code) {
        int n = chunkSize.get();
        if (n > 0) {
            return Replies.getError(code, n);
        }
        warn("unknown-size", "GET answered " + code + " before the chunk size was known: LMCache's client may lose"
                + " step on this connection; start the edge with --chunk-bytes");
        return Replies.error(code + " (chunk size not known yet)");
    }

    private CompletableFuture<ByteBuf> set(Session s, Request r) {
        long ttl = -1;
        if (r.argc() == 4 && "EX".equalsIgnoreCase(r.text(2))) {
            ttl = parseTtl(r.text(3));
            if (ttl <= 0) {
                return done(Replies.error("ERR invalid expire time in 'set' command"));
            }
        } else if (r.argc() != 2) {
            return done(r.argc() < 2 ? arity(r) : Replies.error("ERR syntax error (the edge accepts SET key value [EX seconds])"));
        }
        if (!s.authenticated()) {
            metrics.refused.increment();
            return done(Replies.of(Replies.SET_FAILED));
        }
        if (r.refusal != null) {
            metrics.refused.increment();
            warn("oversize", "SET refused: " + r.refusal);
            return done(Replies.of(Replies.SET_FAILED));
        }
        byte[] value = r.args[1];
        if (!chunkSize.admits(value.length)) {
            metrics.refused.increment();
            warn("size", "SET of " + value.length + " bytes refused: every value must be " + chunkSize.get()
                    + " bytes (the chunk size" + (chunkSize.configured() ? " configured" : " learned from the first SET") + ")");
            return done(Replies.of(Replies.SET_FAILED));
        }
        metrics.bytesIn.increment(value.length);
        Name n = s.name(r.args[0]);
        return s.upstream.set(n, ByteBuffer.wrap(value), ttl).handle((v, e) -> {
            if (e != null) {
                warn("set", "SET of " + n + " failed: " + message(e));
                return Replies.of(Replies.SET_FAILED);
            }
            return Replies.of(Replies.OK);
        });
    }

    private static long parseTtl(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** EXISTS or DEL of one or more keys: the count, or a 4-byte error. */
    private CompletableFuture<ByteBuf> keys(Session s, Request r, boolean delete) {
        if (r.argc() < 1) {
            return done(arity(r));
        }
        if (r.refusal != null || !s.authenticated()) {
            metrics.refused.increment();
            return done(Replies.of(Replies.INTEGER_FAILED));
        }
        List<CompletableFuture<Boolean>> each = new ArrayList<>(r.argc());
        for (byte[] key : r.args) {
            Name n = s.name(key);
            each.add(delete ? s.upstream.delete(n) : s.upstream.exists(n));
        }
        return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new)).handle((v, e) -> {
            if (e != null) {
                warn(delete ? "del" : "exists", (delete ? "DEL" : "EXISTS") + " failed: " + message(e));
                return Replies.of(Replies.INTEGER_FAILED);
            }
            return Replies.integer(each.stream().filter(CompletableFuture::join).count());
        });
    }

    // ------------------------------------------------------------------ AUTH

    private ByteBuf auth(Session s, Request r) {
        if (r.argc() != 1 && r.argc() != 2) {
            return arity(r);
        }
        if (tenants.isEmpty()) {
            // no credentials configured: LMCache's worker exits on anything but +OK, so accept
            return Replies.of(Replies.OK);
        }
        String user = r.argc() == 2 ? r.text(0) : "default";
        byte[] pass = r.args[r.argc() - 1];
        CharBuffer cb = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(pass));
        char[] candidate = new char[cb.remaining()];
        cb.get(candidate);
        if (cb.hasArray()) {
            java.util.Arrays.fill(cb.array(), '\0');
        }
        Identity id = tenants.get(user);
        boolean ok = id != null && id.tenant().accepts(candidate);
        java.util.Arrays.fill(candidate, '\0');
        if (!ok) {
            metrics.refused.increment();
            warn("auth", "AUTH refused for user '" + printable(user) + "' (" + (id == null ? "unknown user" : "wrong password") + ")");
            return Replies.of(Replies.WRONGPASS);
        }
        s.become(id.upstream(), id.tenant().keyPrefix(), user);
        return Replies.of(Replies.OK);
    }

    // ------------------------------------------------------------------ helpers

    private void warn(String kind, String message) {
        long now = System.nanoTime();
        AtomicLong last = lastWarning.computeIfAbsent(kind, k -> new AtomicLong(now - 2_000_000_000L));
        long prev = last.get();
        if (now - prev >= 1_000_000_000L && last.compareAndSet(prev, now)) {
            log.warn("{}", message);
        } else {
            log.debug("{}", message);
        }
    }

    private static String message(Throwable e) {
        Throwable c = e;
        while (c instanceof java.util.concurrent.CompletionException && c.getCause() != null) {
            c = c.getCause();
        }
        return c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
    }

    /** A client-sent word for messages: printable ASCII only, cut short. */
    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() < 40; i++) {
            char c = s.charAt(i);
            b.append(c >= 0x20 && c < 0x7f && c != '\'' ? c : '?');
        }
        return b.toString();
    }

    /** For INFO: the current chunk size. */
    int chunkBytes() {
        return chunkSize.get();
    }

    Optional<Upstream> defaultUpstream() {
        return Optional.ofNullable(defaultUpstream);
    }
}
