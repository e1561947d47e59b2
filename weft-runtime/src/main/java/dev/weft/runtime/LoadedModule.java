package dev.weft.runtime;

import dev.weft.runtime.internal.compile.CompiledWasm;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A module ready to run: parsed, checked (it is a WASI command whose imports weft provides) and
 * compiled. Cheap to hold; run it as many times as you like, from any thread.
 */
public final class LoadedModule {
  private final CompiledWasm compiled;
  private final long loadNanos;
  private final long compileNanos;
  private final boolean fromCache;
  private final Optional<CompletableFuture<CompiledWasm>> compiling;

  LoadedModule(CompiledWasm compiled, long loadNanos, long compileNanos, boolean fromCache) {
    this(compiled, loadNanos, compileNanos, fromCache, Optional.empty());
  }

  LoadedModule(
      CompiledWasm compiled,
      long loadNanos,
      long compileNanos,
      boolean fromCache,
      Optional<CompletableFuture<CompiledWasm>> compiling) {
    this.compiling = compiling;
    this.compiled = compiled;
    this.loadNanos = loadNanos;
    this.compileNanos = compileNanos;
    this.fromCache = fromCache;
  }

  public String name() {
    return compiled.name();
  }

  /** {@code sha256:<hex>} of the module bytes. */
  public String digest() {
    return compiled.digest();
  }

  public long sizeBytes() {
    return compiled.sizeBytes();
  }

  /**
   * The engine that runs it: {@link Engine#INTERPRETER} when compilation failed and weft fell back,
   * or (tiered engine) while its compiled code is not ready yet.
   */
  public Engine engine() {
    if (compiling.isPresent()
        && compiling.get().isDone()
        && !compiling.get().isCompletedExceptionally()) {
      return compiling.get().join().engine();
    }
    return compiled.engine();
  }

  /**
   * Waits up to {@code timeout} for the module's compiled code (tiered engine: it is made in the
   * background). True when tasks of this module now run compiled; false on timeout, or when the
   * module runs in the interpreter for good (interpreter engine, or compiling failed).
   */
  public boolean awaitCompiled(java.time.Duration timeout) throws InterruptedException {
    if (compiling.isEmpty()) return compiled.engine() == Engine.COMPILER;
    try {
      return compiling
              .get()
              .get(timeout.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS)
              .engine()
          == Engine.COMPILER;
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      return false;
    }
  }

  /** Tiered engine: the compiled code being made in the background, if it was not ready at load. */
  Optional<CompletableFuture<CompiledWasm>> compiling() {
    return compiling;
  }

  /** Time this load spent reading and hashing the bytes. */
  public long loadNanos() {
    return loadNanos;
  }

  /** Time this load spent parsing and compiling; near zero when the module came from the cache. */
  public long compileNanos() {
    return compileNanos;
  }

  /** Whether this load found the module already compiled. */
  public boolean fromCache() {
    return fromCache;
  }

  CompiledWasm compiled() {
    return compiled;
  }

  @Override
  public String toString() {
    return name() + " (" + digest() + ", " + engine() + ")";
  }
}
