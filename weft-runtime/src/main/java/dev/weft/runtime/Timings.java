package dev.weft.runtime;

/**
 * Wall-clock time per phase of a task, in nanoseconds. {@code load} (read and hash the bytes) and
 * {@code compile} are zero when the caller passed an already loaded module, and {@code compile} is
 * near zero on a cache hit; {@code instantiate} covers preparing the sandbox (input.json, input
 * artifacts) and creating the instance; {@code run} is {@code _start}; {@code collect} applies the
 * contract (result.json, outputs).
 */
public record Timings(
    long loadNanos, long compileNanos, long instantiateNanos, long runNanos, long collectNanos) {
  public long totalNanos() {
    return loadNanos + compileNanos + instantiateNanos + runNanos + collectNanos;
  }
}
