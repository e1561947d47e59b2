package dev.weft.runtime;

import com.dylibso.chicory.compiler.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.weft.runtime.internal.cache.CompiledModuleCache;
import dev.weft.runtime.internal.compile.BackgroundCompiler;
import dev.weft.runtime.internal.compile.CompiledWasm;
import dev.weft.runtime.internal.compile.HostImports;
import dev.weft.runtime.internal.compile.ModuleCompiler;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How a {@link WeftRuntime} turns module sources into loaded modules, and what it memoises on the
 * way: module identities to content digests, compiled modules by digest, and the tiered engine's
 * background compilations. Its counters are what {@link WeftRuntime#stats} reports.
 */
final class ModuleLoader {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ModuleLoader.class);
  private final Engine engine;
  private final long maxModuleBytes;
  private final ModuleLimits moduleLimits;
  private final CompiledModuleCache cache;
  private final HostImports imports;
  private final Optional<Cache> codeCache;
  private final BackgroundCompiler compiler;
  private final Duration loadTimeout;

  /**
   * Where modules are parsed, checked and compiled, so a caller waits at most the load budget: a
   * few deep-stack threads and a bounded queue.
   */
  private final java.util.concurrent.ThreadPoolExecutor loader;

  /**
   * Module identities seen, to their content digest: a known module costs a lookup, not a read and
   * a hash.
   */
  private final com.github.benmanes.caffeine.cache.Cache<ModuleIdentity, String> identities;

  private final ConcurrentHashMap<String, Tiering> tiering = new ConcurrentHashMap<>();
  private final AtomicLong identityHits = new AtomicLong();

  /** Loads whose bytes' digest found the module held (compiled or compiling). */
  private final AtomicLong digestHits = new AtomicLong();

  ModuleLoader(
      Engine engine,
      long maxModuleBytes,
      ModuleLimits moduleLimits,
      CompiledModuleCache cache,
      HostImports imports,
      Optional<Cache> codeCache,
      BackgroundCompiler compiler,
      long rememberedModules,
      Duration loadTimeout,
      java.util.concurrent.ThreadFactory loaderThreads) {
    this.engine = engine;
    this.maxModuleBytes = maxModuleBytes;
    this.moduleLimits = moduleLimits;
    this.cache = cache;
    this.imports = imports;
    this.codeCache = codeCache;
    this.compiler = compiler;
    this.loadTimeout = loadTimeout;
    int loaders = Math.max(2, Runtime.getRuntime().availableProcessors());
    this.loader =
        new java.util.concurrent.ThreadPoolExecutor(
            loaders,
            loaders,
            30,
            java.util.concurrent.TimeUnit.SECONDS,
            new java.util.concurrent.ArrayBlockingQueue<>(WeftRuntime.LOAD_QUEUE),
            loaderThreads);
    this.loader.allowCoreThreadTimeOut(true);
    this.identities =
        Caffeine.newBuilder()
            .maximumSize(rememberedModules)
            .executor(Runnable::run)
            .build(); // evicts inline: no pool threads
  }

  /** As {@link WeftRuntime#load}. */
  LoadedModule load(ModuleSource source) {
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
   * Runs a load's parse, check and compile on a loader thread and waits for it at most the load
   * budget from {@code t1}. Past that the caller gets a {@link LimitExceededException} naming
   * {@code module.loadTimeout}; the load stops at its next stage boundary (a compile under way runs
   * to its end on the loader thread, bounded by {@link ModuleLimits}) and keeps nothing.
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
          WeftRuntime.LOAD_QUEUE,
          WeftRuntime.LOAD_QUEUE,
          "cannot load module '"
              + name
              + "': "
              + WeftRuntime.LOAD_QUEUE
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

  RuntimeStats stats() {
    identities.cleanUp();
    return new RuntimeStats(
        cache.size(),
        cache.hits() + identityHits.get() + digestHits.get(),
        cache.misses(),
        identities.estimatedSize(),
        tiering.size());
  }

  /** Stops the runtime's own background compiler and forgets every module. */
  void close() {
    compiler.close();
    loader.shutdown();
    cache.clear();
    identities.invalidateAll();
    tiering.clear();
  }
}
