package dev.weft.runtime;

import com.dylibso.chicory.compiler.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.weft.runtime.capability.CapabilityKind;
import dev.weft.runtime.capability.env.EnvCapability;
import dev.weft.runtime.capability.http.HttpCapability;
import dev.weft.runtime.internal.TaskRunner;
import dev.weft.runtime.internal.cache.CompiledModuleCache;
import dev.weft.runtime.internal.cache.DiskCodeCache;
import dev.weft.runtime.internal.compile.BackgroundCompiler;
import dev.weft.runtime.internal.compile.CompiledWasm;
import dev.weft.runtime.internal.compile.HostImports;
import dev.weft.runtime.internal.compile.ModuleCompiler;
import dev.weft.runtime.internal.warmup.FirstRuns;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
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
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(WeftRuntime.class);

  /** The default {@link Builder#loadTimeout}. */
  public static final Duration DEFAULT_LOAD_TIMEOUT = Duration.ofSeconds(60);

  private final Engine engine;
  private final long maxModuleBytes;
  private final ModuleLimits moduleLimits;
  private final CompiledModuleCache cache;
  private final TaskRunner runner;
  private final MemoryBudget budget;
  private final HostImports imports;
  private final List<CapabilityKind> capabilityKinds;
  private final Optional<Cache> codeCache;
  private final BackgroundCompiler compiler;
  private final Duration loadTimeout;

  /**
   * Where modules are parsed, checked and compiled, so a caller waits at most {@link
   * Builder#loadTimeout}: a few deep-stack threads and a bounded queue.
   */
  private final java.util.concurrent.ThreadPoolExecutor loader;

  /**
   * Module identities seen, to their content digest: a known module costs a lookup, not a read and
   * a hash.
   */
  private final com.github.benmanes.caffeine.cache.Cache<ModuleIdentity, String> identities;

  private final ConcurrentHashMap<String, Tiering> tiering = new ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicLong identityHits =
      new java.util.concurrent.atomic.AtomicLong();

  /** Loads whose bytes' digest found the module held (compiled or compiling). */
  private final java.util.concurrent.atomic.AtomicLong digestHits =
      new java.util.concurrent.atomic.AtomicLong();

  private WeftRuntime(Builder b) {
    this.engine = b.engine;
    this.maxModuleBytes = b.maxModuleBytes;
    this.moduleLimits = b.moduleLimits;
    this.cache = new CompiledModuleCache(b.cacheMaxBytes);
    this.capabilityKinds = List.copyOf(b.capabilityKinds);
    this.imports = HostImports.of(capabilityKinds);
    this.budget = b.budget != null ? b.budget : MemoryBudget.fromHeap();
    this.runner = new TaskRunner(b.storage, capabilityKinds, b.preopenOrder, budget);
    this.codeCache =
        Optional.ofNullable(b.compiledCodeDir)
            .map(d -> new DiskCodeCache(d, b.compiledCodeMaxBytes, b.clock));
    this.compiler =
        b.compilerExecutor != null
            ? BackgroundCompiler.using(b.compilerExecutor)
            : BackgroundCompiler.own();
    this.loadTimeout = b.loadTimeout;
    int loaders = Math.max(2, Runtime.getRuntime().availableProcessors());
    this.loader =
        new java.util.concurrent.ThreadPoolExecutor(
            loaders,
            loaders,
            30,
            java.util.concurrent.TimeUnit.SECONDS,
            new java.util.concurrent.ArrayBlockingQueue<>(LOAD_QUEUE),
            taskThreads("weft-loader-"));
    this.loader.allowCoreThreadTimeOut(true);
    this.identities =
        Caffeine.newBuilder()
            .maximumSize(b.rememberedModules)
            .executor(Runnable::run)
            .build(); // evicts inline: no pool threads
  }

  /** Loads waiting for a loader thread; more are refused at once. */
  public static final int LOAD_QUEUE = 64;

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
    long t0 = System.nanoTime();
    Optional<ModuleIdentity> identity = source.identity();
    if (identity.isPresent()) {
      String known = identities.getIfPresent(identity.get());
      Optional<LoadedModule> found = known == null ? Optional.empty() : loaded(known, t0);
      if (found.isPresent()) {
        identityHits.incrementAndGet();
        return found.get();
      }
    }
    byte[] bytes = source.read(maxModuleBytes);
    String digest = Digests.sha256(bytes);
    source
        .expectedDigest()
        .ifPresent(
            expected -> {
              if (!expected.equals(digest)) {
                // The digest of what was fetched is not echoed: it would tell a caller what lies at
                // an address.
                throw new ModuleFetchException(
                    "digest mismatch for module "
                        + source.name()
                        + ": its content does not match the pinned "
                        + expected);
              }
            });
    long t1 = System.nanoTime();
    LoadedModule m;
    Optional<LoadedModule> held = loaded(digest, t0);
    if (held.isPresent()) {
      digestHits.incrementAndGet();
      m = held.get(); // already compiled (or compiling): no loader thread, no budget to spend
    } else if (engine == Engine.TIERED) {
      m =
          withinBudget(
              source.name(),
              t1,
              abandoned -> loadTiered(source.name(), bytes, digest, t1 - t0, t1, abandoned));
    } else {
      m =
          withinBudget(
              source.name(),
              t1,
              abandoned -> {
                CompiledModuleCache.Lookup found =
                    cache.get(
                        digest,
                        () ->
                            ModuleCompiler.compile(
                                digest,
                                source.name(),
                                bytes,
                                engine,
                                codeCache,
                                imports,
                                moduleLimits,
                                abandoned));
                return new LoadedModule(
                    found.module(), t1 - t0, System.nanoTime() - t1, found.hit());
              });
    }
    identity.ifPresent(id -> identities.put(id, digest));
    return m;
  }

  /**
   * Runs a load's parse, check and compile on a loader thread and waits for it at most {@link
   * #loadTimeout} from {@code t1}. Past that the caller gets a {@link LimitExceededException}
   * naming {@code module.loadTimeout}; the load stops at its next stage boundary (a compile under
   * way runs to its end on the loader thread, bounded by {@link ModuleLimits}) and keeps nothing.
   */
  private LoadedModule withinBudget(
      String name, long t1, java.util.function.Function<Runnable, LoadedModule> load) {
    CompletableFuture<LoadedModule> result = new CompletableFuture<>();
    Runnable abandoned =
        () -> {
          if (result.isDone()) throw overBudget(name, t1, "loading");
        };
    try {
      loader.execute(
          () -> {
            if (result.isDone()) return; // given up on while it waited for a thread
            try {
              result.complete(load.apply(abandoned));
            } catch (RuntimeException | Error e) {
              result.completeExceptionally(e);
            }
          });
    } catch (RejectedExecutionException e) {
      throw new LimitExceededException(
          "module.loadQueue",
          LOAD_QUEUE,
          LOAD_QUEUE,
          "cannot load module '"
              + name
              + "': "
              + LOAD_QUEUE
              + " modules are already waiting to be loaded (module.loadQueue); try again later");
    }
    try {
      return result.get(
          Math.max(0, t1 + loadTimeout.toNanos() - System.nanoTime()),
          java.util.concurrent.TimeUnit.NANOSECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      LimitExceededException over = overBudget(name, t1, "loading");
      if (result.completeExceptionally(over)) throw over;
      return result.join(); // it finished just now
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) throw r;
      if (e.getCause() instanceof Error err) throw err;
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      result.completeExceptionally(new java.util.concurrent.CancellationException());
      throw new java.util.concurrent.CancellationException(
          "interrupted while loading module '" + name + "'");
    }
  }

  private LimitExceededException overBudget(String name, long t1, String what) {
    long ms = Math.max(0, (System.nanoTime() - t1) / 1_000_000);
    return new LimitExceededException(
        "module.loadTimeout",
        loadTimeout.toMillis(),
        ms,
        what
            + " module '"
            + name
            + (what.equals("loading") ? "' (parse, validate, compile)" : "' in the background")
            + " took longer than its time budget of "
            + formatDuration(loadTimeout)
            + " (module.loadTimeout)");
  }

  private static String formatDuration(Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0 ? (ms / 1000) + "s" : ms + "ms";
  }

  /**
   * The module with this content digest if this runtime holds it (compiled, or compiling in the
   * background).
   */
  private Optional<LoadedModule> loaded(String digest, long t0) {
    Optional<CompiledWasm> ready = cache.ready(digest);
    if (ready.isPresent())
      return Optional.of(new LoadedModule(ready.get(), System.nanoTime() - t0, 0, true));
    Tiering t = tiering.get(digest);
    if (t != null)
      return Optional.of(
          new LoadedModule(
              t.interpreted(), System.nanoTime() - t0, 0, true, Optional.of(t.compiled())));
    return Optional.empty(); // evicted since: read it again
  }

  /**
   * Tiered engine: a module already compiled is returned as such; otherwise it is parsed and
   * checked now (so load errors are thrown here as always), and compiled in the background once,
   * however many loads ask for it meanwhile.
   */
  private LoadedModule loadTiered(
      String name, byte[] bytes, String digest, long loadNanos, long t1, Runnable abandoned) {
    Optional<CompiledWasm> ready = cache.ready(digest);
    if (ready.isPresent())
      return new LoadedModule(ready.get(), loadNanos, System.nanoTime() - t1, true);
    Tiering t =
        tiering.computeIfAbsent(
            digest,
            d -> {
              CompiledWasm interpreted =
                  ModuleCompiler.compile(
                      d,
                      name,
                      bytes,
                      Engine.INTERPRETER,
                      Optional.empty(),
                      imports,
                      moduleLimits,
                      abandoned);
              CompletableFuture<CompiledWasm> compiled = new CompletableFuture<>();
              Tiering made = new Tiering(interpreted, compiled);
              boolean queued = compiler.submit(() -> compileInBackground(d, made));
              if (!queued) {
                compiled.completeExceptionally(
                    new RejectedExecutionException("the background compiler's queue is full"));
              } else {
                // the background compile has the same budget: past it, tasks stop waiting for it
                // and the module stays in the interpreter
                CompletableFuture.delayedExecutor(
                        loadTimeout.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS)
                    .execute(
                        () -> {
                          if (compiled.completeExceptionally(
                              overBudget(
                                  name, System.nanoTime() - loadTimeout.toNanos(), "compiling")))
                            LOG.warn(
                                "compiling module '{}' ({}) in the background took longer than {} (module.loadTimeout): it stays in the interpreter",
                                name,
                                d,
                                formatDuration(loadTimeout));
                        });
              }
              return made;
            });
    if (t.compiled().isCompletedExceptionally()
        && t.compiled().handle((c, e) -> e).join() instanceof RejectedExecutionException)
      tiering.remove(digest, t); // not queued: a later load queues it again
    return new LoadedModule(
        t.interpreted(), loadNanos, System.nanoTime() - t1, false, Optional.of(t.compiled()));
  }

  /**
   * The tiered engine's background compile. A compile that ends after its budget (or that had not
   * started by then) leaves the interpreted module as the digest's result, so the module is not
   * compiled again while it is cached; a failed one leaves nothing, as before. The module leaves
   * {@link #tiering} only when this ends, so loads meanwhile keep the interpreted module.
   */
  private void compileInBackground(String digest, Tiering t) {
    CompletableFuture<CompiledWasm> compiled = t.compiled();
    try {
      CompiledWasm c =
          cache
              .get(
                  digest,
                  () -> {
                    if (compiled.isDone()) return t.interpreted(); // over budget before it started
                    CompiledWasm made =
                        ModuleCompiler.recompile(t.interpreted(), Engine.COMPILER, codeCache);
                    return compiled.isDone() ? t.interpreted() : made; // over budget meanwhile
                  })
              .module();
      compiled.complete(c);
    } catch (RuntimeException | Error e) {
      compiled.completeExceptionally(e); // the interpreted module keeps serving
    } finally {
      tiering.remove(digest, t);
    }
  }

  /** A module running in the interpreter while its compiled code is made. */
  private record Tiering(CompiledWasm interpreted, CompletableFuture<CompiledWasm> compiled) {}

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
    identities.cleanUp();
    return new RuntimeStats(
        cache.size(),
        cache.hits() + identityHits.get() + digestHits.get(),
        cache.misses(),
        identities.estimatedSize(),
        tiering.size());
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
    compiler.close();
    loader.shutdown();
    cache.clear();
    identities.invalidateAll();
    tiering.clear();
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

    /** In-memory sandbox file system (default) or host temp directories. */
    /** Which directories get the first WASI file descriptors (default: the sandbox's). */
    public Builder preopenOrder(PreopenOrder order) {
      this.preopenOrder = java.util.Objects.requireNonNull(order);
      return this;
    }

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
