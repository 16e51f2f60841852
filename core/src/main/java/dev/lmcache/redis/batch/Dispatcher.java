package dev.lmcache.redis.batch;

import dev.lmcache.redis.codec.IntegerReplies;
import dev.lmcache.redis.codec.PipelineCommand;
import dev.lmcache.redis.key.ClusterSlots;
import dev.lmcache.redis.topology.NodeLink;
import dev.lmcache.redis.topology.RedisTopology;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisException;
import io.lettuce.core.internal.ExceptionFactory;
import io.lettuce.core.output.CommandOutput;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.RedisCommand;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;

/**
 * The planner and transport steps of a batch (see the package documentation): groups calls by
 * the node that owns their slot (one group in standalone) and writes every group at once, each
 * as one {@link PipelineCommand} with a single flush, all nodes concurrently. That is what makes
 * a batch one round trip. A call answered with MOVED/ASK is
 * rebuilt and sent through the cluster router, which follows the redirect; MOVED also schedules a
 * topology refresh, and so does a call whose node did not answer (it may have been replaced by
 * its replica).
 *
 * <p>Each group sent is watched by one timer: calls without a reply when the request timeout
 * expires fail with {@link RedisCommandTimeoutException}. One timer per group instead of Lettuce's
 * per-command timeouts ({@code TimeoutOptions}), which keep every completed command, payload
 * included, reachable from the timer queue until its deadline: under load that promoted
 * megabytes of finished chunks to the old generation and made young GCs take 100+ ms.
 */
final class Dispatcher {
    /** Re-sends of a routed command rejected while its connection opens: 10 ms doubling, about 0.6 s in all. */
    private static final int ROUTE_RETRIES = 6;

    private static final ScheduledThreadPoolExecutor TIMER = timer();

    private final RedisTopology topology;
    private final Duration timeout;

    Dispatcher(RedisTopology topology, Duration timeout) {
        this.topology = topology;
        this.timeout = timeout;
    }

