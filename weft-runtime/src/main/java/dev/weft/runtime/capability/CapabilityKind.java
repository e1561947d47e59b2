package dev.weft.runtime.capability;

import com.dylibso.chicory.wasm.types.FunctionType;
import java.util.Map;
import java.util.Optional;

/**
 * A kind of capability, registered on the runtime ({@code WeftRuntime.Builder.capability}), like a
 * Spin factor: it declares the host functions it links into every module (checked when a module
 * loads), and what a task that imports them without a grant gets. Per-task state is the grant's
 * {@link Capability#open session}. Adding a kind touches only its own package.
 */
public interface CapabilityKind {
  /** Short name used in logs and messages, e.g. {@code http}. */
  String name();

  /**
   * The host functions this kind provides, by {@code module.name}, with their types: a module may
   * import them whether or not a task is granted the capability. Empty for kinds that add none.
   */
  Map<String, FunctionType> imports();

  /**
   * The grant a task gets when its module imports this kind's functions and no grant was made: the
   * functions link and every call is refused. Empty for kinds without host functions.
   */
  Optional<Capability> denyAll();
}
