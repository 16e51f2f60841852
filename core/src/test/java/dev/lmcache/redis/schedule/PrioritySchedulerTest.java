package dev.lmcache.redis.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lmcache.redis.KvCacheException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class PrioritySchedulerTest {

    @Test
    void runsAtMostTheConfiguredNumberOfJobsAtOnce() {
        PriorityScheduler s = new PriorityScheduler(2);
        List<CompletableFuture<Integer>> gates = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            CompletableFuture<Integer> gate = new CompletableFuture<>();
            gates.add(gate);
            s.submit(Priority.GET, () -> gate);
        }
        assertThat(s.running()).isEqualTo(2);
        assertThat(s.queued()).isEqualTo(3);
        gates.get(0).complete(0);
        assertThat(s.running()).isEqualTo(2);
        assertThat(s.queued()).isEqualTo(2);
    }

    @Test
    void queuedJobsStartByPriorityThenInSubmissionOrder() {
        PriorityScheduler s = new PriorityScheduler(1);
        CompletableFuture<Void> blocker = new CompletableFuture<>();
        s.submit(Priority.PUT, () -> blocker);
        List<String> started = new ArrayList<>();
        s.submit(Priority.PUT, () -> { started.add("put1"); return CompletableFuture.completedFuture(null); });
        s.submit(Priority.GET, () -> { started.add("get1"); return CompletableFuture.completedFuture(null); });
        s.submit(Priority.PUT, () -> { started.add("put2"); return CompletableFuture.completedFuture(null); });
        s.submit(Priority.PEEK, () -> { started.add("peek1"); return CompletableFuture.completedFuture(null); });
        s.submit(Priority.PREFETCH, () -> { started.add("prefetch1"); return CompletableFuture.completedFuture(null); });
        s.submit(Priority.PEEK, () -> { started.add("peek2"); return CompletableFuture.completedFuture(null); });
        blocker.complete(null);
        assertThat(started).containsExactly("peek1", "peek2", "prefetch1", "get1", "put1", "put2");
    }

    @Test
    void aLookupRunsInTheReservedSlotWhileEveryWorkerHoldsABulkJob() {
        PriorityScheduler s = new PriorityScheduler(2);
        CompletableFuture<Void> put1 = new CompletableFuture<>();
        CompletableFuture<Void> put2 = new CompletableFuture<>();
        s.submit(Priority.PUT, () -> put1);
        s.submit(Priority.PUT, () -> put2);
        CompletableFuture<Void> queuedGet = s.submit(Priority.GET, () -> CompletableFuture.completedFuture(null));
        CompletableFuture<Void> peekGate = new CompletableFuture<>();
        CompletableFuture<Void> peek1 = s.submit(Priority.PEEK, () -> peekGate);
        CompletableFuture<String> peek2 = s.submit(Priority.PEEK, () -> CompletableFuture.completedFuture("second"));
        assertThat(queuedGet).as("a GET never takes the reserved slot").isNotDone();
        assertThat(peek1).isNotDone();
        assertThat(peek2).as("one reserved slot: the second lookup waits for the first").isNotDone();
        peekGate.complete(null);
        assertThat(peek1).isDone();
        assertThat(peek2).as("the reserved slot takes the next queued lookup").isCompletedWithValue("second");
        assertThat(queuedGet).isNotDone();
        put1.complete(null);
        assertThat(queuedGet).isDone();
        put2.complete(null);
        assertThat(s.shutdown()).isDone();
    }

    @Test
    void aJobThatThrowsFailsItsFutureAndFreesItsSlot() {
        PriorityScheduler s = new PriorityScheduler(1);
        CompletableFuture<Object> f = s.submit(Priority.GET, () -> { throw new IllegalStateException("boom"); });
        assertThat(f).isCompletedExceptionally();
        assertThat(s.running()).isZero();
    }

    @Test
    void shutdownDrainsQueuedWorkThenRefusesNewJobs() {
        PriorityScheduler s = new PriorityScheduler(1);
        CompletableFuture<Void> blocker = new CompletableFuture<>();
        s.submit(Priority.PUT, () -> blocker);
        CompletableFuture<String> queued = s.submit(Priority.PUT, () -> CompletableFuture.completedFuture("done"));
        CompletableFuture<Void> drained = s.shutdown();
        assertThat(drained).isNotDone();
        assertThatThrownBy(() -> s.submit(Priority.GET, () -> CompletableFuture.completedFuture(1)).join())
                .hasCauseInstanceOf(KvCacheException.class).hasMessageContaining("closed");
        blocker.complete(null);
        assertThat(queued).isCompletedWithValue("done");
        assertThat(drained).isDone();
    }

    @Test
    void smallCallsShareASlotInProportionToTheirChunks() {
        PriorityScheduler s = new PriorityScheduler(1);
        List<CompletableFuture<Void>> gates = new ArrayList<>();
        for (int i = 0; i < PriorityScheduler.CHUNKS_PER_SLOT + 3; i++) {
            CompletableFuture<Void> gate = new CompletableFuture<>();
            gates.add(gate);
            s.submit(Priority.GET, 1, () -> gate);
        }
        assertThat(s.running()).as("64 single-chunk calls fill one slot").isEqualTo(PriorityScheduler.CHUNKS_PER_SLOT);
        assertThat(s.queued()).isEqualTo(3);
        gates.get(0).complete(null);
        assertThat(s.running()).isEqualTo(PriorityScheduler.CHUNKS_PER_SLOT);
        assertThat(s.queued()).isEqualTo(2);
    }

    @Test
    void aBatchOfAtLeastOneSlotsWorthOfChunksTakesAWholeSlot() {
        PriorityScheduler s = new PriorityScheduler(2);
        CompletableFuture<Void> big = new CompletableFuture<>();
        s.submit(Priority.PUT, 10_000, () -> big);
        CompletableFuture<Void> half = new CompletableFuture<>();
        s.submit(Priority.PUT, PriorityScheduler.CHUNKS_PER_SLOT / 2, () -> half);
        CompletableFuture<Void> otherHalf = s.submit(Priority.PUT, PriorityScheduler.CHUNKS_PER_SLOT / 2,
                () -> CompletableFuture.completedFuture(null));
        assertThat(otherHalf).as("a huge batch counts as one slot, not as 10,000 chunks").isDone();
        CompletableFuture<Void> full = s.submit(Priority.PUT, 64, () -> CompletableFuture.completedFuture(null));
        assertThat(full).as("one slot and a half are taken").isNotDone();
        half.complete(null);
        assertThat(full).isDone();
    }

    @Test
    void aSmallJobNeverOvertakesTheWaitingHeadOfTheQueue() {
        PriorityScheduler s = new PriorityScheduler(1);
        CompletableFuture<Void> small = new CompletableFuture<>();
        s.submit(Priority.GET, 8, () -> small);
        CompletableFuture<Void> whole = s.submit(Priority.GET, 64, () -> CompletableFuture.completedFuture(null));
        CompletableFuture<Void> later = s.submit(Priority.GET, 1, () -> CompletableFuture.completedFuture(null));
        assertThat(whole).as("needs the whole slot").isNotDone();
        assertThat(later).as("would fit, but must not starve the batch ahead of it").isNotDone();
        small.complete(null);
        assertThat(whole).isDone();
        assertThat(later).isDone();
    }

    @Test
    void aWriteCountsByChunksOrByPayloadWhicheverIsMore() {
        assertThat(PriorityScheduler.units(1, 2048)).as("one small chunk").isEqualTo(1);
        assertThat(PriorityScheduler.units(8, 8 * 2048)).as("small chunks count as chunks").isEqualTo(8);
        assertThat(PriorityScheduler.units(4, 4 * 16384)).as("16 KiB chunks count by bytes").isEqualTo(16);
        assertThat(PriorityScheduler.units(1, 32L << 20)).as("a 32 MiB chunk takes a whole slot").isEqualTo(64);
        assertThat(PriorityScheduler.units(500, 0)).as("never more than a slot").isEqualTo(64);
    }
}
