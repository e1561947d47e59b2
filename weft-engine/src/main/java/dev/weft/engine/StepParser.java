package dev.weft.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.engine.Model.Arguments;
import dev.weft.engine.Model.Hook;
import dev.weft.engine.Model.Loop;
import dev.weft.engine.Model.Step;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A step of a steps template or a task of a DAG: loops, conditions, hooks, dependencies. */
final class StepParser {
  /** What a field of {@code hooks} must be, step's or workflow's. */
  static final String HOOK = "a hook: {template, arguments, expression}";

  static final String HOOK_NEEDS_EXPRESSION =
      "is required: a lifecycle hook other than exit runs when its expression holds";

  private final ParseContext ctx;
  private final ArgumentsParser args;

  StepParser(ParseContext ctx, ArgumentsParser args) {
    this.ctx = ctx;
    this.args = args;
  }

  /**
   * @param task a DAG task (which may have dependencies), not a step
   */
  Step step(YamlMap s, boolean task) {
    Set<String> known =
        new HashSet<>(
            Set.of(
                "name",
                "template",
                "arguments",
                "when",
                "withItems",
                "withParam",
                "withSequence",
                "continueOn",
                "onExit",
                "hooks"));
    if (task) known.addAll(Set.of("dependencies", "depends"));
    s.only(known);
    String name = s.required("name");
    if (!name.matches("[a-zA-Z0-9][-a-zA-Z0-9_]*"))
      throw ctx.error(
          s.at("name"), "'" + name + "' is not a valid name (letters, digits, - and _)");
    String template = s.required("template");
    Arguments arguments = s.obj("arguments").map(args::arguments).orElse(Arguments.NONE);
    List<Loop> loops = new ArrayList<>();
    if (s.has("withItems")) loops.add(new Model.WithItems(s.list("withItems")));
    if (s.has("withParam")) loops.add(new Model.WithParam(s.str("withParam").get()));
    if (s.has("withSequence")) {
      YamlMap q = s.obj("withSequence").get();
      q.only(Set.of("count", "start", "end", "format"));
      if (q.has("count") && q.has("end")) throw ctx.error(q.path, "give count or end, not both");
      if (!q.has("count") && !q.has("end")) throw ctx.error(q.path, "needs count or end");
      loops.add(
          new Model.WithSequence(q.str("count"), q.str("start"), q.str("end"), q.str("format")));
    }
    if (loops.size() > 1)
      throw ctx.error(
          s.path, "step '" + name + "' has more than one of withItems, withParam, withSequence");
    boolean failed = false;
    boolean errored = false;
    Optional<YamlMap> c = s.obj("continueOn");
    if (c.isPresent()) {
      c.get().only(Set.of("failed", "error"));
      failed = c.get().bool("failed").orElse(false);
      errored = c.get().bool("error").orElse(false);
    }
    Optional<Hook> exit = s.str("onExit").map(t -> new Hook(t, Arguments.NONE));
    Map<String, Hook> lifecycle = new LinkedHashMap<>();
    if (s.has("hooks")) {
      YamlMap hooks = s.obj("hooks").get();
      for (String hookName : hooks.fields()) {
        YamlMap e = hooks.map(hookName, HOOK);
        e.only(Set.of("template", "arguments", "expression"));
        Hook h =
            new Hook(
                e.required("template"),
                e.obj("arguments").map(args::arguments).orElse(Arguments.NONE),
                e.str("expression"));
        if (hookName.equals("exit")) {
          if (exit.isPresent())
            throw ctx.error(hooks.at("exit"), "give onExit or hooks.exit, not both");
          exit = Optional.of(h);
        } else {
          if (h.expression().isEmpty()) throw ctx.error(e.at("expression"), HOOK_NEEDS_EXPRESSION);
          lifecycle.put(hookName, h);
        }
      }
    }
    List<String> deps = new ArrayList<>();
    for (int i = 0; i < s.list("dependencies").size(); i++) {
      JsonNode d = s.list("dependencies").get(i);
      if (!d.isTextual())
        throw ctx.error(s.at("dependencies") + "[" + i + "]", "must be a task name");
      deps.add(d.asText());
    }
    if (!deps.isEmpty() && s.has("depends"))
      throw ctx.error(s.at("depends"), "give dependencies or depends, not both");
    return new Step(
        name,
        template,
        arguments,
        s.str("when"),
        loops.stream().findFirst(),
        failed,
        errored,
        exit,
        deps,
        s.str("depends"),
        ctx.tree.line(s.path),
        lifecycle);
  }
}
