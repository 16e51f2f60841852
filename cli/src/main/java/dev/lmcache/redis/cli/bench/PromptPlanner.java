package dev.lmcache.redis.cli.bench;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Hands out the prompts of {@link Workload}: how many chunks, and which earlier prompt to
 * extend by how much, steering the hit rate towards its target. Prompts are chunk ids; a prompt
 * may reuse the prefix of a prompt whose chunks were all written.
 */
final class PromptPlanner {
    private static final int POOL = 4096;
    private final long[][] pool = new long[POOL][];
    private int poolSize;
    private int poolNext;
    private double deficit;
    private final SplittableRandom random;
    private final double hitRate;
    private final int maxChunks;
    private final boolean skewed;
    private final AtomicLong nextId = new AtomicLong();

    PromptPlanner(long seed, double hitRate, int maxChunks, boolean skewed) {
        this.random = new SplittableRandom(seed);
        this.hitRate = hitRate;
        this.maxChunks = maxChunks;
        this.skewed = skewed;
    }

    /** A prompt: chunk ids, the first {@code hits} of which were written by an earlier request. */
    record Plan(long[] ids, int hits) {
    }

    synchronized Plan next() {
        int n = skewed ? 1 + (int) Math.floor((maxChunks - 1) * Math.pow(random.nextDouble(), 3) + 0.5)
                : 1 + random.nextInt(maxChunks);
        // Aim for the target on average, carrying over what earlier requests could not reach.
        int want = (int) Math.max(0, Math.min(n, Math.floor(n * hitRate + deficit + random.nextDouble())));
        long[] prefix = null;
        if (want > 0 && poolSize > 0) {
            for (int tries = 0; tries < 16; tries++) {
                long[] candidate = pool[random.nextInt(poolSize)];
                if (prefix == null || candidate.length > prefix.length) {
                    prefix = candidate;
                }
                if (prefix.length >= want) {
                    break;
                }
            }
        }
        int hits = prefix == null ? 0 : Math.min(want, prefix.length);
        deficit += n * hitRate - hits;
        long[] ids = new long[n];
        if (hits > 0) {
            System.arraycopy(prefix, 0, ids, 0, hits);
        }
        long first = nextId.getAndAdd(n - hits);
        for (int i = hits; i < n; i++) {
            ids[i] = first + (i - hits);
        }
        return new Plan(ids, hits);
    }

    /** A request's chunks are all written: later requests may reuse its prefix. */
    synchronized void written(long[] ids) {
        pool[poolNext] = ids;
        poolNext = (poolNext + 1) % POOL;
        poolSize = Math.min(POOL, poolSize + 1);
    }

    long idsUsed() {
        return nextId.get();
    }
}
