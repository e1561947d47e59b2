package dev.weft.engine;

import dev.weft.engine.Model.Arguments;
import dev.weft.engine.Model.Artifact;
import dev.weft.engine.Model.Param;
import dev.weft.engine.Model.Template;
import dev.weft.engine.Model.ValueFrom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Binds values to templates: a step's arguments, a template's inputs (arguments, else values and
 * defaults), and a steps or DAG template's outputs from its children's. Each failure is a {@link
 * StepError} or {@link Exprs.Unresolved} naming the field.
 */
final class Bindings {
  private final Globals globals;

  Bindings(Globals globals) {
    this.globals = globals;
  }

  /** A template's inputs from the caller's arguments, its own values and defaults. */
  Inputs inputs(Template t, Inputs args) {
    Map<String, String> params = new LinkedHashMap<>();
    for (Param p : t.inputs().parameters()) {
      String v = args.parameters().get(p.name());
      if (v == null) v = p.value().map(x -> Exprs.render(x, globals.vars(), false)).orElse(null);
      if (v == null) v = p.defaultValue().orElse(null);
      if (v == null) throw new StepError("inputs.parameters." + p.name() + " was not supplied");
      if (!p.enumValues().isEmpty() && !p.enumValues().contains(v)) {
        throw new StepError(
            "inputs.parameters."
                + p.name()
                + ": value '"
                + v
                + "' is not one of "
                + p.enumValues());
      }
      params.put(p.name(), v);
    }
    // a value may refer to the template's other inputs, as Argo substitutes the whole template
    // (functional/steps-when-expr-filter.yaml: list's value uses inputs.parameters.test)
    Map<String, String> own = new java.util.HashMap<>(globals.vars());
    params.forEach((k, x) -> own.put("inputs.parameters." + k, x));
    for (Param p : t.inputs().parameters()) {
      String v = params.get(p.name());
      if (!args.parameters().containsKey(p.name()) && v != null && v.contains("{{"))
        params.put(p.name(), Exprs.render(v, own, false));
    }
    Map<String, ArtifactRef> arts = new LinkedHashMap<>();
    for (Artifact a : t.inputs().artifacts()) {
      ArtifactRef ref = args.artifacts().get(a.name());
      if (ref == null && a.raw().isPresent())
        ref = ArtifactRef.raw(a.name(), a.path(), a.raw().get());
      if (ref == null && a.from().isPresent()) ref = lookup(a.from().get(), Map.of());
      if (ref == null) {
        if (a.optional()) continue;
        throw new StepError("inputs.artifacts." + a.name() + " was not supplied");
      }
      arts.put(a.name(), ref.renamed(a.name(), a.path().or(ref::path)));
    }
    return new Inputs(params, arts);
  }

