package dev.weft.runtime.internal.run;

import dev.weft.runtime.capability.Capability;
import dev.weft.runtime.capability.CapabilityKind;
import dev.weft.runtime.internal.compile.CompiledWasm;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One task's open capabilities: a session per grant, plus a deny-all session for each registered
 * kind whose functions the module imports without a grant. Closed when the task ends.
 */
public final class CapabilitySessions implements AutoCloseable {
  private final List<Capability.Session> sessions = new ArrayList<>();

  private CapabilitySessions() {}

  /**
   * @throws IllegalArgumentException for a grant of a kind the runtime does not have registered
   */
  public static CapabilitySessions open(
      CompiledWasm m, List<Capability> grants, List<CapabilityKind> registered) {
    CapabilitySessions s = new CapabilitySessions();
    try {
      List<CapabilityKind> granted = new ArrayList<>();
      for (Capability c : grants) {
        if (!registered.contains(c.kind())) {
          throw new IllegalArgumentException(
              "capability '"
                  + c.name()
                  + "' is not registered on this runtime (WeftRuntime.Builder.capability)");
        }
        s.sessions.add(c.open(m.name()));
        granted.add(c.kind());
      }
      for (CapabilityKind k : registered) {
        if (!granted.contains(k) && importsAny(m, k))
          k.denyAll().ifPresent(d -> s.sessions.add(d.open(m.name())));
      }
      return s;
    } catch (RuntimeException e) {
      s.close();
      throw e;
    }
  }

  /**
   * Whether the module imports any of the kind's functions (a few imports to look at; no
   * allocation).
   */
  private static boolean importsAny(CompiledWasm m, CapabilityKind k) {
    if (k.imports().isEmpty()) return false;
    var imports = m.module().importSection();
    for (int i = 0; i < imports.importCount(); i++) {
      var imp = imports.getImport(i);
      if (k.imports().containsKey(imp.module() + "." + imp.name())) return true;
    }
    return false;
  }

  public List<Capability.Session> sessions() {
    return List.copyOf(sessions);
  }

  /** Variables the capabilities add to the module's WASI environment. */
  public void environment(java.util.function.BiConsumer<String, String> put) {
    for (Capability.Session s : sessions) {
      for (Map.Entry<String, String> e : s.environment().entrySet())
        put.accept(e.getKey(), e.getValue());
    }
  }

  /** Denials and limit hits, for a failed task's message (no secrets). */
  public List<String> problems() {
    List<String> problems = new ArrayList<>();
    for (Capability.Session s : sessions) problems.addAll(s.problems());
    return problems;
  }

  @Override
  public void close() {
    sessions.forEach(Capability.Session::close);
  }
}
