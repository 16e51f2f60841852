/**
 * The measurements of {@code bench} and the {@code demo}: each takes validated settings and a
 * target, prints its tables as it goes and returns an {@link dev.lmcache.redis.cli.bench.Outcome}
 * (JSON document, verdict, chart). Chunk content is a function of the key, so every read is
 * verified without keeping payloads. Internal to the tool.
 */
package dev.lmcache.redis.cli.bench;
