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
import java.util.concurrent.CompletableFuture;
import dev.weft.runtime.internal.CompiledWasm;

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
  private final java.util.concurrent.ConcurrentHashMap<String, Tiering> tiering = new java.util.concurrent.ConcurrentHashMap<>();

  private WeftRuntime(Builder b) {
    this.engine = b.engine;
    this.maxModuleBytes = b.maxModuleBytes;
    this.cache = new CompiledModuleCache(b.cacheMaxBytes);
    this.runner = new TaskRunner(b.storage, b.preopenOrder);
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
    if (engine == Engine.TIERED) return loadTiered(source.name(), bytes, digest, t1 - t0, t1);
    CompiledModuleCache.Lookup found = cache.get(digest, () -> ModuleCompiler.compile(digest, source.name(), bytes, engine, codeCache));
    return new LoadedModule(found.module(), t1 - t0, System.nanoTime() - t1, found.hit());
  }

  /**
   * Tiered engine: a module already compiled is returned as such; otherwise it is parsed and
   * checked now (so load errors are thrown here as always), and compiled in the background once,
   * however many loads ask for it meanwhile.
   */
  private LoadedModule loadTiered(String name, byte[] bytes, String digest, long loadNanos, long t1) {
    Optional<CompiledWasm> ready = cache.ready(digest);
    if (ready.isPresent()) return new LoadedModule(ready.get(), loadNanos, System.nanoTime() - t1, true);
    Tiering t = tiering.computeIfAbsent(digest, d -> {
      CompiledWasm interpreted = ModuleCompiler.compile(d, name, bytes, Engine.INTERPRETER, Optional.empty());
      CompletableFuture<CompiledWasm> compiled = new CompletableFuture<>();
      Runnable compile = () -> {
        try {
          compiled.complete(cache.get(d, () -> ModuleCompiler.recompile(interpreted, Engine.COMPILER, codeCache)).module());
        } catch (RuntimeException | Error e) {
          compiled.completeExceptionally(e);
        }
      };
      try {
        BACKGROUND_COMPILER.execute(compile);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        compile.run(); // the background compiler is saturated: compile first, as the COMPILER engine does
      }
      return new Tiering(interpreted, compiled);
    });
    t.compiled().whenComplete((c, e) -> tiering.remove(digest, t));
    return new LoadedModule(t.interpreted(), loadNanos, System.nanoTime() - t1, false, Optional.of(t.compiled()));
  }

  /** A module running in the interpreter while its compiled code is made. */
  private record Tiering(CompiledWasm interpreted, CompletableFuture<CompiledWasm> compiled) {}

  /**
   * Background compilation for the tiered engine, shared by runtimes: a few threads (compiling is
   * CPU-bound), a bounded queue, deep stacks for large functions, daemon so it never holds the JVM.
   */
  private static final java.util.concurrent.ThreadPoolExecutor BACKGROUND_COMPILER = backgroundCompiler();

  private static java.util.concurrent.ThreadPoolExecutor backgroundCompiler() {
    int threads = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.ThreadPoolExecutor pool = new java.util.concurrent.ThreadPoolExecutor(threads, threads, 30, java.util.concurrent.TimeUnit.SECONDS,
        new java.util.concurrent.ArrayBlockingQueue<>(64), r -> {
          Thread t = new Thread(null, r, "weft-compiler-" + n.incrementAndGet(), 16L << 20);
          t.setDaemon(true);
          return t;
        });
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  /** Runs a loaded module as one task. Task failures are results, never exceptions. */
  public TaskResult run(LoadedModule module, TaskSpec spec) {
    return run(module, spec, 0, 0);
  }

  /** Loads (or finds in the cache) and runs; load errors are thrown as by {@link #load}. */
  public TaskResult run(ModuleSource source, TaskSpec spec) {
    LoadedModule m = load(source);
    return run(m, spec, m.loadNanos(), m.compileNanos());
  }

  private TaskResult run(LoadedModule m, TaskSpec spec, long loadNanos, long compileNanos) {
    if (m.compiling().isPresent()) return runner.runTiered(m.compiled(), m.compiling().get(), spec, loadNanos, compileNanos);
    return runner.run(m.compiled(), spec, loadNanos, compileNanos);
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
    private PreopenOrder preopenOrder = PreopenOrder.SANDBOX_FIRST;
    private Path compiledCodeDir;
    private long compiledCodeMaxBytes = 1L << 30;

    private Builder() {}

    /** Compiler (default), interpreter, or tiered (interpreter until compiled in the background). */
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
    /** Which directories get the first WASI file descriptors (default: the sandbox's). */
    public Builder preopenOrder(PreopenOrder order) {
      this.preopenOrder = java.util.Objects.requireNonNull(order);
      return this;
    }

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
