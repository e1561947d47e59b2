package dev.weft.runtime.internal.cache;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.weft.runtime.internal.compile.CompiledWasm;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Compiled modules by SHA-256 of their bytes, bounded by total module size. Concurrent first
 * requests for one digest wait for a single compilation; a failed compilation is not cached.
 */
public final class CompiledModuleCache {
  private final AsyncCache<String, Outcome> cache;

  /**
   * A compilation's outcome. Failures complete the future normally and are then removed, because
   * Caffeine logs a stack trace for every exceptionally completed load.
   */
  private record Outcome(CompiledWasm module, RuntimeException error) {}

  public CompiledModuleCache(long maxModuleBytes) {
    this.cache =
        Caffeine.newBuilder()
            .maximumWeight(maxModuleBytes)
            .weigher(
                (String k, Outcome v) ->
                    v.module() == null
                        ? 1
                        : (int) Math.min(Integer.MAX_VALUE, v.module().sizeBytes()))
            .recordStats()
            // maintenance and eviction inline, as in ModuleLoader: on the default common pool every
            // few reads woke a pool thread, a thread hand-off per task on two shared cores
            .executor(Runnable::run)
            .buildAsync();
  }

  /**
   * The compiled module for {@code digest}, compiling it with {@code compile} on this thread if
   * absent.
   */
  public Lookup get(String digest, Supplier<CompiledWasm> compile) {
    CompletableFuture<Outcome> mine = new CompletableFuture<>();
    CompletableFuture<Outcome> f = cache.get(digest, (k, executor) -> mine);
    boolean hit = f != mine;
    if (!hit) {
      try {
        mine.complete(new Outcome(compile.get(), null));
      } catch (RuntimeException e) {
        mine.complete(new Outcome(null, e));
      } catch (Error e) {
        mine.completeExceptionally(e);
        throw e;
      }
    }
    Outcome o = f.join();
    if (o.error() != null) {
      cache.synchronous().asMap().remove(digest, o);
      throw o.error();
    }
    return new Lookup(o.module(), hit);
  }

  /**
   * The compiled module for {@code digest} if it is present and ready, without waiting or counting.
   */
  public java.util.Optional<CompiledWasm> ready(String digest) {
    CompletableFuture<Outcome> f = cache.asMap().get(digest); // the map view records no statistics
    if (f == null || !f.isDone() || f.isCompletedExceptionally()) return java.util.Optional.empty();
    return java.util.Optional.ofNullable(f.join().module());
  }

  /** A cache answer: the module, and whether it was already there (or being compiled). */
  public record Lookup(CompiledWasm module, boolean hit) {}

  public void clear() {
    cache.synchronous().invalidateAll();
  }

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
