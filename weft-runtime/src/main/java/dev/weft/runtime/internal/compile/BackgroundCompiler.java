package dev.weft.runtime.internal.compile;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/** Where the tiered engine compiles: a pool of the runtime's own, or the caller's executor. */
public final class BackgroundCompiler implements AutoCloseable {
  private final Executor executor;
  private final java.util.concurrent.ExecutorService owned;

  private BackgroundCompiler(Executor executor, java.util.concurrent.ExecutorService owned) {
    this.executor = executor;
    this.owned = owned;
  }

  /** A few threads (compiling is CPU-bound), a bounded queue, deep stacks for large functions. */
  public static BackgroundCompiler own() {
    int threads = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    java.util.concurrent.ThreadPoolExecutor pool = new java.util.concurrent.ThreadPoolExecutor(threads, threads, 30,
        java.util.concurrent.TimeUnit.SECONDS, new java.util.concurrent.ArrayBlockingQueue<>(64), dev.weft.runtime.WeftRuntime.taskThreads("weft-compiler-"));
    pool.allowCoreThreadTimeOut(true);
    return new BackgroundCompiler(pool, pool);
  }

  public static BackgroundCompiler using(Executor executor) {
    return new BackgroundCompiler(executor, null);
  }

  public void submit(Runnable compile) {
    try {
      executor.execute(compile);
    } catch (RejectedExecutionException e) {
      compile.run(); // saturated or closed: compile first, as the COMPILER engine does
    }
  }

  @Override
  public void close() {
    if (owned != null) owned.shutdown();
  }
}
