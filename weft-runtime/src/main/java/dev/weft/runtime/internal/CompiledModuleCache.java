package dev.weft.runtime.internal;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * Compiled modules by SHA-256 of their bytes, bounded by total module size. Concurrent first
 * requests for one digest wait for a single compilation; a failed compilation is not cached.
 */
public final class CompiledModuleCache {
  private final AsyncCache<String, CompiledWasm> cache;

  public CompiledModuleCache(long maxModuleBytes) {
    this.cache =
        Caffeine.newBuilder()
            .maximumWeight(maxModuleBytes)
            .weigher((String k, CompiledWasm v) -> (int) Math.min(Integer.MAX_VALUE, v.sizeBytes()))
            .recordStats()
            .buildAsync();
  }

  /** The compiled module for {@code digest}, compiling it with {@code compile} on this thread if absent. */
  public Lookup get(String digest, Supplier<CompiledWasm> compile) {
    CompletableFuture<CompiledWasm> mine = new CompletableFuture<>();
    CompletableFuture<CompiledWasm> f = cache.get(digest, (k, executor) -> mine);
    boolean hit = f != mine;
    if (!hit) {
      try {
        mine.complete(compile.get());
      } catch (RuntimeException | Error e) {
        mine.completeExceptionally(e);
      }
    }
    try {
      return new Lookup(f.join(), hit);
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) throw r;
      if (e.getCause() instanceof Error r) throw r;
      throw e;
    }
  }

  /** A cache answer: the module, and whether it was already there (or being compiled). */
  public record Lookup(CompiledWasm module, boolean hit) {}

  public long size() {
    return cache.synchronous().estimatedSize();
  }

  public long hits() {
    return cache.synchronous().stats().hitCount();
  }

  public long misses() {
    return cache.synchronous().stats().missCount();
  }
}
