package dev.weft.engine;

import dev.weft.engine.Model.Template;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs leaf templates of one kind (wasm plugin, and one day containers). Called on a worker thread;
 * the engine stages input artifacts before and stores output artifacts after.
 */
public interface TemplateExecutor {
  LeafResult execute(LeafCall call);

  /**
   * One run of a leaf template.
   *
   * @param template the template with every {@code {{…}}} substituted in its body
   * @param body the substituted kind-specific block, e.g. {@code plugin.wasm}
   * @param inputArtifacts staged input artifacts: name, declared path, host file or directory
   * @param scratch a fresh directory for this run, deleted afterwards
   * @param deadline the time left before the step's or workflow's deadline, if any
   */
  record LeafCall(
      String workflowName,
      String nodeId,
      Template template,
      com.fasterxml.jackson.databind.JsonNode body,
      Map<String, String> inputParameters,
      List<StagedArtifact> inputArtifacts,
      Path scratch,
      Path baseDir,
      Optional<Duration> deadline) {}

  record StagedArtifact(String name, String path, Path file) {}

  /** What the run produced; {@code timedOut} when the deadline stopped it. */
  record LeafResult(
      String phase,
      String message,
      Map<String, String> outputParameters,
      Optional<String> result,
      Optional<String> exitCode,
      List<StagedArtifact> outputArtifacts,
      boolean timedOut) {
    static LeafResult error(String message) {
      return new LeafResult(
          "Error", message, Map.of(), Optional.empty(), Optional.empty(), List.of(), false);
    }
  }
}
