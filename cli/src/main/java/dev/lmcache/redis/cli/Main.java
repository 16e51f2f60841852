package dev.lmcache.redis.cli; public final class Main { public static void main(String[] a){ System.out.println("lmcache-redis"); } }
