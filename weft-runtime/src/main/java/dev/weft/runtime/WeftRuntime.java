package dev.weft.runtime;

import com.dylibso.chicory.compiler.Cache;
import dev.weft.runtime.internal.CompiledModuleCache;
import dev.weft.runtime.internal.DiskCodeCache;
import dev.weft.runtime.internal.ModuleCompiler;
import dev.weft.runtime.internal.TaskRunner;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Runs WASI modules as workflow tasks. Load a module once ({@link #load}), run it many times
 * ({@link #run}); each run gets a fresh sandbox. Thread-safe; tasks run on the caller's thread.
 *
 * <pre>{@code
 * WeftRuntime weft = WeftRuntime.create();
 * LoadedModule hello = weft.load(ModuleSource.file(Path.of("hello.wasm")));
 * TaskResult r = weft.run(hello, TaskSpec.builder().parameter("name", "World").build());
 * }</pre>
 */
public final class WeftRuntime {
  private final Engine engine;
  private final long maxModuleBytes;
  private final CompiledModuleCache cache;
  private final TaskRunner runner;
  private final Optional<Cache> codeCache;

  private WeftRuntime(Builder b) {
    this.engine = b.engine;
    this.maxModuleBytes = b.maxModuleBytes;
    this.cache = new CompiledModuleCache(b.cacheMaxBytes);
    this.runner = new TaskRunner(b.storage);
    this.codeCache = Optional.ofNullable(b.compiledCodeDir).map(d -> new DiskCodeCache(d, b.compiledCodeMaxBytes));
  }

  public static WeftRuntime create() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Reads, verifies, parses and compiles a module, or takes it from the cache by digest.
   *
   * @throws ModuleFetchException the bytes could not be read or do not match the pinned digest
   * @throws ModuleFormatException they are not a valid WebAssembly module
   * @throws LinkException the module imports something weft does not provide, or has no _start
   */
  public LoadedModule load(ModuleSource source) {
    long t0 = System.nanoTime();
    byte[] bytes = source.read(maxModuleBytes);
    String digest = sha256(bytes);
    source.expectedDigest().ifPresent(expected -> {
      if (!expected.equals(digest)) {
        throw new ModuleFetchException("digest mismatch for module " + source.name() + ": expected " + expected + ", got " + digest);
      }
    });
    long t1 = System.nanoTime();
    CompiledModuleCache.Lookup found = cache.get(digest, () -> ModuleCompiler.compile(digest, source.name(), bytes, engine, codeCache));
    return new LoadedModule(found.module(), t1 - t0, System.nanoTime() - t1, found.hit());
  }

  /** Runs a loaded module as one task. Task failures are results, never exceptions. */
  public TaskResult run(LoadedModule module, TaskSpec spec) {
    return runner.run(module.compiled(), spec, 0, 0);
  }

  /** Loads (or finds in the cache) and runs; load errors are thrown as by {@link #load}. */
  public TaskResult run(ModuleSource source, TaskSpec spec) {
    LoadedModule m = load(source);
    return runner.run(m.compiled(), spec, m.loadNanos(), m.compileNanos());
  }

  /** Number of compiled modules held. */
  public long cachedModules() {
    return cache.size();
  }

  public long cacheHits() {
    return cache.hits();
  }

  public long cacheMisses() {
    return cache.misses();
  }

  static String sha256(byte[] bytes) {
    try {
      return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM lacks SHA-256", e);
    }
  }

  /** Options for a {@link WeftRuntime}; every one has a safe default. */
  public static final class Builder {
    private Engine engine = Engine.COMPILER;
    private long cacheMaxBytes = 256L << 20;
    private long maxModuleBytes = 128L << 20;
    private SandboxStorage storage = SandboxStorage.MEMORY;
    private Path compiledCodeDir;
    private long compiledCodeMaxBytes = 1L << 30;

    private Builder() {}

    /** Compiler (default) or interpreter. */
    public Builder engine(Engine engine) {
      this.engine = java.util.Objects.requireNonNull(engine);
      return this;
    }

    /** Total size of module bytes whose compiled form is kept (default 256 MiB). */
    public Builder cacheMaxBytes(long bytes) {
      if (bytes < 0) throw new IllegalArgumentException("cacheMaxBytes must be >= 0, got " + bytes);
      this.cacheMaxBytes = bytes;
      return this;
    }

    /** Largest module accepted (default 128 MiB). */
    public Builder maxModuleBytes(long bytes) {
      if (bytes <= 0) throw new IllegalArgumentException("maxModuleBytes must be positive, got " + bytes);
      this.maxModuleBytes = bytes;
      return this;
    }

    /** In-memory sandbox file system (default) or host temp directories. */
    public Builder sandboxStorage(SandboxStorage storage) {
      this.storage = java.util.Objects.requireNonNull(storage);
      return this;
    }

    /**
     * Keep compiled code on disk under this directory too, so new processes skip compiling modules
     * seen before (default: memory only).
     */
    public Builder compiledCodeDir(Path dir) {
      this.compiledCodeDir = dir;
      return this;
    }

    /** Size of the on-disk compiled-code cache (default 1 GiB); least recently used code goes first. */
    public Builder compiledCodeMaxBytes(long bytes) {
      if (bytes <= 0) throw new IllegalArgumentException("compiledCodeMaxBytes must be positive, got " + bytes);
      this.compiledCodeMaxBytes = bytes;
      return this;
    }

    public WeftRuntime build() {
      return new WeftRuntime(this);
    }
  }
}
