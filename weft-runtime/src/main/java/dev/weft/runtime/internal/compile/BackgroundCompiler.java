package dev.weft.runtime.internal.compile;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/** Where the tiered engine compiles: a pool of the runtime's own, or the caller's executor. */
public final class BackgroundCompiler implements AutoCloseable {
  /** Modules waiting to be compiled; more run interpreted until a later load queues them again. */
  public static final int QUEUE = 16;

  private final Executor executor;
  private final java.util.concurrent.ExecutorService owned;

  private BackgroundCompiler(Executor executor, java.util.concurrent.ExecutorService owned) {
    this.executor = executor;
    this.owned = owned;
  }

  /** A few threads (compiling is CPU-bound), a bounded queue, deep stacks for large functions. */
  public static BackgroundCompiler own() {
    int threads = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    java.util.concurrent.ThreadPoolExecutor pool =
        new java.util.concurrent.ThreadPoolExecutor(
            threads,
            threads,
            30,
            java.util.concurrent.TimeUnit.SECONDS,
            new java.util.concurrent.ArrayBlockingQueue<>(QUEUE),
            dev.weft.runtime.WeftRuntime.taskThreads("weft-compiler-"));
    pool.allowCoreThreadTimeOut(true);
    return new BackgroundCompiler(pool, pool);
  }

  public static BackgroundCompiler using(Executor executor) {
    return new BackgroundCompiler(executor, null);
  }

  /**
   * Queues a compile; false when the queue is full or closed. The caller then keeps the
   * interpreter: compiling inline would put an unbounded amount of compiling on request threads.
   */
  public boolean submit(Runnable compile) {
    try {
      executor.execute(compile);
      return true;
    } catch (RejectedExecutionException e) {
      return false;
    }
  }

  @Override
  public void close() {
    if (owned != null) owned.shutdown();
  }
}
