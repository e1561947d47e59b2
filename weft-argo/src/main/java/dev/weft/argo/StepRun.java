package dev.weft.argo;

import dev.weft.runtime.TaskResult;
import java.util.Objects;
import java.util.Optional;

/**
 * One run of a {@code plugin: wasm:} step: its node result, and for the front end's metrics the
 * task's result (when the module ran) or why the step was refused before it ran.
 *
 * @param memoryLimitBytes the step's memory limit, when the module ran
 */
public record StepRun(
    NodeResult node, Optional<TaskResult> task, long memoryLimitBytes, Optional<Refusal> refusal) {
  /** Why a step never ran. */
  public enum Refusal {
    /** The step's spec is wrong: a field, a limit, a permission over the ceiling. */
    INVALID,
    /** The module cannot be fetched, verified or compiled. */
    UNLOADABLE,
    /** An input artifact could not be fetched, or an output stored. */
    ARTIFACT,
    /** weft itself could not prepare the step (scratch space). */
    INTERNAL
  }

  public StepRun {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(refusal, "refusal");
  }

  static StepRun refused(Refusal why, NodeResult node) {
    return new StepRun(node, Optional.empty(), 0, Optional.of(why));
  }
}
