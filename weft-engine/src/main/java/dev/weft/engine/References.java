package dev.weft.engine;

import dev.weft.engine.Model.Step;
import dev.weft.engine.Model.Template;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What Argo checks across templates before a workflow runs (workflow/validate/validate.go): steps
 * and tasks name templates that exist and supply their inputs without defaults, DAG dependencies
 * name tasks of the DAG and form no cycle.
 */
final class References {
  private References() {}

  static void check(Template t, Map<String, Template> templates) {
    List<Step> all = new ArrayList<>();
    t.steps().forEach(all::addAll);
    t.dag().ifPresent(d -> all.addAll(d.tasks()));
    for (Step s : all) {
      if (!s.template().contains("{{") && !templates.containsKey(s.template())) {
        throw new InvalidWorkflowException(
            "template '" + t.name() + "' step '" + s.name() + "'.template",
            s.line(),
            "names template '" + s.template() + "', which does not exist");
      }
      Template target = templates.get(s.template());
      if (target != null) {
        for (Model.Param p : target.inputs().parameters()) {
          boolean given =
              p.value().isPresent()
                  || p.defaultValue().isPresent()
                  || s.arguments().parameters().stream().anyMatch(a -> a.name().equals(p.name()));
          if (!given) { // Argo's validate.go rejects this at submission
            throw new InvalidWorkflowException(
                "template '" + t.name() + "' step '" + s.name() + "'.arguments",
                s.line(),
                "templates."
                    + target.name()
                    + " inputs.parameters."
                    + p.name()
                    + " was not supplied");
          }
        }
      }
      s.exitHook()
          .ifPresent(
              h -> {
                if (!templates.containsKey(h.template())) {
                  throw new InvalidWorkflowException(
                      "template '" + t.name() + "' step '" + s.name() + "'.hooks.exit.template",
                      s.line(),
                      "names template '" + h.template() + "', which does not exist");
                }
              });
    }
    t.dag()
        .ifPresent(
            d -> {
              Set<String> names = new HashSet<>();
              d.tasks().forEach(x -> names.add(x.name()));
              for (Step s : d.tasks()) {
                for (String dep : s.dependencies()) {
                  if (!names.contains(dep)) {
                    throw new InvalidWorkflowException(
                        "template '" + t.name() + "' task '" + s.name() + "'.dependencies",
                        s.line(),
                        "names task '" + dep + "', which is not in this DAG");
                  }
                }
                s.depends()
                    .ifPresent(
                        expr -> {
                          try {
                            for (String dep : Depends.parse(expr).tasks()) {
                              if (!names.contains(dep))
                                throw new IllegalArgumentException(
                                    "names task '" + dep + "', which is not in this DAG");
                            }
                          } catch (IllegalArgumentException e) {
                            throw new InvalidWorkflowException(
                                "template '" + t.name() + "' task '" + s.name() + "'.depends",
                                s.line(),
                                e.getMessage());
                          }
                        });
              }
              Depends.checkAcyclic(t.name(), d.tasks());
            });
  }
}
