package dev.weft.runtime;

/**
 * Why a task did not succeed; lets front ends and tests tell failures apart without parsing
 * messages.
 */
public enum FailureKind {
  /** The module wrote {@code phase: Failed} (or Error) in result.json. */
  MODULE_REPORTED,
  /** The module exited with a non-zero exit code. */
  EXIT_CODE,
  /** The module trapped (unreachable, out-of-bounds access, division by zero, ...). */
  TRAP,
  /** The call stack overflowed (unbounded recursion). */
  STACK_EXHAUSTED,
  /** The wall-clock deadline passed and the module was interrupted. */
  TIMEOUT,
  /** Linear memory reached its limit, or the module's initial memory exceeds it. */
  MEMORY_LIMIT,
  /** result.json could not be read or parsed, or does not match the contract. */
  RESULT_INVALID,
  /** result.json or an output parameter is larger than its limit. */
  OUTPUT_TOO_LARGE,
  /** The files the module wrote filled the in-memory sandbox up to {@code limits.maxSandbox}. */
  SANDBOX_FULL,
  /** An output path names a place outside the sandbox. */
  OUTPUT_ESCAPES_SANDBOX,
  /** A declared output was not produced and has no default. */
  OUTPUT_MISSING,
  /** The module could not be linked or instantiated (signature mismatch, start-up trap). */
  INSTANTIATION,
  /** The task was cancelled by its caller (thread interrupted). */
  CANCELLED,
  /** The host had not the memory budget to start the task (its limits could not be reserved). */
  ADMISSION,
  /** weft itself failed; the phase is Error. */
  INTERNAL
}
