package dev.weft.runtime;

/** How module code executes. */
public enum Engine {
  /** Chicory's runtime compiler: wasm to JVM bytecode once per module, then JIT-compiled. */
  COMPILER,
  /** Chicory's interpreter: no compile cost, ~70-90x slower code; for tests and as a fallback. */
  INTERPRETER
}
