/**
 * Public: exporting a store's {@link dev.lmcache.redis.StoreStats} to Micrometer
 * ({@link dev.lmcache.redis.micrometer.MicrometerBinder}). Micrometer
 * ({@code io.micrometer:micrometer-core}) is an optional dependency: use this package only with
 * it on the classpath. Nothing here is null unless annotated
 * {@link org.jspecify.annotations.Nullable}.
 */
@NullMarked
package dev.lmcache.redis.micrometer;

import org.jspecify.annotations.NullMarked;
