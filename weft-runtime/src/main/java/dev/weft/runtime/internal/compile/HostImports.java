package dev.weft.runtime.internal.compile;

import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.ExternalType;
import com.dylibso.chicory.wasm.types.FunctionImport;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.Import;
import dev.weft.runtime.LinkException;
import dev.weft.runtime.capability.CapabilityKind;
import dev.weft.runtime.internal.wasi.WasiHost;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The host functions weft provides, checked against a module's imports when it is loaded, so a
 * module that cannot link fails once, at load, naming every import that is missing.
 */
public final class HostImports {
  static final String WASI = "wasi_snapshot_preview1";
  private static final Map<String, FunctionType> WASI_FUNCTIONS = wasiFunctions();

  private final Map<String, FunctionType> provided;
  private final List<String> modules;

  private HostImports(Map<String, FunctionType> provided, List<String> modules) {
    this.provided = Map.copyOf(provided);
    this.modules = List.copyOf(modules);
  }

  /**
   * WASI and the host functions of the registered capability kinds, which link whether or not a
   * task is granted them.
   */
  public static HostImports of(List<CapabilityKind> kinds) {
    Map<String, FunctionType> m = new HashMap<>(WASI_FUNCTIONS);
    List<String> modules = new ArrayList<>(List.of(WASI));
    for (CapabilityKind k : kinds) {
      k.imports()
          .forEach(
              (name, type) -> {
                if (m.putIfAbsent(name, type) != null)
                  throw new IllegalArgumentException(
                      "capability " + k.name() + " provides " + name + ", already provided");
                String module = name.substring(0, name.lastIndexOf('.'));
                if (!modules.contains(module)) modules.add(module);
              });
    }
    return new HostImports(m, modules);
  }

  private static Map<String, FunctionType> wasiFunctions() {
    Map<String, FunctionType> m = new HashMap<>();
    WasiHost.signatures().forEach((name, type) -> m.put(WasiHost.MODULE + "." + name, type));
    return Map.copyOf(m);
  }

  /**
   * @throws LinkException naming every import weft does not provide
   */
  public void check(WasmModule module, String moduleName) {
    List<String> problems = new ArrayList<>();
    int n = module.importSection().importCount();
    for (int i = 0; i < n; i++) {
      Import imp = module.importSection().getImport(i);
      String key = imp.module() + "." + imp.name();
      if (imp.importType() != ExternalType.FUNCTION) {
        problems.add(
            kind(imp.importType())
                + " "
                + key
                + " (weft provides no "
                + kind(imp.importType())
                + " imports)");
        continue;
      }
      FunctionType wanted = module.typeSection().getType(((FunctionImport) imp).typeIndex());
      FunctionType have = provided.get(key);
      if (have == null) {
        problems.add(
            "function "
                + key
                + wanted
                + (imp.module().equals(WASI) ? " (not in WASI preview1)" : ""));
      } else if (!have.typesMatch(wanted)) {
        problems.add("function " + key + " with type " + wanted + ", but weft's has type " + have);
      }
    }
    if (!problems.isEmpty()) {
      throw new LinkException(
          "module '"
              + moduleName
              + "' cannot be linked: it imports "
              + String.join("; ", problems.subList(0, Math.min(problems.size(), 10)))
              + (problems.size() > 10 ? "; and " + (problems.size() - 10) + " more" : "")
              + ". weft provides the functions of "
              + String.join(", ", modules)
              + " only");
    }
  }

  private static String kind(ExternalType t) {
    return t.name().toLowerCase(java.util.Locale.ROOT);
  }
}
