package dev.weft.engine;

/**
 * A node's phase. The constants are spelled as Argo spells its node phases, so {@link #name()} is
 * what the status JSON shows (as {@code dev.weft.runtime.Phase} does for tasks).
 */
public enum NodePhase {
  Pending,
  Running,
  Succeeded,
  Skipped,
  Failed,
  Error,
  Omitted;

  /** Succeeded, Failed or Error: the node's template ran to an end. */
  public boolean completed() {
    return this == Succeeded || failedOrError();
  }

  /** Completed, Skipped or Omitted: nothing more will happen to the node. */
  public boolean fulfilled() {
    return completed() || this == Skipped || this == Omitted;
  }

  public boolean failedOrError() {
    return this == Failed || this == Error;
  }
}
