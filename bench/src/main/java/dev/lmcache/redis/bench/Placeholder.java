package dev.lmcache.redis.bench; final class Placeholder {}
