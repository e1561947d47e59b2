package dev.weft.engine;

import dev.weft.argo.NodeResults;
import dev.weft.argo.SpecException;
import dev.weft.argo.StepTemplate;
import dev.weft.argo.WasmPlugin;
import dev.weft.argo.WasmStep;
import dev.weft.engine.Model.Param;
import dev.weft.runtime.FailureKind;
import dev.weft.runtime.Limits;
import dev.weft.runtime.LoadedModule;
import dev.weft.runtime.OutputArtifact;
import dev.weft.runtime.OutputParameter;
import dev.weft.runtime.TaskResult;
import dev.weft.runtime.TaskSpec;
import dev.weft.runtime.WeftException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code plugin: wasm:} templates, run in-process through the shared Argo mapping ({@link
 * WasmPlugin}) on one runtime and its compiled-module cache.
 */
final class WasmExecutor implements TemplateExecutor {
  private final WasmPlugin plugin;
  private final Limits ceiling;
  private final StepLogs logs;

  WasmExecutor(WasmPlugin plugin, Limits ceiling, StepLogs logs) {
    this.plugin = plugin;
    this.ceiling = ceiling;
    this.logs = logs;
  }

  @Override
  public LeafResult execute(LeafCall call) {
    TaskSpec spec;
    LoadedModule module;
    try {
      WasmStep step = plugin.parse(call.body());
      TaskSpec.Builder b = plugin.task(call.workflowName(), template(call), step, call.scratch());
      for (StagedArtifact a : call.inputArtifacts()) b.inputArtifact(a.name(), a.path(), a.file());
      spec = b.build();
      if (spec.limits().timeout().compareTo(ceiling.timeout()) > 0)
        spec = spec.toBuilder().limits(spec.limits().withTimeout(ceiling.timeout())).build();
      module = plugin.load(step.module(), call.baseDir());
    } catch (SpecException e) {
      return LeafResult.error("invalid wasm step: " + e.getMessage());
    } catch (WeftException e) {
      return LeafResult.error("module cannot be loaded: " + e.getMessage());
    } catch (IllegalArgumentException e) {
      return LeafResult.error("invalid wasm step: " + e.getMessage());
    }
    TaskResult r = plugin.runtime().run(module, spec);
    logs.step(call.workflowName(), call.nodeId(), r.stdoutTail(), r.stderrTail());
    Map<String, String> params = new LinkedHashMap<>();
    for (OutputParameter p : r.outputParameters()) params.putIfAbsent(p.name(), p.value());
    List<StagedArtifact> arts = new ArrayList<>();
    for (OutputArtifact a : r.outputArtifacts())
      arts.add(new StagedArtifact(a.name(), a.path(), a.file()));
    boolean timedOut =
        r.failure().filter(f -> f == FailureKind.TIMEOUT).isPresent()
            && call.deadline().isPresent()
            && spec.limits().timeout().compareTo(call.deadline().get()) >= 0;
    String message =
        timedOut
            ? "Step exceeded its deadline"
            : exited(r)
                ? "Error (exit code " + r.exitCode().getAsInt() + ")"
                : NodeResults.message(r);
    return new LeafResult(
        r.phase().name(),
        message,
        params,
        r.result().isEmpty() ? Optional.empty() : Optional.of(r.result()),
        r.exitCode().isPresent()
            ? Optional.of(String.valueOf(r.exitCode().getAsInt()))
            : Optional.empty(),
        arts,
        timedOut);
  }

  /**
   * Whether the module ran to a non-zero exit: Argo words that {@code Error (exit code N)} (stderr
   * stays in the logs).
   */
  private static boolean exited(TaskResult r) {
    return r.phase() == dev.weft.runtime.Phase.Failed
        && r.exitCode().isPresent()
        && r.exitCode().getAsInt() != 0;
  }

  /**
   * The step's template as the mapping reads it: inputs with values, declared outputs, the time
   * left.
   */
  private static StepTemplate template(LeafCall call) {
    List<StepTemplate.OutputParameter> outs = new ArrayList<>();
    for (Param p : call.template().outputs().parameters()) {
      Optional<String> path = p.valueFrom().flatMap(vf -> vf.path());
      Optional<String> dflt = p.valueFrom().flatMap(vf -> vf.defaultValue()).or(p::value);
      Optional<String> unsupported =
          p.valueFrom()
              .flatMap(
                  vf ->
                      vf.parameter()
                          .map(x -> "parameter")
                          .or(() -> vf.expression().map(x -> "expression")));
      outs.add(
          new StepTemplate.OutputParameter(p.name(), path, dflt, Optional.empty(), unsupported));
    }
    List<StepTemplate.OutputArtifact> arts = new ArrayList<>();
    for (Model.Artifact a : call.template().outputs().artifacts()) {
      // the engine stores what the module reports; only absolute declared paths are read from the
      // sandbox
      arts.add(
          new StepTemplate.OutputArtifact(
              a.name(), a.path().filter(x -> x.startsWith("/")), a.optional()));
    }
    Optional<java.time.Duration> timeout =
        call.deadline().map(d -> d.toMillis() < 1 ? java.time.Duration.ofMillis(1) : d);
    return new StepTemplate(call.template().name(), call.inputParameters(), outs, arts, timeout);
  }
}
