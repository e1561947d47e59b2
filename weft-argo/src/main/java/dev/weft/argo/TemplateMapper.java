package dev.weft.argo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.runtime.Limits;
import dev.weft.runtime.OutputParameterSpec;
import dev.weft.runtime.TaskSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Maps a processed Argo template and its {@code plugin.wasm} block to a weft task. Argo has
 * already substituted every {@code {{…}}} expression, so values are taken as they are.
 */
final class TemplateMapper {
  private final Limits serverLimits;
  private final ArtifactIO artifacts;
  private CapabilityCeiling ceiling = CapabilityCeiling.none();

  /** Steps' permissions are granted within {@code c}, the operator's ceiling. */
  TemplateMapper withCeiling(CapabilityCeiling c) {
    this.ceiling = java.util.Objects.requireNonNull(c);
    return this;
  }

  TemplateMapper(Limits serverLimits) {
    this(serverLimits, new ArtifactIO(ArtifactSettings.none()));
  }

  TemplateMapper(Limits serverLimits, ArtifactIO artifacts) {
    this.serverLimits = serverLimits;
    this.artifacts = artifacts;
  }

  /**
   * @param scratch a fresh directory for raw input artifacts and the module's output files; the
   *     caller deletes it
   */
  TaskSpec toTask(String workflowName, JsonNode template, WasmStep step, Path scratch) {
    List<AutoCloseable> toClose = new ArrayList<>();
    TaskSpec spec = toTask(workflowName, template, step, scratch, toClose);
    if (!toClose.isEmpty()) throw new IllegalStateException("lazily read inputs need the variant that returns what to close");
    return spec;
  }

  /**
   * @param toClose receives what must be closed after the run (lazily read inputs)
   * @throws ArtifactFailure when an input artifact cannot be fetched or unpacked
   */
  TaskSpec toTask(String workflowName, JsonNode template, WasmStep step, Path scratch, List<AutoCloseable> toClose) {
    TaskSpec.Builder b = TaskSpec.builder().workflowName(workflowName).args(step.args()).pluginOptions(step.pluginOptions())
        .outputDir(scratch.resolve("outputs"));
    ceiling.grant(step, b);
    step.env().forEach(b::env);
    JsonNode inputs = template.path("inputs");
    JsonNode params = inputs.path("parameters");
    for (int i = 0; i < params.size(); i++) {
      JsonNode p = params.get(i);
      String at = "inputs.parameters[" + i + "]";
      String name = WasmStepParser.scalar(p.get("name"), at + ".name");
      JsonNode v = p.hasNonNull("value") ? p.get("value") : p.get("default");
      b.parameter(name, WasmStepParser.scalar(v, at + ".value ('" + name + "')"));
    }
    artifacts.stageInputs(template, b, scratch, toClose);
    JsonNode outParams = template.path("outputs").path("parameters");
    for (int i = 0; i < outParams.size(); i++) {
      JsonNode p = outParams.get(i);
      String at = "outputs.parameters[" + i + "]";
      String name = WasmStepParser.scalar(p.get("name"), at + ".name");
      JsonNode from = p.path("valueFrom");
      // valueFrom.supplied is Argo's way of saying "the plugin provides it": the module must report it
      for (String unsupported : new String[] {"jsonPath", "jqFilter", "expression", "parameter", "event", "configMapKeyRef"}) {
        if (from.has(unsupported)) throw new SpecException(at + ".valueFrom." + unsupported, "is not supported for wasm steps (use path or default)");
      }
      Optional<String> path = from.hasNonNull("path") ? Optional.of(WasmStepParser.scalar(from.get("path"), at + ".valueFrom.path")) : Optional.empty();
      Optional<String> dflt = from.hasNonNull("default") ? Optional.of(WasmStepParser.scalar(from.get("default"), at + ".valueFrom.default"))
          : p.hasNonNull("value") ? Optional.of(WasmStepParser.scalar(p.get("value"), at + ".value")) : Optional.empty();
      if (path.isPresent() && !path.get().startsWith("/")) throw new SpecException(at + ".valueFrom.path", "must be an absolute guest path such as /tmp/out.txt");
      b.outputParameter(new OutputParameterSpec(name, path, dflt));
    }
    JsonNode outArtifacts = template.path("outputs").path("artifacts");
    if (outArtifacts.size() > 0 && !artifacts.hasRepository()) {
      throw new SpecException("outputs.artifacts", "output artifacts need an artifact repository (weft serve --artifact-repository FILE or --artifact-dir DIR)");
    }
    for (int i = 0; i < outArtifacts.size(); i++) {
      JsonNode a = outArtifacts.get(i);
      String at = "outputs.artifacts[" + i + "]";
      String name = WasmStepParser.scalar(a.get("name"), at + ".name");
      if (!a.hasNonNull("path")) continue; // reported by the module in result.json (contract v1)
      String path = WasmStepParser.scalar(a.get("path"), at + ".path");
      if (!path.startsWith("/")) throw new SpecException(at + ".path", "must be an absolute guest path such as /tmp/out.txt");
      b.outputArtifact(name, path);
    }
    return b.limits(limits(template, step)).build();
  }

  /**
   * The server's limits, lowered by the step's {@code limits} and the template's {@code timeout};
   * a step may not raise them: the operator's limits are the ceiling.
   */
  private Limits limits(JsonNode template, WasmStep step) {
    Limits l = serverLimits;
    if (step.memoryBytes().isPresent()) {
      long m = step.memoryBytes().get();
      if (m > serverLimits.memoryBytes()) {
        throw new SpecException("plugin.wasm.limits.memory", Limits.formatBytes(m) + " is above the server's limit of "
            + Limits.formatBytes(serverLimits.memoryBytes()) + " (weft serve --memory)");
      }
      l = parse("plugin.wasm.limits.memory", l, m, null);
    }
    if (step.timeout().isPresent()) l = lowerTimeout(l, step.timeout().get(), "plugin.wasm.limits.timeout");
    if (template.hasNonNull("timeout")) {
      Duration t;
      try {
        t = Limits.parseDuration("timeout", WasmStepParser.scalar(template.get("timeout"), "timeout"));
      } catch (IllegalArgumentException e) {
        throw new SpecException("timeout", e.getMessage());
      }
      if (t.compareTo(l.timeout()) < 0) l = l.withTimeout(t);
    }
    return l;
  }

  private Limits lowerTimeout(Limits l, Duration t, String field) {
    if (t.compareTo(serverLimits.timeout()) > 0) {
      throw new SpecException(field, Limits.formatDuration(t) + " is above the server's limit of "
          + Limits.formatDuration(serverLimits.timeout()) + " (weft serve --timeout)");
    }
    return parse(field, l, -1, t);
  }

  private static Limits parse(String field, Limits l, long memory, Duration timeout) {
    try {
      return timeout != null ? l.withTimeout(timeout) : l.withMemoryBytes(memory);
    } catch (IllegalArgumentException e) {
      throw new SpecException(field, e.getMessage());
    }
  }
}
