package dev.weft.runtime;

import dev.weft.runtime.internal.CompiledWasm;

/**
 * A module ready to run: parsed, checked (it is a WASI command whose imports weft provides) and
 * compiled. Cheap to hold; run it as many times as you like, from any thread.
 */
public final class LoadedModule {
  private final CompiledWasm compiled;
  private final long loadNanos;
  private final long compileNanos;
  private final boolean fromCache;

  LoadedModule(CompiledWasm compiled, long loadNanos, long compileNanos, boolean fromCache) {
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

  /** The engine that runs it: {@link Engine#INTERPRETER} when compilation failed and weft fell back. */
  public Engine engine() {
    return compiled.engine();
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
