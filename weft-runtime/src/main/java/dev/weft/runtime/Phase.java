package dev.weft.runtime;

/** The outcome of a task, worded as Argo words node phases. */
public enum Phase {
  /**
   * The module ran to completion and reported success (or exited 0 under the plain WASI contract).
   */
  Succeeded,
  /**
   * The module's own doing: non-zero exit, trap, limit breached, bad result.json, missing output.
   */
  Failed,
  /**
   * weft's doing (the sandbox could not be prepared, an internal failure), or the module itself
   * reported {@code phase: Error} in result.json.
   */
  Error
}
