package dev.weft.runtime;

import dev.weft.runtime.capability.CapabilityKind;
import dev.weft.runtime.capability.env.EnvCapability;
import dev.weft.runtime.capability.http.HttpCapability;
import dev.weft.runtime.internal.TaskRunner;
import dev.weft.runtime.internal.cache.CompiledModuleCache;
import dev.weft.runtime.internal.cache.DiskCodeCache;
import dev.weft.runtime.internal.compile.BackgroundCompiler;
import dev.weft.runtime.internal.compile.HostImports;
import dev.weft.runtime.internal.warmup.FirstRuns;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;

/**
 * Runs WASI modules as workflow tasks. Load a module once ({@link #load}), run it many times
 * ({@link #run}); each run gets a fresh sandbox. Thread-safe; tasks run on the caller's thread.
 * Close it to release its compiled modules and its background compiler.
 *
 * <pre>{@code
 * try (WeftRuntime weft = WeftRuntime.create()) {
 *   LoadedModule hello = weft.load(ModuleSource.file(Path.of("hello.wasm")));
 *   TaskResult r = weft.run(hello, TaskSpec.builder().parameter("name", "World").build());
 * }
 * }</pre>
 */
public final class WeftRuntime implements AutoCloseable {
  /** The default {@link Builder#loadTimeout}. */
  public static final Duration DEFAULT_LOAD_TIMEOUT = Duration.ofSeconds(60);

  /** Loads waiting for a loader thread; more are refused at once. */
  public static final int LOAD_QUEUE = 64;

  private final ModuleLoader loader;
  private final TaskRunner runner;
  private final MemoryBudget budget;
  private final List<CapabilityKind> capabilityKinds;

  private WeftRuntime(Builder b) {
    this.capabilityKinds = List.copyOf(b.capabilityKinds);
    this.budget = b.budget != null ? b.budget : MemoryBudget.fromHeap();
    this.runner = new TaskRunner(b.storage, capabilityKinds, b.preopenOrder, budget);
    this.loader =
        new ModuleLoader(
            b.engine,
            b.maxModuleBytes,
            b.moduleLimits,
            new CompiledModuleCache(b.cacheMaxBytes),
            HostImports.of(capabilityKinds),
            Optional.ofNullable(b.compiledCodeDir)
                .map(d -> new DiskCodeCache(d, b.compiledCodeMaxBytes, b.clock)),
            b.compilerExecutor != null
                ? BackgroundCompiler.using(b.compilerExecutor)
                : BackgroundCompiler.own(),
            b.rememberedModules,
            b.loadTimeout,
            taskThreads("weft-loader-"));
  }

  public static WeftRuntime create() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Reads, verifies, parses and compiles a module, or takes it from the cache: by its identity (a
   * file unchanged since, a pinned digest, an OCI manifest) without reading it, else by the SHA-256
   * of its bytes.
   *
   * @throws ModuleFetchException the bytes could not be read or do not match the pinned digest
   * @throws ModuleFormatException they are not a valid WebAssembly module
   * @throws LinkException the module imports something weft does not provide, or has no _start
   */
  public LoadedModule load(ModuleSource source) {
    return loader.load(source);
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
    if (m.compiling().isPresent())
      return runner.runTiered(m.compiled(), m.compiling().get(), spec, loadNanos, compileNanos);
    return runner.run(m.compiled(), spec, loadNanos, compileNanos);
  }

  /** What this runtime holds and how its cache has done, at this moment. */
  public RuntimeStats stats() {
    return loader.stats();
  }

  /**
   * The memory budget tasks reserve from; front ends charge what they stage for a task to it too.
   */
  public MemoryBudget memoryBudget() {
    return budget;
  }

  /** The capability kinds registered on this runtime, in registration order. */
  public List<CapabilityKind> capabilityKinds() {
    return capabilityKinds;
  }

