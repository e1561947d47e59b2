package dev.weft.runtime;

/** How module code executes. */
public enum Engine {
  /** Chicory's runtime compiler: wasm to JVM bytecode once per module, then JIT-compiled. */
  COMPILER,
  /** Chicory's interpreter: no compile cost, ~70-90x slower code; for tests and as a fallback. */
  INTERPRETER,
  /**
   * Interpreter until compiled: a module new to this runtime starts its first tasks at once in the
   * interpreter while the compiler works in the background; when the compiled code is ready, a task
   * still running in the interpreter is restarted on it (tasks are fresh sandboxes with no side
   * effects; tasks that could have some, such as those with host mounts, wait for the compiler
   * instead). Later tasks run compiled. Trades some CPU for the first result of a new module.
   */
  TIERED
}
