package dev.weft.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.engine.Model.Arguments;
import dev.weft.engine.Model.Dag;
import dev.weft.engine.Model.Kind;
import dev.weft.engine.Model.Outputs;
import dev.weft.engine.Model.RetryStrategy;
import dev.weft.engine.Model.Step;
import dev.weft.engine.Model.Template;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One entry of {@code spec.templates}: its kind (steps, dag, plugin, suspend, container, script),
 * its body, its retries and deadlines, and what {@code spec.templateDefaults} and {@code
 * spec.retryStrategy} add to them.
 */
final class TemplateParser {
  private final ParseContext ctx;
  private final ArgumentsParser args;
  private final StepParser steps;

  TemplateParser(ParseContext ctx, ArgumentsParser args, StepParser steps) {
    this.ctx = ctx;
    this.args = args;
    this.steps = steps;
  }

  /**
   * A template, with what it does not set itself taken from {@code defaults}
   * (spec.templateDefaults), then its retries from {@code specRetry} if it still has none.
   */
  Template template(YamlMap t, Optional<YamlMap> defaults, Optional<RetryStrategy> specRetry) {
    Template tmpl = withDefaults(template(t), defaults);
    // spec.retryStrategy: every template without its own retries with it, steps and DAGs too
    // (operator.go retryStrategy)
    if (tmpl.retryStrategy().isEmpty() && specRetry.isPresent())
      tmpl = copy(tmpl, specRetry, tmpl.timeout(), tmpl.activeDeadlineSeconds());
    return tmpl;
  }

  private static final Set<String> TEMPLATE_FIELDS =
      Set.of(
          "name",
          "inputs",
          "outputs",
          "steps",
          "dag",
          "plugin",
          "suspend",
          "container",
          "script",
          "retryStrategy",
          "timeout",
          "activeDeadlineSeconds",
          "parallelism",
          "failFast",
          "metadata");

  private Template template(YamlMap t) {
    t.only(TEMPLATE_FIELDS);
    String name = t.required("name");
    List<Kind> kinds = new ArrayList<>();
    if (t.has("steps")) kinds.add(Kind.STEPS);
    if (t.has("dag")) kinds.add(Kind.DAG);
    if (t.has("plugin")) kinds.add(Kind.PLUGIN);
    if (t.has("suspend")) kinds.add(Kind.SUSPEND);
    if (t.has("container")) kinds.add(Kind.CONTAINER);
    if (t.has("script")) kinds.add(Kind.SCRIPT);
    if (kinds.size() != 1) {
      throw ctx.error(
          t.path,
          "template '"
              + name
              + "' must have exactly one of steps, dag, plugin, suspend, container, script; found "
              + (kinds.isEmpty() ? "none" : kinds.toString().toLowerCase(java.util.Locale.ROOT)));
    }
    Kind kind = kinds.get(0);
    Arguments inputs = t.obj("inputs").map(args::inputs).orElse(Arguments.NONE);
    Outputs outputs = t.obj("outputs").map(args::outputs).orElse(Outputs.NONE);
    List<List<Step>> groupsOfSteps = new ArrayList<>();
    if (kind == Kind.STEPS) {
      List<JsonNode> groups = t.list("steps");
      for (int i = 0; i < groups.size(); i++) {
        String gp = t.at("steps") + "[" + i + "]";
        if (!groups.get(i).isArray())
          throw ctx.error(
              gp, "must be a list of parallel steps (steps is a list of lists: '- - name: …')");
        List<Step> group = new ArrayList<>();
        for (int j = 0; j < groups.get(i).size(); j++)
          group.add(steps.step(new YamlMap(ctx, groups.get(i).get(j), gp + "[" + j + "]"), false));
        groupsOfSteps.add(group);
      }
    }
    Optional<Dag> dag =
        t.obj("dag")
            .map(
                d -> {
                  d.only(Set.of("tasks", "target", "failFast"));
                  List<Step> tasks = new ArrayList<>();
                  Set<String> names = new HashSet<>();
                  for (YamlMap o : d.objs("tasks")) {
                    Step s = steps.step(o, true);
                    if (!names.add(s.name()))
                      throw ctx.error(o.at("name"), "task '" + s.name() + "' is defined twice");
                    tasks.add(s);
                  }
                  if (tasks.isEmpty())
                    throw ctx.error(d.at("tasks"), "at least one task is required");
                  return new Dag(tasks, d.str("target"), d.bool("failFast"));
                });
    Optional<JsonNode> wasm = Optional.empty();
    if (kind == Kind.PLUGIN) {
      YamlMap plugin = t.obj("plugin").get();
      List<String> keys = new ArrayList<>();
      plugin.node.fieldNames().forEachRemaining(keys::add);
      if (keys.size() != 1)
        throw ctx.error(plugin.path, "expected exactly one key, got " + keys.size());
      if (!keys.get(0).equals("wasm"))
        throw ctx.error(plugin.at(keys.get(0)), "weft run executes only 'plugin: wasm:' templates");
      wasm = Optional.of(plugin.node.get("wasm"));
    }
    Optional<String> suspend = Optional.empty();
    if (kind == Kind.SUSPEND) {
      YamlMap s = t.obj("suspend").get();
      s.only(Set.of("duration"));
      suspend = s.str("duration");
      if (suspend.isEmpty())
        throw ctx.error(
            s.path, "weft run cannot resume a suspended workflow: give suspend.duration");
    }
    Optional<RetryStrategy> retry = t.obj("retryStrategy").map(this::retry);
    return new Template(
        name,
        kind,
        inputs,
        outputs,
        groupsOfSteps,
        dag,
        wasm,
        suspend,
        retry,
        t.str("timeout"),
        t.str("activeDeadlineSeconds"),
        t.str("parallelism"),
        t.bool("failFast"),
        ctx.tree.line(t.path));
  }

