package dev.lmcache.redis.fault;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lmcache.redis.KvChunk;
import dev.lmcache.redis.StoreConfig;
import dev.lmcache.redis.TestChunks;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Shared pieces of the fault tests: short timeouts, polling, and byte-exact checks. */
public final class Faults {
    /** The request timeout of every store in these tests: short, so failures show quickly. */
    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(1);
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);

    private Faults() {
    }

    /** A config for {@code url} with the short timeouts. */
    public static StoreConfig.Builder config(String url) {
        return StoreConfig.builder().url(url).requestTimeout(REQUEST_TIMEOUT).connectTimeout(CONNECT_TIMEOUT);
    }

    /**
     * Waits for {@code f} at most {@code limit}: fails the test (instead of hanging) if it has not
     * completed by then. Returns the cause if it failed, null if it succeeded.
     */
    public static Throwable outcome(CompletableFuture<?> f, Duration limit) {
        try {
            f.get(limit.toMillis(), TimeUnit.MILLISECONDS);
            return null;
        } catch (TimeoutException e) {
            throw new AssertionError("operation did not complete within " + limit.toMillis() + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } catch (ExecutionException | CompletionException e) {
            return e.getCause();
        }
    }

    /** Calls {@code attempt} until it returns without throwing, at most for {@code limit}; returns its result. */
    public static <T> T eventually(Duration limit, Callable<T> attempt) {
        long deadline = System.nanoTime() + limit.toNanos();
        Throwable last = null;
        while (System.nanoTime() < deadline) {
            try {
                return attempt.call();
            } catch (Exception | AssertionError e) {
                last = e;
            }
            sleep(50);
        }
        throw new AssertionError("did not succeed within " + limit.toMillis() + " ms; last failure: " + last, last);
    }

    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Asserts that a read hit returned exactly the bytes and header that were written. */
    public static void assertSameChunk(KvChunk got, KvChunk expected, Object what) {
        assertThat(got.metadata()).as("metadata of %s", what).isEqualTo(expected.metadata());
        assertThat(TestChunks.bytes(got.data())).as("bytes of %s", what).isEqualTo(TestChunks.bytes(expected.data()));
    }

    /** Asserts that every hit of a batched read is the chunk written for that position (misses allowed). */
    public static int assertHitsExact(List<Optional<KvChunk>> got, List<KvChunk> expected) {
        assertThat(got).hasSize(expected.size());
        int hits = 0;
        for (int i = 0; i < got.size(); i++) {
            if (got.get(i).isPresent()) {
                assertSameChunk(got.get(i).get(), expected.get(i), "chunk #" + i);
                hits++;
            }
        }
        return hits;
    }

    /** The message of {@code t} and its causes, for assertions on what a caller is told. */
    public static String messages(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; t != null && i < 10; i++, t = t.getCause()) {
            sb.append(t.getClass().getSimpleName()).append(": ").append(t.getMessage()).append(" / ");
        }
        return sb.toString();
    }
}
