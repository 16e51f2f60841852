package dev.lmcache.redis.edge;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Requests from many connections become batches: sent at once while few batches are out,
 * otherwise gathered into one store call (one pipelined burst per node) when one returns.
 */
class BatcherTest {

    /** A store stand-in that records each call's items and completes them when told. */
    private static final class Calls {
        final List<List<Integer>> batches = new ArrayList<>();
        final List<List<CompletableFuture<String>>> results = new ArrayList<>();

        List<CompletableFuture<String>> send(List<Integer> items) {
            batches.add(List.copyOf(items));
            List<CompletableFuture<String>> r = new ArrayList<>();
            items.forEach(i -> r.add(new CompletableFuture<>()));
            results.add(r);
            return r;
        }

        void complete(int batch) {
            List<Integer> items = batches.get(batch);
            for (int i = 0; i < items.size(); i++) {
                results.get(batch).get(i).complete("v" + items.get(i));
            }
        }
    }

    @Test
    void requestsThatArriveWhileTheBatchesAreOutGoTogetherInOneCall() {
        Calls calls = new Calls();
        Batcher<Integer, String> b = new Batcher<>(calls::send, 2, 100, Long.MAX_VALUE, i -> 1);
        List<CompletableFuture<String>> replies = new ArrayList<>();

        for (int i = 0; i < 10; i++) {
            replies.add(b.submit(i));
        }

        assertThat(calls.batches).containsExactly(List.of(0), List.of(1));
        assertThat(b.queued()).isEqualTo(8);
        calls.complete(0);
        assertThat(calls.batches).hasSize(3);
        assertThat(calls.batches.get(2)).containsExactly(2, 3, 4, 5, 6, 7, 8, 9);
        calls.complete(1);
        calls.complete(2);
        assertThat(replies).allSatisfy(r -> assertThat(r).isCompleted());
        assertThat(replies.get(7).join()).isEqualTo("v7");
        assertThat(b.queued()).isZero();
    }

    @Test
    void aBatchStopsAtItsItemAndWeightLimitsButNeverGoesEmpty() {
        Calls calls = new Calls();
        Batcher<Integer, String> b = new Batcher<>(calls::send, 1, 3, 100, i -> i);

        b.submit(1);
        for (int i : new int[] {10, 20, 30, 40, 200, 5}) {
            b.submit(i);
        }
        calls.complete(0);
        calls.complete(1);
        calls.complete(2);
        calls.complete(3);

        assertThat(calls.batches).containsExactly(List.of(1), List.of(10, 20, 30), List.of(40), List.of(200),
                List.of(5));
    }

    @Test
    void aSenderThatThrowsFailsItsBatchAndTheNextBatchStillGoes() {
        List<List<Integer>> seen = new ArrayList<>();
        Batcher<Integer, String> b = new Batcher<>(items -> {
            seen.add(List.copyOf(items));
            if (items.contains(0)) {
                throw new IllegalStateException("upstream closed");
            }
            return items.stream().map(i -> CompletableFuture.completedFuture("v" + i)).toList();
        }, 1, 10, Long.MAX_VALUE, i -> 1);

        CompletableFuture<String> failed = b.submit(0);
        CompletableFuture<String> ok = b.submit(1);

        assertThat(failed).isCompletedExceptionally();
        assertThat(ok.join()).isEqualTo("v1");
        assertThat(seen).containsExactly(List.of(0), List.of(1));
    }
}