  /** {@code spec.templateDefaults}: what a template does not set itself, it takes from there. */
  private Template withDefaults(Template t, Optional<YamlMap> d) {
    if (d.isEmpty()) return t;
    boolean leaf = t.kind() != Kind.STEPS && t.kind() != Kind.DAG;
    Optional<RetryStrategy> retry =
        t.retryStrategy().or(() -> d.get().obj("retryStrategy").map(this::retry));
    Optional<String> timeout =
        t.timeout().or(() -> leaf ? d.get().str("timeout") : Optional.empty());
    Optional<String> deadline =
        t.activeDeadlineSeconds()
            .or(() -> leaf ? d.get().str("activeDeadlineSeconds") : Optional.empty());
    return copy(t, retry, timeout, deadline);
  }

  /** {@code t} with its retries and deadlines replaced. */
  private static Template copy(
      Template t,
      Optional<RetryStrategy> retry,
      Optional<String> timeout,
      Optional<String> deadline) {
    return new Template(
        t.name(),
        t.kind(),
        t.inputs(),
        t.outputs(),
        t.steps(),
        t.dag(),
        t.wasm(),
        t.suspendDuration(),
        retry,
        timeout,
        deadline,
        t.parallelism(),
        t.failFast(),
        t.line());
  }

  RetryStrategy retry(YamlMap r) {
    r.only(Set.of("limit", "retryPolicy", "backoff", "expression"));
    String policy =
        r.str("retryPolicy")
            .orElse(r.has("expression") && !r.has("limit") ? "Always" : "OnFailure");
    if (!Set.of("Always", "OnFailure", "OnError", "OnTransientError").contains(policy)) {
      throw ctx.error(
          r.at("retryPolicy"),
          "must be Always, OnFailure, OnError or OnTransientError, found " + policy);
    }
    Optional<YamlMap> b = r.obj("backoff");
    b.ifPresent(o -> o.only(Set.of("duration", "factor", "maxDuration", "cap")));
    return new RetryStrategy(
        r.str("limit"),
        policy,
        b.flatMap(o -> o.str("duration")),
        b.flatMap(o -> o.str("factor")),
        b.flatMap(o -> o.str("maxDuration")),
        r.str("expression"));
  }
}