    private static ScheduledThreadPoolExecutor timer() {
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
            Thread th = new Thread(r, "lmcache-redis-timeout");
            th.setDaemon(true);
            return th;
        });
        // a cancelled deadline leaves the queue at once, and with it every reference to the calls
        t.setRemoveOnCancelPolicy(true);
        return t;
    }

    /** The link a key's slot maps to now (null if unknown): used to keep ordered pairs together. */
    NodeLink linkFor(int slot) {
        return topology.linkFor(slot);
    }

    void send(List<? extends Call<?>> calls) {
        send(calls, RedisTopology.Lane.BULK);
    }

    /** Sends on the given lane's connections (lookups have their own, see {@link RedisTopology.Lane}). */
    void send(List<? extends Call<?>> calls, RedisTopology.Lane lane) {
        List<Call<?>> unrouted = new ArrayList<>(0);
        byNode(calls, c -> c.slot, lane, unrouted)
                .forEach((link, group) -> link.dispatch(group.size() == 1 ? attempt(group.get(0)) : pipeline(group)));
        route(unrouted);
        watch(calls);
    }

    /**
     * The planner step: {@code items} grouped by the node that owns their slot now, each group in
     * the items' order (one group in standalone); items whose node has no open link yet are added
     * to {@code unrouted} instead.
     */
    private <T> Map<NodeLink, List<T>> byNode(List<? extends T> items, ToIntFunction<T> slot, RedisTopology.Lane lane,
                                              List<T> unrouted) {
        Map<NodeLink, List<T>> groups = new IdentityHashMap<>();
        // runs of items for the same node (all of them, standalone) skip the map lookup
        NodeLink lastLink = null;
        List<T> lastGroup = null;
        for (T item : items) {
            NodeLink link = topology.linkFor(slot.applyAsInt(item), lane);
            if (link == null) {
                unrouted.add(item);
            } else {
                if (link != lastLink) {
                    lastLink = link;
                    lastGroup = groups.computeIfAbsent(link, l -> new ArrayList<>(items.size()));
                }
                lastGroup.add(item);
            }
        }
        return groups;
    }

    /** Calls whose node has no open link yet, through the cluster router. */
    private void route(List<Call<?>> unrouted) {
        if (!unrouted.isEmpty()) {
            List<RedisCommand<byte[], ByteBuffer, ?>> commands = new ArrayList<>(unrouted.size());
            for (Call<?> call : unrouted) {
                commands.add(routed(call, 0));
            }
            topology.route(commands);
        }
    }

    /**
     * Sends each call as a command of its own on the bulk lane, never inside a {@link
     * PipelineCommand} group: for commands whose replies are arrays (MGET), which a group cannot
     * carry. A node's calls are still handed over together, in order; redirects, routing and the
     * request timeout work as for {@link #send}.
     */
    void sendAlone(List<? extends Call<?>> calls) {
        List<Call<?>> unrouted = new ArrayList<>(0);
        byNode(calls, c -> c.slot, RedisTopology.Lane.BULK, unrouted).forEach((link, group) -> {
            List<RedisCommand<byte[], ByteBuffer, ?>> commands = new ArrayList<>(group.size());
            for (Call<?> call : group) {
                commands.add(attempt(call));
            }
            link.dispatch(commands);
        });
        route(unrouted);
        watch(calls);
    }

    /**
     * One integer-reply command per key ({@code EXISTS}, {@code DEL}), planned and sent as {@link
     * #send} does: each node's share as one group, all nodes at once; but without a {@link Call} or
     * future per key: every group's replies land in one {@link IntegerReplies}. Keys whose node has
     * no open link yet, and keys answered with MOVED or ASK, go the per-call way through the cluster
     * router. The future never fails: it completes with every key's integer or failure, keys
     * without an answer when the request timeout expires failing with {@link
     * RedisCommandTimeoutException}.
     */
    CompletableFuture<IntegerResults> integers(CommandType type, List<byte[]> keys, RedisTopology.Lane lane) {
        if (keys.isEmpty()) {
            return CompletableFuture.completedFuture(new IntegerResults(new long[0], new Throwable[0]));
        }
        IntegerBatch batch = new IntegerBatch(type, keys);
        boolean cluster = topology.isCluster();
        List<Integer> indices = new ArrayList<>(keys.size());
        for (int i = 0; i < keys.size(); i++) {
            indices.add(i);
        }
        List<Integer> unrouted = new ArrayList<>(0);
        Map<NodeLink, List<Integer>> groups = byNode(indices, i -> cluster ? ClusterSlots.slot(keys.get(i)) : 0, lane, unrouted);
        batch.pending = groups.size() + unrouted.size();
        groups.forEach((link, group) -> link.dispatch(batch.group(group)));
        unrouted.forEach(batch::route);
        ScheduledFuture<?> deadline = TIMER.schedule(batch::expire, timeout.toNanos(), TimeUnit.NANOSECONDS);
        batch.result.whenComplete((v, e) -> deadline.cancel(false));
        return batch.result;
    }

    /**
     * What {@link #integers} got: for key {@code i}, {@code errors[i]} if it failed (its node's
     * error reply, no answer, a timeout), else {@code values[i]}.
     */
    record IntegerResults(long[] values, Throwable[] errors) {
        /** The first key (in order) that failed, or -1. */
        int firstFailure() {
            for (int i = 0; i < errors.length; i++) {
                if (errors[i] != null) {
                    return i;
                }
            }
            return -1;
        }
    }

    /**
     * The state of one {@link #integers} call. Group and call completions (on the nodes' event
     * loops) and the deadline (on the timer) take the batch's lock: at most a few per batch.
     */
    private final class IntegerBatch {
        final CommandType type;
        final List<byte[]> keys;
        final long[] values;
        final Throwable[] errors;
        /** Whether key i's reply (or failure) is in. */
        final boolean[] answered;
        final CompletableFuture<IntegerResults> result = new CompletableFuture<>();
        final List<CompletableFuture<?>> groups = new ArrayList<>();
        final List<Call<Long>> routedCalls = new ArrayList<>();
        /** Groups and routed calls still out. */
        int pending;
        /** Set (under the lock) once the results are handed over: nothing is written after. */
        boolean finished;

        IntegerBatch(CommandType type, List<byte[]> keys) {
            this.type = type;
            this.keys = keys;
            this.values = new long[keys.size()];
            this.errors = new Throwable[keys.size()];
            this.answered = new boolean[keys.size()];
        }

        AsyncCommand<byte[], ByteBuffer, Void> group(List<Integer> indices) {
            List<byte[]> groupKeys = new ArrayList<>(indices.size());
            for (int i : indices) {
                groupKeys.add(keys.get(i));
            }
            IntegerReplies replies = new IntegerReplies(indices.size());
            AsyncCommand<byte[], ByteBuffer, Void> cmd = new AsyncCommand<>(new PipelineCommand(replies.commands(type, groupKeys)));
            synchronized (this) {
                groups.add(cmd);
            }
            cmd.whenComplete((v, e) -> {
                Throwable failure = e == null && replies.received() != indices.size()
                        ? new RedisException("the reply to a group of " + indices.size() + " commands was cut short")
                        : e;
                if (failure != null && topology.isCluster() && isNoAnswer(failure)) {
                    topology.unreachable();
                }
                List<Integer> redirected = null;
                synchronized (this) {
                    for (int k = 0; k < indices.size(); k++) {
                        int i = indices.get(k);
                        if (failure != null) {
                            answer(i, 0, failure);
                        } else if (replies.error(k) == null) {
                            answer(i, replies.value(k), null);
                        } else {
                            RedisException err = ExceptionFactory.createExecutionException(replies.error(k));
                            if (topology.isCluster() && isRedirect(err) && !finished) {
                                if (err.getMessage().startsWith("MOVED")) {
                                    // ASK only says the slot is moving: its owner is unchanged
                                    topology.redirected();
                                }
                                if (redirected == null) {
                                    redirected = new ArrayList<>();
                                }
                                redirected.add(i);
                                pending++;
                            } else {
                                answer(i, 0, err);
                            }
                        }
                    }
                }
                if (redirected != null) {
                    redirected.forEach(this::route);
                }
                done();
            });
            return cmd;
        }

        /** Key {@code i} through the cluster router, which follows redirects. */
        void route(int i) {
            byte[] key = keys.get(i);
            Call<Long> call = new Call<>(key, true, () -> Commands.integer(type, key));
            synchronized (this) {
                routedCalls.add(call);
            }
            topology.route(List.of(routed(call, 0)));
            call.result.whenComplete((v, e) -> {
                synchronized (this) {
                    answer(i, v == null ? 0 : v, e);
                }
                done();
            });
        }

        /** Under the lock; a key answered after the deadline keeps its timeout. */
        private void answer(int i, long value, Throwable error) {
            if (finished) {
                return;
            }
            values[i] = value;
            errors[i] = error;
            answered[i] = true;
        }

        void done() {
            IntegerResults complete;
            synchronized (this) {
                if (--pending > 0 || finished) {
                    return;
                }
                finished = true;
                complete = new IntegerResults(values, errors);
            }
            result.complete(complete);
        }

        void expire() {
            IntegerResults late;
            List<CompletableFuture<?>> cancel = new ArrayList<>();
            synchronized (this) {
                if (finished) {
                    return;
                }
                finished = true;
                RedisCommandTimeoutException timedOut = new RedisCommandTimeoutException(
                        "timed out: no reply within the request timeout of " + timeout.toMillis() + " ms");
                for (int i = 0; i < answered.length; i++) {
                    if (!answered[i]) {
                        errors[i] = timedOut;
                    }
                }
                late = new IntegerResults(values, errors);
                // commands still queued (e.g. for a reconnect) are dropped, not sent late
                cancel.addAll(groups);
                for (Call<Long> call : routedCalls) {
                    if (call.attempt != null) {
                        cancel.add(call.attempt);
                    }
                }
            }
            result.complete(late);
            cancel.forEach(f -> f.cancel(false));
        }
    }

    /** Fails the calls still without a reply when the request timeout expires. */
    private void watch(List<? extends Call<?>> calls) {
        Call<?>[] watched = calls.toArray(Call<?>[]::new);
        CompletableFuture<?>[] results = new CompletableFuture<?>[watched.length];
        for (int i = 0; i < results.length; i++) {
            results[i] = watched[i].result;
        }
        ScheduledFuture<?> deadline = TIMER.schedule(() -> {
            for (Call<?> call : watched) {
                if (!call.result.isDone()) {
                    call.result.completeExceptionally(new RedisCommandTimeoutException(
                            "timed out: no reply within the request timeout of " + timeout.toMillis() + " ms"));
                    // a command still queued (e.g. for a reconnect) is then dropped, not sent late
                    // with a buffer its caller was told it may reuse
                    CompletableFuture<?> attempt = call.attempt;
                    if (attempt != null) {
                        attempt.cancel(false);
                    }
                }
            }
        }, timeout.toNanos(), TimeUnit.NANOSECONDS);
        CompletableFuture.allOf(results).whenComplete((v, e) -> deadline.cancel(false));
    }

    private <T> AsyncCommand<byte[], ByteBuffer, T> attempt(Call<T> call) {
        AsyncCommand<byte[], ByteBuffer, T> cmd = new AsyncCommand<>(call.factory.get());
        call.attempt = cmd;
        cmd.whenComplete((v, e) -> replied(call, v, e));
        return cmd;
    }

    /**
     * The calls for one node as one {@link PipelineCommand}: Lettuce queues, writes and completes
     * it once, which for small values roughly halves the client's CPU per command. Each call
     * then gets its own command's reply, as if sent alone.
     */
    private AsyncCommand<byte[], ByteBuffer, Void> pipeline(List<Call<?>> calls) {
        List<RedisCommand<byte[], ByteBuffer, ?>> commands = new ArrayList<>(calls.size());
        for (Call<?> call : calls) {
            commands.add(call.factory.get());
        }
        PipelineCommand group = new PipelineCommand(commands);
        AsyncCommand<byte[], ByteBuffer, Void> cmd = new AsyncCommand<>(group);
        for (Call<?> call : calls) {
            call.attempt = cmd;
        }
        cmd.whenComplete((v, e) -> {
            Throwable failure = e == null && !group.allAnswered()
                    ? new RedisException("the reply to a group of " + calls.size() + " commands was cut short")
                    : e;
            for (int i = 0; i < calls.size(); i++) {
                answered(calls.get(i), commands.get(i), failure);
            }
        });
        return cmd;
    }

    /** A call of a group gets its own command's reply, or the group's failure. */
    @SuppressWarnings("unchecked")
    private <T> void answered(Call<T> call, RedisCommand<byte[], ByteBuffer, ?> command, Throwable groupFailure) {
        if (groupFailure != null) {
            replied(call, null, groupFailure);
            return;
        }
        CommandOutput<byte[], ByteBuffer, ?> output = command.getOutput();
        if (output.hasError()) {
            replied(call, null, ExceptionFactory.createExecutionException(output.getError()));
        } else {
            replied(call, (T) output.get(), null);
        }
    }

    /** What happens when a call's command is answered: a redirect is followed, anything else completes the call. */
    private <T> void replied(Call<T> call, T value, Throwable e) {
        if (e != null && topology.isCluster() && isRedirect(e) && !call.result.isDone()) {
            if (e.getMessage().startsWith("MOVED")) {
                // ASK only says the slot is being moved: its owner, and so the topology, is unchanged
                topology.redirected();
            }
            topology.route(List.of(routed(call, 0)));
        } else {
            if (e != null && topology.isCluster() && isNoAnswer(e)) {
                topology.unreachable();
            }
            complete(call, value, e);
        }
    }

    /**
     * The call as a command for the cluster router, which follows MOVED and ASK itself. The router
     * rejects a command at once while the connection it needs is still being opened (as it does
     * under {@code DisconnectedBehavior.REJECT_COMMANDS}, which keeps calls to a dead node failing
     * fast); that happens on the first redirect to a node and right after a topology change, and
     * the connection is open moments later, so such a rejection is retried a few times.
     */
    private <T> AsyncCommand<byte[], ByteBuffer, T> routed(Call<T> call, int attempt) {
        AsyncCommand<byte[], ByteBuffer, T> cmd = new AsyncCommand<>(call.factory.get());
        call.attempt = cmd;
        cmd.whenComplete((v, e) -> {
            if (e != null && attempt < ROUTE_RETRIES && isRejectedWhileConnecting(e) && !call.result.isDone()) {
                CompletableFuture.delayedExecutor(10L << attempt, TimeUnit.MILLISECONDS)
                        .execute(() -> topology.route(List.of(routed(call, attempt + 1))));
                return;
            }
            if (e != null && isNoAnswer(e)) {
                topology.unreachable();
            }
            complete(call, v, e);
        });
        return cmd;
    }

    private static <T> void complete(Call<T> call, T value, Throwable error) {
        if (error != null) {
            call.result.completeExceptionally(error);
        } else {
            call.result.complete(value);
        }
    }

    /** A failure that is not the node's error reply: it was not reached, or did not answer in time. */
    static boolean isNoAnswer(Throwable e) {
        return e instanceof RedisException && !(e instanceof RedisCommandExecutionException);
    }

    /** Lettuce's rejection of a command for a connection that is not (yet) connected. */
    static boolean isRejectedWhileConnecting(Throwable e) {
        String m = e instanceof RedisException ? e.getMessage() : null;
        return m != null && m.startsWith("Currently not connected");
    }

    static boolean isRedirect(Throwable e) {
        String m = e instanceof RedisCommandExecutionException ? e.getMessage() : null;
        return m != null && (m.startsWith("MOVED") || m.startsWith("ASK"));
    }
}
