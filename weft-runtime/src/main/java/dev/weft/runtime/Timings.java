package dev.weft.runtime;

/**
 * Wall-clock time per phase of a task, in nanoseconds. {@code load} and {@code compile} are zero
 * when the caller passed an already loaded module; {@code compile} is near zero on a cache hit.
 */
public record Timings(long loadNanos, long compileNanos, long instantiateNanos, long runNanos, long collectNanos) {
  public long totalNanos() {
    return loadNanos + compileNanos + instantiateNanos + runNanos + collectNanos;
  }
}
