package dev.weft.runtime;

import com.dylibso.chicory.compiler.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.weft.runtime.internal.cache.CompiledModuleCache;
import dev.weft.runtime.internal.compile.BackgroundCompiler;
import dev.weft.runtime.internal.compile.CompiledWasm;
import dev.weft.runtime.internal.compile.HostImports;
import dev.weft.runtime.internal.compile.ModuleCompiler;
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
  private final Engine engine;
  private final long maxModuleBytes;
  private final ModuleLimits moduleLimits;
  private final CompiledModuleCache cache;
  private final HostImports imports;
  private final Optional<Cache> codeCache;
  private final BackgroundCompiler compiler;

  /**
   * Module identities seen, to their content digest: a known module costs a lookup, not a read and
   * a hash.
   */
  private final com.github.benmanes.caffeine.cache.Cache<ModuleIdentity, String> identities;

  private final ConcurrentHashMap<String, Tiering> tiering = new ConcurrentHashMap<>();
  private final AtomicLong identityHits = new AtomicLong();

  ModuleLoader(
      Engine engine,
      long maxModuleBytes,
      ModuleLimits moduleLimits,
      CompiledModuleCache cache,
      HostImports imports,
      Optional<Cache> codeCache,
      BackgroundCompiler compiler,
      long rememberedModules) {
    this.engine = engine;
    this.maxModuleBytes = maxModuleBytes;
    this.moduleLimits = moduleLimits;
    this.cache = cache;
    this.imports = imports;
    this.codeCache = codeCache;
    this.compiler = compiler;
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
    if (engine == Engine.TIERED) {
      m = loadTiered(source.name(), bytes, digest, t1 - t0, t1);
    } else {
      CompiledModuleCache.Lookup found =
          cache.get(
              digest,
              () ->
                  ModuleCompiler.compile(
                      digest, source.name(), bytes, engine, codeCache, imports, moduleLimits));
      m = new LoadedModule(found.module(), t1 - t0, System.nanoTime() - t1, found.hit());
    }
    identity.ifPresent(id -> identities.put(id, digest));
    return m;
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
      String name, byte[] bytes, String digest, long loadNanos, long t1) {
    Optional<CompiledWasm> ready = cache.ready(digest);
    if (ready.isPresent())
      return new LoadedModule(ready.get(), loadNanos, System.nanoTime() - t1, true);
    Tiering t =
        tiering.computeIfAbsent(
            digest,
            d -> {
              CompiledWasm interpreted =
                  ModuleCompiler.compile(
                      d, name, bytes, Engine.INTERPRETER, Optional.empty(), imports, moduleLimits);
              CompletableFuture<CompiledWasm> compiled = new CompletableFuture<>();
              boolean queued =
                  compiler.submit(
                      () -> {
                        try {
                          compiled.complete(
                              cache
                                  .get(
                                      d,
                                      () ->
                                          ModuleCompiler.recompile(
                                              interpreted, Engine.COMPILER, codeCache))
                                  .module());
                        } catch (RuntimeException | Error e) {
                          compiled.completeExceptionally(e); // the interpreted module keeps serving
                        }
                      });
              if (!queued)
                compiled.completeExceptionally(
                    new RejectedExecutionException("the background compiler's queue is full"));
              return new Tiering(interpreted, compiled);
            });
    t.compiled().whenComplete((c, e) -> tiering.remove(digest, t));
    return new LoadedModule(
        t.interpreted(), loadNanos, System.nanoTime() - t1, false, Optional.of(t.compiled()));
  }

  /** A module running in the interpreter while its compiled code is made. */
  private record Tiering(CompiledWasm interpreted, CompletableFuture<CompiledWasm> compiled) {}

  RuntimeStats stats() {
    identities.cleanUp();
    return new RuntimeStats(
        cache.size(),
        cache.hits() + identityHits.get(),
        cache.misses(),
        identities.estimatedSize(),
        tiering.size());
  }

  /** Stops the runtime's own background compiler and forgets every module. */
  void close() {
    compiler.close();
    cache.clear();
    identities.invalidateAll();
    tiering.clear();
  }
}
