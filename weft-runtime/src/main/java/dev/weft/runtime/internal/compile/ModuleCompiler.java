package dev.weft.runtime.internal.compile;

import com.dylibso.chicory.compiler.Cache;
import com.dylibso.chicory.compiler.InterpreterFallback;
import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.wasm.ChicoryException;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.Export;
import com.dylibso.chicory.wasm.types.ExternalType;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import dev.weft.runtime.Engine;
import dev.weft.runtime.LimitExceededException;
import dev.weft.runtime.LinkException;
import dev.weft.runtime.ModuleFormatException;
import dev.weft.runtime.ModuleLimits;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns module bytes into a {@link CompiledWasm}: parse, check it is a runnable WASI command,
 * compile.
 */
public final class ModuleCompiler {
  private static final Logger LOG = LoggerFactory.getLogger(ModuleCompiler.class);
  private static final byte[] MAGIC = {0, 'a', 's', 'm'};

  private ModuleCompiler() {}

  public static CompiledWasm compile(
      String digest,
      String name,
      byte[] bytes,
      Engine engine,
      Optional<Cache> codeCache,
      HostImports imports) {
    return compile(digest, name, bytes, engine, codeCache, imports, ModuleLimits.defaults());
  }

  /**
   * @throws LimitExceededException the module is over one of {@code limits}, found before parsing
   * @throws ModuleFormatException it is not a valid module
   */
  public static CompiledWasm compile(
      String digest,
      String name,
      byte[] bytes,
      Engine engine,
      Optional<Cache> codeCache,
      HostImports imports,
      ModuleLimits limits) {
    return compile(digest, name, bytes, engine, codeCache, imports, limits, () -> {});
  }

  /**
   * @param checkpoint run between the stages (scan, parse, check, compile): it throws to stop a
   *     load whose caller has given up on it (over its time budget)
   */
  public static CompiledWasm compile(
      String digest,
      String name,
      byte[] bytes,
      Engine engine,
      Optional<Cache> codeCache,
      HostImports imports,
      ModuleLimits limits,
      Runnable checkpoint) {
    long t0 = System.nanoTime();
    checkMagic(name, bytes);
    ModuleScanner.scan(bytes, name, limits);
    checkpoint.run();
    WasmModule module;
    try {
      module = Parser.parse(bytes);
    } catch (ChicoryException e) {
      throw new ModuleFormatException(
          "'" + name + "' is not a valid WebAssembly module: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      // The parser's own bounds failures (a lying length that slipped past the scan) are still the
      // module's fault.
      throw new ModuleFormatException(
          "'" + name + "' is not a valid WebAssembly module: the parser failed with " + e, e);
    }
    checkpoint.run();
    imports.check(module, name);
    requireStart(module, name);
    CompiledWasm built = build(digest, name, bytes.length, module, engine, codeCache, t0);
    checkpoint.run(); // a compile that finished after its budget is not kept
    return built;
  }

  /**
   * Compiles a module already parsed and checked by {@link #compile} (the tiered engine's second
   * step).
   */
  public static CompiledWasm recompile(
      CompiledWasm interpreted, Engine engine, Optional<Cache> codeCache) {
    return build(
        interpreted.digest(),
        interpreted.name(),
        interpreted.sizeBytes(),
        interpreted.module(),
        engine,
        codeCache,
        System.nanoTime());
  }

  private static CompiledWasm build(
      String digest,
      String name,
      long size,
      WasmModule module,
      Engine engine,
      Optional<Cache> codeCache,
      long t0) {
    int initial = 0;
    Optional<Integer> max = Optional.empty();
    if (module.memorySection().isPresent() && module.memorySection().get().memoryCount() > 0) {
      MemoryLimits l = module.memorySection().get().getMemory(0).limits();
      initial = l.initialPages();
      max =
          l.maximumPages() == MemoryLimits.MAX_PAGES
              ? Optional.empty()
              : Optional.of(l.maximumPages());
    }
    Optional<Function<Instance, Machine>> factory = Optional.empty();
    Engine used = Engine.INTERPRETER;
    if (engine == Engine.COMPILER) {
      try {
        var builder =
            MachineFactoryCompiler.builder(module)
                .withInterpreterFallback(InterpreterFallback.WARN);
        if (InterruptPolls.enabled()) {
          factory = Optional.of(InterruptPolls.compile(builder, codeCache, name));
        } else {
          codeCache.ifPresent(builder::withCache);
          factory = Optional.of(builder.compile());
        }
        used = Engine.COMPILER;
      } catch (RuntimeException | LinkageError e) {
        // Very large functions or compiler bugs: the interpreter still runs the module correctly.
        LOG.warn(
            "compiling module '{}' ({}) failed, running it in the interpreter instead: {}",
            name,
            digest,
            e.toString());
      }
    }
    return new CompiledWasm(
        digest,
        name,
        size,
        module,
        factory,
        used,
        System.nanoTime() - t0,
        initial,
        max,
        new MemoryPool());
  }

  private static void checkMagic(String name, byte[] bytes) {
    boolean ok = bytes.length >= 8;
    for (int i = 0; ok && i < 4; i++) ok = bytes[i] == MAGIC[i];
    if (!ok) {
      int n = Math.min(bytes.length, 8);
      StringBuilder shown = new StringBuilder();
      for (int i = 0; i < n; i++) shown.append(String.format("%02x", bytes[i] & 0xff));
      String text =
          new String(bytes, 0, n, StandardCharsets.ISO_8859_1).replaceAll("[^\\x20-\\x7e]", ".");
      throw new ModuleFormatException(
          "'"
              + name
              + "' is not a WebAssembly binary: it starts with "
              + (n == 0 ? "nothing (empty file)" : shown + " (\"" + text + "\")")
              + ", not the magic bytes 0061736d (\"\\0asm\")");
    }
  }

  /**
   * A _start with parameters or results is not a WASI command: refused here, the same under every
   * engine.
   */
  private static void requireNoParams(WasmModule module, int index, String name) {
    int imported = module.importSection().count(ExternalType.FUNCTION);
    if (index < imported) {
      throw new LinkException(
          "module '"
              + name
              + "' exports an imported function as _start: weft runs WASI commands whose _start is their own");
    }
    var type = module.functionSection().getFunctionType(index - imported, module.typeSection());
    if (!type.params().isEmpty() || !type.returns().isEmpty()) {
      throw new LinkException(
          "module '"
              + name
              + "' exports _start with type "
              + type.params()
              + " -> "
              + type.returns()
              + ": a WASI command's _start takes no parameters and returns nothing");
    }
  }

  private static void requireStart(WasmModule module, String name) {
    var exports = module.exportSection();
    for (int i = 0; i < exports.exportCount(); i++) {
      Export e = exports.getExport(i);
      if (e.name().equals("_start") && e.exportType() == ExternalType.FUNCTION) {
        requireNoParams(module, (int) e.index(), name);
        return;
      }
    }
    throw new LinkException(
        "module '"
            + name
            + "' exports no _start function: weft runs WASI commands (a program with main), not reactor libraries");
  }
}
