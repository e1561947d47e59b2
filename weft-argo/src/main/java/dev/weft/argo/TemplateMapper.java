package dev.weft.argo;

import dev.weft.runtime.Limits;
import dev.weft.runtime.OutputParameterSpec;
import dev.weft.runtime.TaskSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Maps a step's template and its {@code plugin.wasm} block to a weft task: parameters, declared
 * outputs, limits within the operator's, permissions within the operator's ceiling. Input artifacts
 * are the caller's to add (the plugin fetches Argo's, the local engine stages its own).
 */
final class TemplateMapper {
  private final Limits ceilingLimits;
  private final CapabilityCeiling ceiling;

  TemplateMapper(Limits ceilingLimits, CapabilityCeiling ceiling) {
    this.ceilingLimits = Objects.requireNonNull(ceilingLimits);
    this.ceiling = Objects.requireNonNull(ceiling);
  }

  /**
   * @param scratch a fresh directory for the module's output files; the caller deletes it
   * @return the task so far, for the caller to add input artifacts to and build
   */
  TaskSpec.Builder toTask(String workflowName, StepTemplate t, WasmStep step, Path scratch) {
    TaskSpec.Builder b =
        TaskSpec.builder()
            .workflowName(workflowName)
            .args(step.args())
            .pluginOptions(step.pluginOptions())
            .outputDir(scratch.resolve("outputs"));
    ceiling.grant(step, b);
    step.env().forEach(b::env);
    t.inputParameters().forEach(b::parameter);
    for (int i = 0; i < t.outputParameters().size(); i++) {
      StepTemplate.OutputParameter p = t.outputParameters().get(i);
      String at = "outputs.parameters[" + i + "]";
      if (p.unsupported().isPresent()) {
        throw new SpecException(
            at + ".valueFrom." + p.unsupported().get(),
            "is not supported for wasm steps (use path or default)");
      }
      if (p.path().isPresent() && !p.path().get().startsWith("/")) {
        throw new SpecException(
            at + ".valueFrom.path", "must be an absolute guest path such as /tmp/out.txt");
      }
      b.outputParameter(new OutputParameterSpec(p.name(), p.path(), p.defaultValue()));
    }
    for (int i = 0; i < t.outputArtifacts().size(); i++) {
      StepTemplate.OutputArtifact a = t.outputArtifacts().get(i);
      if (a.path().isEmpty()) continue; // reported by the module in result.json (contract v1)
      if (!a.path().get().startsWith("/"))
        throw new SpecException(
            "outputs.artifacts[" + i + "].path",
            "must be an absolute guest path such as /tmp/out.txt");
      b.outputArtifact(a.name(), a.path().get());
    }
    return b.limits(limits(t, step));
  }

  /**
   * The operator's limits, lowered by the step's {@code limits} and the template's {@code timeout};
   * a step may not raise them: the operator's limits are the ceiling.
   */
  private Limits limits(StepTemplate t, WasmStep step) {
    Limits l = ceilingLimits;
    if (step.memoryBytes().isPresent()) {
      long m = step.memoryBytes().get();
      if (m > ceilingLimits.memoryBytes()) {
        throw new SpecException(
            "plugin.wasm.limits.memory",
            Limits.formatBytes(m)
                + " is above the operator's limit of "
                + Limits.formatBytes(ceilingLimits.memoryBytes())
                + " (--memory)");
      }
      l = lowered("plugin.wasm.limits.memory", l, m, null);
    }
    if (step.timeout().isPresent()) {
      Duration d = step.timeout().get();
      if (d.compareTo(ceilingLimits.timeout()) > 0) {
        throw new SpecException(
            "plugin.wasm.limits.timeout",
            Limits.formatDuration(d)
                + " is above the operator's limit of "
                + Limits.formatDuration(ceilingLimits.timeout())
                + " (--timeout)");
      }
      l = lowered("plugin.wasm.limits.timeout", l, -1, d);
    }
    if (t.timeout().isPresent() && t.timeout().get().compareTo(l.timeout()) < 0)
      l = l.withTimeout(t.timeout().get());
    return l;
  }

  private static Limits lowered(String field, Limits l, long memory, Duration timeout) {
    try {
      return timeout != null ? l.withTimeout(timeout) : l.withMemoryBytes(memory);
    } catch (IllegalArgumentException e) {
      throw new SpecException(field, e.getMessage());
    }
  }
}
