package dev.lmcache.redis.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ByteBudgetTest {

    @Test
    void grantsWhileUnderTheLimitAndMakesLaterRequestsWait() {
        ByteBudget b = new ByteBudget(100);
        assertThat(b.acquire(Priority.PUT, 60)).isDone();
        CompletableFuture<Void> second = b.acquire(Priority.PUT, 60);
        assertThat(second).isNotDone();
        assertThat(b.inFlight()).isEqualTo(60);
        b.release(60);
        assertThat(second).isDone();
        assertThat(b.inFlight()).isEqualTo(60);
        assertThat(b.peak()).isEqualTo(60);
    }

    @Test
    void aRequestLargerThanTheWholeBudgetRunsAloneInsteadOfDeadlocking() {
        ByteBudget b = new ByteBudget(100);
        b.acquire(Priority.PUT, 10);
        CompletableFuture<Void> huge = b.acquire(Priority.PUT, 500);
        assertThat(huge).isNotDone();
        b.release(10);
        assertThat(huge).isDone();
        assertThat(b.inFlight()).isEqualTo(500);
    }

    @Test
    void higherPriorityWaitersAreGrantedFirstAndSmallOnesDoNotOvertakeALargerEarlierOne() {
        ByteBudget b = new ByteBudget(100);
        b.acquire(Priority.PUT, 100);
        CompletableFuture<Void> bigPut = b.acquire(Priority.PUT, 80);
        CompletableFuture<Void> smallPut = b.acquire(Priority.PUT, 10);
        CompletableFuture<Void> get = b.acquire(Priority.GET, 50);
        b.release(100);
        assertThat(get).isDone();
        assertThat(bigPut).isNotDone();
        assertThat(smallPut).as("FIFO within a priority: no overtaking the waiting 80-byte put").isNotDone();
        b.release(50);
        assertThat(bigPut).isDone();
        assertThat(smallPut).isDone();
    }

    @Test
    void zeroByteRequestsNeverWait() {
        ByteBudget b = new ByteBudget(10);
        b.acquire(Priority.PUT, 10);
        b.acquire(Priority.PUT, 10);
        assertThat(b.acquire(Priority.PEEK, 0)).isDone();
    }
}