  /**
   * A step's arguments, resolved. A pure reference to an absent optional (a Skipped or Omitted
   * node's output without a default) leaves the input to its default, as does one to an output that
   * does not exist; without a default it is an error in Argo's words (workflow/common/util.go).
   *
   * @param strict whether an unresolved reference is an error; an exit hook's are not: Argo runs
   *     the hook with the text as it stands
   */
  Inputs arguments(
      Arguments a,
      Map<String, String> vars,
      Map<String, ArtifactRef> arts,
      Template target,
      boolean strict) {
    Map<String, String> params = new LinkedHashMap<>();
    for (Param p : a.parameters()) {
      String raw = p.value().orElse(null);
      if (raw == null)
        raw = p.valueFrom().flatMap(ValueFrom::expression).map(x -> "{{=" + x + "}}").orElse(null);
      if (raw == null) continue;
      boolean hasDefault =
          target.inputs().parameters().stream()
              .anyMatch(x -> x.name().equals(p.name()) && x.defaultValue().isPresent());
      java.util.Optional<String> ref = Exprs.pureReference(raw);
      if (ref.isPresent() && Scope.ABSENT.equals(vars.get(ref.get()))) {
        if (!strict) params.put(p.name(), raw);
        if (hasDefault || !strict) continue;
        throw new StepError(
            "inputs.parameters."
                + p.name()
                + ": argument references an absent optional (skipped/omitted node output with no default)");
      }
      try {
        params.put(p.name(), Exprs.render(raw, vars, strict));
      } catch (Exprs.Unresolved e) {
        if (!(ref.isPresent() && hasDefault)) throw e;
      }
    }
    Map<String, ArtifactRef> out = new LinkedHashMap<>();
    for (Artifact x : a.artifacts()) {
      if (x.from().isPresent()) {
        ArtifactRef ref = lookup(Exprs.render(x.from().get(), vars, false), arts);
        if (ref == null) {
          if (x.optional()) continue;
          throw new StepError("Unable to resolve: " + x.from().get());
        }
        out.put(x.name(), ref.renamed(x.name(), x.path()));
      } else if (x.raw().isPresent()) {
        out.put(
            x.name(), ArtifactRef.raw(x.name(), x.path(), Exprs.render(x.raw().get(), vars, true)));
      } else {
        throw new StepError("arguments.artifacts." + x.name() + " needs from or raw in weft run");
      }
    }
    return new Inputs(params, out);
  }

  /**
   * A steps or DAG template's own outputs, from its children's ({@code valueFrom.parameter}, {@code
   * from}).
   */
  Node.Outputs compositeOutputs(Template t, Scope scope) {
    Map<String, String> params = new LinkedHashMap<>();
    for (Param p : t.outputs().parameters()) params.put(p.name(), compositeParameter(p, scope));
    List<ArtifactRef> arts = new ArrayList<>();
    for (Artifact a : t.outputs().artifacts()) {
      if (a.from().isEmpty())
        throw new StepError(
            "outputs.artifacts."
                + a.name()
                + ": a "
                + NodeType.of(t.kind())
                + " template's output artifact needs from");
      ArtifactRef ref =
          lookup(Exprs.render(a.from().get(), scope.vars(), false), scope.artifacts());
      if (ref == null) {
        if (a.optional()) continue;
        throw new StepError("Unable to resolve: " + a.from().get());
      }
      arts.add(ref.renamed(a.name(), a.path().or(ref::path)));
    }
    return new Node.Outputs(params, Optional.empty(), Optional.empty(), arts);
  }

  private static String compositeParameter(Param p, Scope scope) {
    Optional<ValueFrom> from = p.valueFrom();
    Optional<String> v = Optional.empty();
    try {
      if (from.flatMap(ValueFrom::parameter).isPresent()) {
        v = Optional.of(Exprs.render(from.get().parameter().get(), scope.vars(), true));
      } else if (from.flatMap(ValueFrom::expression).isPresent()) {
        v =
            Optional.of(
                Exprs.render("{{=" + from.get().expression().get() + "}}", scope.vars(), true));
      } else if (p.value().isPresent()) {
        v = Optional.of(Exprs.render(p.value().get(), scope.vars(), true));
      }
    } catch (Exprs.Unresolved e) {
      v = from.flatMap(ValueFrom::defaultValue);
      if (v.isEmpty()) throw e;
    }
    if (v.isEmpty()) v = from.flatMap(ValueFrom::defaultValue);
    return v.orElseThrow(
        () ->
            new StepError(
                "outputs.parameters."
                    + p.name()
                    + " has no value (give valueFrom.parameter, expression or default)"));
  }

  /** The artifact a {@code from} names: in scope, else exported globally; null if neither. */
  ArtifactRef lookup(String from, Map<String, ArtifactRef> arts) {
    String key = from.trim();
    if (key.startsWith("{{") && key.endsWith("}}")) key = key.substring(2, key.length() - 2).trim();
    ArtifactRef r = arts.get(key);
    return r != null ? r : globals.artifact(key);
  }
}
