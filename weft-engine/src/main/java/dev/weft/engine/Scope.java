package dev.weft.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.weft.engine.Model.Step;
import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Variables and artifacts visible inside a steps or DAG template: its own variables, then the
 * outputs of its steps ({@code steps.NAME.…}) or tasks ({@code tasks.NAME.…}) as they finish.
 */
final class Scope {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, String> vars = new HashMap<>();
  private final Map<String, ArtifactRef> artifacts = new HashMap<>();

  /** A template's scope: its local variables and its input artifacts. */
  static Scope of(Inputs in, Map<String, String> local) {
    Scope s = new Scope();
    s.vars.putAll(local);
    in.artifacts().forEach((k, a) -> s.artifacts.put("inputs.artifacts." + k, a));
    return s;
  }

  Map<String, String> vars() {
    return vars;
  }

  Map<String, ArtifactRef> artifacts() {
    return artifacts;
  }

  /**
   * The value standing for an absent optional: an output of a Skipped or Omitted node whose
   * template gives it no {@code valueFrom.default}. Argo marks it the same way
   * (workflow/common/common.go {@code AbsentOptionalArgumentValue}); {@link Exprs#render} refuses
   * to substitute it, and a pure reference to it leaves a consumer's input to its default.
   */
  static final String ABSENT = "__argo-internal.absent-optional-output__";

  /**
   * Makes a finished step's (or loop's) outputs visible as {@code PREFIX.NAME.…}.
   *
   * @param wf where a Skipped or Omitted node's template is found: its declared outputs become
   *     their {@code valueFrom.default}, else absent optionals (Argo's
   *     addSkippedNodeOutputsToScope)
   */
  void publish(String prefix, Step s, List<Node> ns, Model.Workflow wf) {
    String p = prefix + "." + s.name();
    if (ns == null || ns.isEmpty()) return;
    if (s.loop().isEmpty()) {
      Node n = ns.get(0);
      vars.put(p + ".id", n.id());
      vars.put(p + ".status", n.phase().name());
      n.startedAt().ifPresent(x -> vars.put(p + ".startedAt", x.toString()));
      n.finishedAt().ifPresent(x -> vars.put(p + ".finishedAt", x.toString()));
      if (n.phase() == NodePhase.Skipped || n.phase() == NodePhase.Omitted) {
        notRun(p, wf.template(n.templateName()));
        return;
      }
      Node.Outputs o = n.outputs();
      o.result().ifPresent(r -> vars.put(p + ".outputs.result", r));
      o.exitCode()
          .ifPresent(
              r -> {
                vars.put(p + ".outputs.exitCode", r);
                vars.put(
                    p + ".exitCode",
                    r); // {{steps.X.exitCode}} (examples/exit-code-output-variable.yaml)
              });
      o.parameters().forEach((k, v) -> vars.put(p + ".outputs.parameters." + k, v));
      for (ArtifactRef a : o.artifacts()) artifacts.put(p + ".outputs.artifacts." + a.name(), a);
      return;
    }
    // a loop's outputs are JSON lists over its iterations, as in Argo
    ArrayNode maps = JSON.createArrayNode();
    ArrayNode results = JSON.createArrayNode();
    Map<String, ArrayNode> perParam = new LinkedHashMap<>();
    for (Node n : ns) {
      if (n.type() == NodeType.Skipped) continue;
      Node.Outputs o = n.outputs();
      if (!o.parameters().isEmpty()) {
        ObjectNode m = maps.addObject();
        o.parameters()
            .forEach(
                (k, v) -> {
                  m.put(k, v);
                  perParam.computeIfAbsent(k, x -> JSON.createArrayNode()).add(v);
                });
      }
      o.result().ifPresent(r -> results.add(parseOrText(r)));
    }
    vars.put(p + ".outputs.parameters", maps.toString());
    perParam.forEach((k, v) -> vars.put(p + ".outputs.parameters." + k, v.toString()));
    if (!results.isEmpty()) vars.put(p + ".outputs.result", results.toString());
  }

  /** A Skipped or Omitted producer's outputs: its declared defaults, else absent optionals. */
  private void notRun(String p, Model.Template t) {
    if (t == null) return;
    for (Model.Param o : t.outputs().parameters()) {
      vars.put(
          p + ".outputs.parameters." + o.name(),
          o.valueFrom().flatMap(Model.ValueFrom::defaultValue).orElse(ABSENT));
    }
    vars.put(p + ".outputs.result", ABSENT);
  }

  private static JsonNode parseOrText(String s) {
    try {
      JsonNode n = JSON.readTree(s);
      if (n != null && (n.isObject() || n.isArray() || n.isNumber() || n.isBoolean())) return n;
    } catch (IOException e) {
      // not JSON: kept as text
    }
    return TextNode.valueOf(s);
  }
}
