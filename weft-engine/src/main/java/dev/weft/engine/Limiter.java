package dev.weft.engine;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * At most {@code max} pieces of work at once, the rest queued in order (Argo's {@code
 * parallelism}). Used only on the engine's control thread, so it needs no locks.
 */
final class Limiter {
  private final int max;
  private final Executor control;
  private int running;
  private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();

  Limiter(int max, Executor control) {
    this.max = max;
    this.control = control;
  }

  /** Starts {@code work} now or when a slot frees; its result completes the returned future. */
  <T> CompletableFuture<T> submit(Supplier<CompletableFuture<T>> work) {
    CompletableFuture<T> out = new CompletableFuture<>();
    Runnable start =
        () -> {
          CompletableFuture<T> f;
          try {
            f = work.get();
          } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
          }
          f.whenCompleteAsync(
              (v, e) -> {
                // the caller sees the result (and may decide to stop, failFast) before the next one
                // starts
                if (e != null) out.completeExceptionally(e);
                else out.complete(v);
                release();
              },
              control);
        };
    if (running < max) {
      running++;
      start.run();
    } else {
      waiting.add(start);
    }
    return out;
  }

  private void release() {
    Runnable next = waiting.poll();
    if (next != null) next.run();
    else running--;
  }

  /** A template's own {@code parallelism} limit, or null when it sets none. */
  static Limiter of(Model.Template t, java.util.Map<String, String> vars, Executor control) {
    return t.parallelism()
        .map(
            p ->
                new Limiter(
                    (int) StepError.wholeNumber(Exprs.render(p, vars, true), "parallelism"),
                    control))
        .orElse(null);
  }

  /** Runs {@code work} through {@code l}, or at once when there is no limit ({@code l == null}). */
  static <T> CompletableFuture<T> run(Limiter l, Supplier<CompletableFuture<T>> work) {
    return l == null ? work.get() : l.submit(work);
  }
}
