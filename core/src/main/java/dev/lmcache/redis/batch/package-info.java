/**
 * Internal: the batching engine behind {@link dev.lmcache.redis.KvCacheStore}. Nothing here is
 * API; applications open a store with {@link dev.lmcache.redis.KvCacheStore#open}.
 *
 * <p>One batch of reads takes these steps, and comments in core name the step they belong to:
 * <ol>
 *   <li><b>scheduler</b>: the call waits in its priority queue (PEEK, PREFETCH, GET, PUT) for a
 *       worker slot and for bytes-in-flight budget ({@code schedule});</li>
 *   <li><b>layout</b>: each chunk key becomes its Redis key names ({@code layout});</li>
 *   <li><b>planner</b>: the names are grouped by the node that owns their slot (one group in
 *       standalone) and cut into sub-batches by keys and bytes;</li>
 *   <li><b>transport</b>: every group's commands are written at once on that node's connection,
 *       all nodes concurrently: one round trip ({@code topology}, {@code codec});</li>
 *   <li><b>decoder</b>: header and data become a chunk, the bytes copied once into the caller's
 *       buffer; a size or header mismatch is a miss (and orphan metadata is cleaned up);</li>
 *   <li><b>semantics</b>: results in key order, cut at the first miss for
 *       {@code batchedContains} and {@code batchedGetNonBlocking}, buffers past the cut
 *       released.</li>
 * </ol>
 * Lookups ({@code batchedContains}, {@code lookup}, the raw view's EXISTS and DEL) carry no values:
 * they are not cut into sub-batches, and each node's share is sent without a future per key, its
 * integer replies collected into one array ({@code Dispatcher.integers}).
 * Writes take the same path, each chunk's KV bytes queued before its metadata. Standalone and
 * cluster differ only in the planner's topology. The key formats are described in
 * {@code docs/LMCACHE-FORMAT.md}.
 */
package dev.lmcache.redis.batch;
