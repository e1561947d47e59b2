package dev.weft.engine;

/**
 * Receives what each wasm step wrote, once the step has ended: for {@code weft run --logs} and a
 * run's log files.
 */
@FunctionalInterface
public interface StepLogs {
  StepLogs NONE = (workflow, nodeId, stdout, stderr) -> {};

  /**
   * Called on the step's worker thread, once per attempt, with the tails the step's limits kept.
   *
   * @param workflow the workflow's name
   * @param nodeId the step's node (see {@link WorkflowRun#nodes()} for its name)
   */
  void step(String workflow, String nodeId, String stdout, String stderr);
}
