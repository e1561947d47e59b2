package dev.weft.runtime.capability;

import com.dylibso.chicory.runtime.HostFunction;
import java.util.List;
import java.util.Map;

/**
 * Something a task may use beyond its sandbox, granted per task; without a grant a task has none
 * (deny by default). Each capability is one self-contained unit: its permission record (the
 * implementing class), its host functions and environment ({@link Session}), and its audit log
 * lines, which never contain secret values. Its {@link CapabilityKind} declares its host imports
 * and its deny-all grant. See docs/capabilities.md for how to add one.
 */
public interface Capability {

  /** The kind this grant is of; the runtime must have it registered. */
  CapabilityKind kind();

  /** Short name used in logs and messages, e.g. {@code http}. */
  default String name() {
    return kind().name();
  }

  /**
   * Whether a task holding this grant can be run again from scratch unseen. False when the
   * capability has effects outside the sandbox (an HTTP request), so the tiered engine does not
   * restart it.
   */
  boolean restartable();

  /** Opens the per-task state: called once per task run, closed when the run ends. */
  Session open(String moduleName);

  /** One task run's use of a capability. */
  interface Session extends AutoCloseable {
    /** Host functions added to the module's imports next to WASI's. */
    default List<HostFunction> hostFunctions() {
      return List.of();
    }

    /** Variables added to the module's WASI environment. */
    default Map<String, String> environment() {
      return Map.of();
    }

    /** Denials and limit hits of this run, named for the step's failure message (no secrets). */
    default List<String> problems() {
      return List.of();
    }

    @Override
    default void close() {}
  }
}
