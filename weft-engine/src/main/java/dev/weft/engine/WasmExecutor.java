package dev.weft.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.argo.SpecException;
import dev.weft.argo.WasmStep;
import dev.weft.argo.WasmTemplates;
import dev.weft.engine.Model.Param;
import dev.weft.runtime.FailureKind;
import dev.weft.runtime.Limits;
import dev.weft.runtime.LoadedModule;
import dev.weft.runtime.OutputArtifact;
import dev.weft.runtime.OutputParameter;
import dev.weft.runtime.TaskResult;
import dev.weft.runtime.TaskSpec;
import dev.weft.runtime.WeftException;
import dev.weft.runtime.WeftRuntime;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code plugin: wasm:} templates, run in-process on one shared runtime and its compiled-module cache. */
final class WasmExecutor implements TemplateExecutor {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MESSAGE_STDERR_BYTES = 1024;

  private final WeftRuntime runtime;
  private final WasmTemplates templates;
  private final Limits ceiling;

  WasmExecutor(WeftRuntime runtime, WasmTemplates templates, Limits ceiling) {
    this.runtime = runtime;
    this.templates = templates;
    this.ceiling = ceiling;
  }

  @Override
  public LeafResult execute(LeafCall call) {
    TaskSpec spec;
    LoadedModule module;
    try {
      WasmStep step = templates.parse(call.body());
      spec = withArtifacts(templates.toTask(call.workflowName(), processed(call), step, call.scratch()), call);
      module = templates.load(step.module(), call.baseDir());
    } catch (SpecException e) {
      return LeafResult.error("invalid wasm step: " + e.getMessage());
    } catch (WeftException e) {
      return LeafResult.error("module cannot be loaded: " + e.getMessage());
    } catch (IllegalArgumentException e) {
      return LeafResult.error("invalid wasm step: " + e.getMessage());
    }
    TaskResult r = runtime.run(module, spec);
    Map<String, String> params = new LinkedHashMap<>();
    for (OutputParameter p : r.outputParameters()) params.putIfAbsent(p.name(), p.value());
    List<StagedArtifact> arts = new ArrayList<>();
    for (OutputArtifact a : r.outputArtifacts()) arts.add(new StagedArtifact(a.name(), a.path(), a.file()));
    boolean timedOut = r.failure().filter(f -> f == FailureKind.TIMEOUT).isPresent() && call.deadline().isPresent()
        && spec.limits().timeout().compareTo(call.deadline().get()) >= 0;
    String message = timedOut ? "Step exceeded its deadline" : r.succeeded() ? r.message() : withStderr(r.message(), r.stderrTail());
    return new LeafResult(r.phase().name(), message, params, r.result().isEmpty() ? Optional.empty() : Optional.of(r.result()),
        r.exitCode().isPresent() ? Optional.of(String.valueOf(r.exitCode().getAsInt())) : Optional.empty(), arts, timedOut);
  }

  /** The template as Argo would send it to the plugin: inputs with values, declared outputs, timeout. */
  private JsonNode processed(LeafCall call) {
    ObjectNode t = JSON.createObjectNode().put("name", call.template().name());
    ArrayNode in = t.putObject("inputs").putArray("parameters");
    call.inputParameters().forEach((k, v) -> in.addObject().put("name", k).put("value", v));
    ArrayNode out = t.putObject("outputs").putArray("parameters");
    for (Param p : call.template().outputs().parameters()) {
      ObjectNode o = out.addObject().put("name", p.name());
      p.value().ifPresent(v -> o.put("value", v));
      p.valueFrom().ifPresent(vf -> {
        ObjectNode f = o.putObject("valueFrom");
        vf.path().ifPresent(x -> f.put("path", x));
        vf.defaultValue().ifPresent(x -> f.put("default", x));
        vf.parameter().ifPresent(x -> f.put("parameter", x));
        vf.expression().ifPresent(x -> f.put("expression", x));
        if (vf.supplied()) f.putObject("supplied");
      });
    }
    call.deadline().ifPresent(d -> t.put("timeout", Math.max(1, d.toMillis()) + "ms"));
    return t;
  }

  private TaskSpec withArtifacts(TaskSpec s, LeafCall call) {
    List<dev.weft.runtime.InputArtifact> in = new ArrayList<>(s.inputArtifacts());
    for (StagedArtifact a : call.inputArtifacts()) in.add(new dev.weft.runtime.InputArtifact(a.name(), a.path(), a.file()));
    List<dev.weft.runtime.OutputArtifactSpec> out = new ArrayList<>(s.outputArtifacts());
    for (Model.Artifact a : call.template().outputs().artifacts()) {
      if (a.path().isPresent() && a.path().get().startsWith("/")) out.add(new dev.weft.runtime.OutputArtifactSpec(a.name(), a.path().get()));
    }
    Limits limits = s.limits();
    if (limits.timeout().compareTo(ceiling.timeout()) > 0) limits = limits.withTimeout(ceiling.timeout());
    return new TaskSpec(s.workflowName(), s.parameters(), s.pluginOptions(), in, s.outputParameters(), out, s.args(), s.env(), s.stdin(),
        s.mounts(), limits, Optional.of(call.scratch().resolve("outputs")), s.capabilities());
  }

  private static String withStderr(String message, String stderr) {
    String s = stderr.strip();
    if (s.isEmpty()) return message;
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    if (b.length > MESSAGE_STDERR_BYTES) s = "…" + new String(b, b.length - MESSAGE_STDERR_BYTES, MESSAGE_STDERR_BYTES, StandardCharsets.UTF_8);
    return message + "; stderr: " + s;
  }
}
