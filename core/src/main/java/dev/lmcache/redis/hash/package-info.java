/**
 * How LMCache turns token ids into chunk hashes, reproduced byte for byte: the chaining per
 * profile, a canonical CBOR encoder for vLLM's {@code sha256_cbor}, and CPython's {@code hash()}
 * (integers, tuples, and SipHash-1-3 strings keyed from PYTHONHASHSEED). Internal: {@link
 * dev.lmcache.redis.hash.HashChain} is public only so that {@link dev.lmcache.redis.TokenHasher},
 * the supported API, can use it.
 */
package dev.lmcache.redis.hash;