  /**
   * Warms the JVM for modules new to this process: parses, validates and interprets built-in
   * modules covering most opcodes, on a runtime of their own that keeps nothing, until the JIT
   * compilers go quiet or {@code budget} is spent. For long-lived front ends before they report
   * ready; a one-shot run should not call it.
   *
   * @param stopped checked between rounds: true ends the warm-up early
   * @return the rounds run
   */
  public static int warmUp(Duration budget, BooleanSupplier stopped) {
    try {
      return FirstRuns.warm(budget, stopped);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Whether compiled code for {@code module} is in the on-disk cache under {@code compiledCodeDir}
   * (as given to {@link Builder#compiledCodeDir}), without loading it: a one-shot run chooses the
   * compiler only when it will not have to compile.
   */
  public static boolean compiledCodeCached(Path compiledCodeDir, byte[] module) {
    return DiskCodeCache.holds(compiledCodeDir, module);
  }

  /**
   * A thread factory for threads that run tasks: daemon threads with a 16 MiB stack, because deep
   * wasm recursion becomes deep JVM recursion (compiled code especially).
   */
  public static java.util.concurrent.ThreadFactory taskThreads(String namePrefix) {
    java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
    return r -> {
      Thread t = new Thread(null, r, namePrefix + n.incrementAndGet(), 16L << 20);
      t.setDaemon(true);
      return t;
    };
  }

  /**
   * Releases the compiled modules this runtime holds and stops its own background compiler (an
   * executor given to the builder stays the caller's). Tasks still running finish.
   */
  @Override
  public void close() {
    loader.close();
  }

  /** Options for a {@link WeftRuntime}; every one has a safe default. */
  public static final class Builder {
    private Engine engine = Engine.COMPILER;
    private long cacheMaxBytes =
        Math.min(256L << 20, Runtime.getRuntime().maxMemory() / 8); // compiled code is heap too
    private long maxModuleBytes = 128L << 20;
    private SandboxStorage storage = SandboxStorage.MEMORY;
    private PreopenOrder preopenOrder = PreopenOrder.SANDBOX_FIRST;
    private Path compiledCodeDir;
    private long compiledCodeMaxBytes = 1L << 30;
    private Executor compilerExecutor;
    private long rememberedModules = 1024;
    private java.time.Clock clock = java.time.Clock.systemUTC();
    private MemoryBudget budget;
    private ModuleLimits moduleLimits = ModuleLimits.defaults();
    private Duration loadTimeout = DEFAULT_LOAD_TIMEOUT;
    private final List<CapabilityKind> capabilityKinds =
        new ArrayList<>(List.of(HttpCapability.KIND, EnvCapability.KIND));

    private Builder() {}

    /**
     * Compiler (default), interpreter, or tiered (interpreter until compiled in the background).
     */
    public Builder engine(Engine engine) {
      this.engine = Objects.requireNonNull(engine);
      return this;
    }

    /**
     * Total size of module bytes whose compiled form is kept (default 256 MiB, or an eighth of a
     * smaller heap).
     */
    public Builder cacheMaxBytes(long bytes) {
      if (bytes < 0) throw new IllegalArgumentException("cacheMaxBytes must be >= 0, got " + bytes);
      this.cacheMaxBytes = bytes;
      return this;
    }

    /**
     * How many module identities (files, pinned digests, manifests) are remembered (default 1024).
     */
    public Builder rememberedModules(long n) {
      if (n < 0) throw new IllegalArgumentException("rememberedModules must be >= 0, got " + n);
      this.rememberedModules = n;
      return this;
    }

    /** Largest module accepted (default 128 MiB). */
    public Builder maxModuleBytes(long bytes) {
      if (bytes <= 0)
        throw new IllegalArgumentException("maxModuleBytes must be positive, got " + bytes);
      this.maxModuleBytes = bytes;
      return this;
    }

    /**
     * Bounds on a module's structure, checked before it is parsed (default {@link
     * ModuleLimits#defaults}).
     */
    public Builder moduleLimits(ModuleLimits limits) {
      this.moduleLimits = Objects.requireNonNull(limits);
      return this;
    }

    /**
     * How long loading one module may take: parsing, checking and compiling it, or (tiered engine)
     * compiling it in the background (default 60 s). A load over it fails with a {@link
     * LimitExceededException} naming {@code module.loadTimeout}; a background compile over it
     * leaves the module in the interpreter.
     */
    public Builder loadTimeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero())
        throw new IllegalArgumentException("module.loadTimeout must be positive, got " + timeout);
      this.loadTimeout = timeout;
      return this;
    }

    /** Which directories get the first WASI file descriptors (default: the sandbox's). */
    public Builder preopenOrder(PreopenOrder order) {
      this.preopenOrder = java.util.Objects.requireNonNull(order);
      return this;
    }

    /** In-memory sandbox file system (default) or host temp directories. */
    public Builder sandboxStorage(SandboxStorage storage) {
      this.storage = Objects.requireNonNull(storage);
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

    /**
     * Size of the on-disk compiled-code cache (default 1 GiB); least recently used code goes first.
     */
    public Builder compiledCodeMaxBytes(long bytes) {
      if (bytes <= 0)
        throw new IllegalArgumentException("compiledCodeMaxBytes must be positive, got " + bytes);
      this.compiledCodeMaxBytes = bytes;
      return this;
    }

    /**
     * Where the tiered engine compiles in the background (default: a pool of the runtime's own, of
     * half the cores, stopped by {@link #close}). Its threads need deep stacks ({@link
     * #taskThreads}).
     */
    public Builder compilerExecutor(Executor executor) {
      this.compilerExecutor = Objects.requireNonNull(executor);
      return this;
    }

    /**
     * Registers a capability kind: its host functions link into every module, and tasks may be
     * granted it. HTTP ({@code wasi_experimental_http}) and env are registered by default.
     */
    public Builder capability(CapabilityKind kind) {
      Objects.requireNonNull(kind);
      if (capabilityKinds.stream().anyMatch(k -> k.name().equals(kind.name()))) {
        throw new IllegalArgumentException(
            "a capability named '" + kind.name() + "' is already registered");
      }
      capabilityKinds.add(kind);
      return this;
    }

    /**
     * The clock the disk cache marks entries used with, deciding which go first (default: the
     * system's).
     */
    public Builder clock(java.time.Clock clock) {
      this.clock = Objects.requireNonNull(clock);
      return this;
    }

    /**
     * The budget tasks reserve their memory and sandbox from (default: {@link
     * MemoryBudget#fromHeap}).
     */
    public Builder memoryBudget(MemoryBudget budget) {
      this.budget = Objects.requireNonNull(budget);
      return this;
    }

    public WeftRuntime build() {
      return new WeftRuntime(this);
    }
  }
}
