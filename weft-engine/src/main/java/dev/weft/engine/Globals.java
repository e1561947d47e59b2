package dev.weft.engine;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.weft.engine.Model.Artifact;
import dev.weft.engine.Model.Param;
import dev.weft.engine.Model.Template;
import dev.weft.engine.Model.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The run's global variables ({@code workflow.*}), the artifacts exported under {@code
 * workflow.outputs.artifacts.*}, and the workflow's outputs. Used only on the control thread.
 */
final class Globals {
  private final Map<String, String> vars = new HashMap<>();
  private final Map<String, String> view = Collections.unmodifiableMap(vars);
  private final Map<String, ArtifactRef> artifacts = new LinkedHashMap<>();
  private final Map<String, String> outputParameters = new LinkedHashMap<>();
  private final Map<String, ArtifactRef> outputArtifacts = new LinkedHashMap<>();

  /**
   * Sets the {@code workflow.*} variables and resolves {@code spec.arguments}: defaults, then the
   * caller's values, each checked against its enum and rendered.
   *
   * @return the entrypoint's arguments
   */
  Inputs begin(Workflow wf, String name, Instant startedAt, Map<String, String> overrides) {
    vars.put("workflow.name", name);
    vars.put("workflow.namespace", "default");
    vars.put("workflow.uid", UUID.randomUUID().toString());
    vars.put("workflow.creationTimestamp", startedAt.truncatedTo(ChronoUnit.SECONDS).toString());
    wf.labels().forEach((k, v) -> vars.put("workflow.labels." + k, v));
    wf.annotations().forEach((k, v) -> vars.put("workflow.annotations." + k, v));
    Map<String, String> params = new LinkedHashMap<>();
    for (Param p : wf.arguments().parameters()) {
      Optional<String> v = p.value().or(p::defaultValue);
      if (v.isPresent()) params.put(p.name(), v.get());
    }
    params.putAll(overrides);
    for (Param p : wf.arguments().parameters()) {
      if (!params.containsKey(p.name()))
        throw new StepError(
            "spec.arguments.parameters."
                + p.name()
                + " has no value (give it with -p "
                + p.name()
                + "=VALUE)");
      if (!p.enumValues().isEmpty() && !p.enumValues().contains(params.get(p.name()))) {
        throw new StepError(
            "spec.arguments.parameters."
                + p.name()
                + ": value '"
                + params.get(p.name())
                + "' is not one of "
                + p.enumValues());
      }
    }
    ArrayNode pj = JsonNodeFactory.instance.arrayNode();
    params.forEach(
        (k, v) -> {
          String rendered = Exprs.render(v, vars, false);
          vars.put("workflow.parameters." + k, rendered);
          params.put(k, rendered);
          pj.addObject().put("name", k).put("value", rendered);
        });
    vars.put("workflow.parameters.json", pj.toString());
    Map<String, ArtifactRef> arts = new LinkedHashMap<>();
    for (Artifact a : wf.arguments().artifacts()) {
      if (a.raw().isEmpty())
        throw new StepError(
            "spec.arguments.artifacts."
                + a.name()
                + ": only raw artifacts can be workflow arguments in weft run");
      arts.put(a.name(), ArtifactRef.raw(a.name(), a.path(), a.raw().get()));
    }
    return new Inputs(params, arts);
  }

  /** What the workflow's exit handler sees of the run. */
  void ended(NodePhase status, String failures, Duration duration) {
    vars.put("workflow.status", status.name());
    vars.put("workflow.failures", failures);
    vars.put("workflow.duration", String.valueOf(duration.toMillis() / 1000.0));
  }

  /** The variables, read-only; they grow as steps export outputs. */
  Map<String, String> vars() {
    return view;
  }

  /** A template's own variables: the globals, its inputs, its node name and retry count. */
  Map<String, String> local(Inputs in, Node node, int retries) {
    Map<String, String> local = new HashMap<>(vars);
    ArrayNode all = JsonNodeFactory.instance.arrayNode();
    in.parameters()
        .forEach(
            (k, v) -> {
              local.put("inputs.parameters." + k, v);
              all.addObject().put("name", k).put("value", v);
            });
    local.put("inputs.parameters", all.toString());
    in.artifacts()
        .forEach(
            (k, a) -> a.path().ifPresent(p -> local.put("inputs.artifacts." + k + ".path", p)));
    local.put("node.name", node.name());
    local.put("retries", String.valueOf(retries));
    return local;
  }

  /** An artifact exported as {@code workflow.outputs.artifacts.NAME}, or null. */
  ArtifactRef artifact(String key) {
    return artifacts.get(key);
  }

  /** Exports a finished template's outputs that declare a {@code globalName}. */
  void export(Template t, Node.Outputs o) {
    for (Param p : t.outputs().parameters()) {
      if (p.globalName().isPresent() && o.parameters().containsKey(p.name())) {
        outputParameters.put(p.globalName().get(), o.parameters().get(p.name()));
        vars.put(
            "workflow.outputs.parameters." + p.globalName().get(), o.parameters().get(p.name()));
      }
    }
    for (Artifact a : t.outputs().artifacts()) {
      if (a.globalName().isEmpty()) continue;
      o.artifacts().stream()
          .filter(x -> x.name().equals(a.name()))
          .findFirst()
          .ifPresent(
              ref -> {
                outputArtifacts.put(a.globalName().get(), ref);
                artifacts.put("workflow.outputs.artifacts." + a.globalName().get(), ref);
              });
    }
  }

  Map<String, String> outputParameters() {
    return outputParameters;
  }

  Map<String, ArtifactRef> outputArtifacts() {
    return outputArtifacts;
  }
}
