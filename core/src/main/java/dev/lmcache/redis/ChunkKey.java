package dev.lmcache.redis;

/** STUB: replaced by the data-model work (issue 3). */
public final class ChunkKey {
}
