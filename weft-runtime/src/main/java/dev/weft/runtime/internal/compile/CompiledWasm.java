package dev.weft.runtime.internal.compile;

import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.NameCustomSection;
import dev.weft.runtime.Engine;
import java.util.Optional;
import java.util.function.Function;

/**
 * A parsed, checked and compiled module: immutable, shared by every task that runs it.
 *
 * @param machineFactory empty means Chicory's interpreter
 * @param initialPages linear memory the module starts with
 * @param declaredMaxPages the module's own memory maximum, if it declares one
 * @param memories zeroed linear memories left by earlier tasks, for reuse
 */
public record CompiledWasm(
    String digest,
    String name,
    long sizeBytes,
    WasmModule module,
    Optional<Function<Instance, Machine>> machineFactory,
    Engine engine,
    long compileNanos,
    int initialPages,
    Optional<Integer> declaredMaxPages,
    MemoryPool memories) {

  /** The function's name from the module's name section, or its index. */
  public String functionName(int index) {
    NameCustomSection names = module.nameSection();
    String n = names == null ? null : names.nameOfFunction(index);
    return n != null ? n : "#" + index;
  }
}
