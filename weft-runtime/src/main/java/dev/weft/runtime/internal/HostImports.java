package dev.weft.runtime.internal;

import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.ExternalType;
import com.dylibso.chicory.wasm.types.FunctionImport;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.Import;
import dev.weft.runtime.LinkException;
import dev.weft.runtime.capability.HttpCapability;
import dev.weft.runtime.internal.wasi.WasiHost;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The host functions weft provides, checked against a module's imports when it is loaded, so a
 * module that cannot link fails once, at load, naming every import that is missing.
 */
final class HostImports {
  static final String WASI = "wasi_snapshot_preview1";
  private static final Map<String, FunctionType> PROVIDED = provided();

  private HostImports() {}

  private static Map<String, FunctionType> provided() {
    Map<String, FunctionType> m = new HashMap<>();
    WasiHost.signatures().forEach((name, type) -> m.put(WasiHost.MODULE + "." + name, type));
    // capability ABIs always link; without a grant their calls return the ABI's error code
    m.putAll(HttpCapability.signatures());
    return Map.copyOf(m);
  }

  static void check(WasmModule module, String moduleName) {
    List<String> problems = new ArrayList<>();
    int n = module.importSection().importCount();
    for (int i = 0; i < n; i++) {
      Import imp = module.importSection().getImport(i);
      String key = imp.module() + "." + imp.name();
      if (imp.importType() != ExternalType.FUNCTION) {
        problems.add(kind(imp.importType()) + " " + key + " (weft provides no " + kind(imp.importType()) + " imports)");
        continue;
      }
      FunctionType wanted = module.typeSection().getType(((FunctionImport) imp).typeIndex());
      FunctionType have = PROVIDED.get(key);
      if (have == null) {
        problems.add("function " + key + wanted + (imp.module().equals(WASI) ? " (not in WASI preview1)" : ""));
      } else if (!have.typesMatch(wanted)) {
        problems.add("function " + key + " with type " + wanted + ", but weft's has type " + have);
      }
    }
    if (!problems.isEmpty()) {
      throw new LinkException(
          "module '" + moduleName + "' cannot be linked: it imports "
              + String.join("; ", problems.subList(0, Math.min(problems.size(), 10)))
              + (problems.size() > 10 ? "; and " + (problems.size() - 10) + " more" : "")
              + ". weft provides the " + WASI + " and " + HttpCapability.MODULE + " functions only");
    }
  }

  private static String kind(ExternalType t) {
    return t.name().toLowerCase(java.util.Locale.ROOT);
  }
}
