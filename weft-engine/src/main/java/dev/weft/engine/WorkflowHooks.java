package dev.weft.engine;

import dev.weft.engine.Model.Hook;
import dev.weft.engine.Model.Template;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * {@code spec.hooks} other than {@code exit} (workflow/controller/hooks.go executeWfLifeCycleHook):
 * each runs once, as node {@code <workflow>.hooks.<name>} under the root, when its expression holds
 * over the workflow's variables; checked as the workflow starts ({@code workflow.status} Running)
 * and when the entrypoint ends. The exit handler waits for them.
 */
final class WorkflowHooks {
  private final Execution run;
  private final Set<String> fired = new HashSet<>();
  private final List<CompletableFuture<Node>> running = new ArrayList<>();

  WorkflowHooks(Execution run) {
    this.run = run;
  }

  /** Checks the hooks once more with the finished root, then waits for every hook that ran. */
  CompletableFuture<Node> finish(Node root) {
    check(root, root.phase().name());
    return CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).thenApply(v -> root);
  }

  void check(Node root, String status) {
    if (root == null || run.wf.hooks().isEmpty()) return;
    Map<String, String> vars = new HashMap<>(run.globals.vars());
    vars.put("workflow.status", status);
    for (Map.Entry<String, Hook> e : run.wf.hooks().entrySet()) {
      if (fired.contains(e.getKey())) continue;
      String name = run.name + ".hooks." + e.getKey();
      Hook h = e.getValue();
      Template t;
      Inputs args;
      try {
        if (!Boolean.TRUE.equals(
            Exprs.evaluate(Exprs.render(h.expression().get(), vars, false), vars))) continue;
        fired.add(e.getKey());
        t = run.template(h.template(), "spec.hooks." + e.getKey() + ".template");
        args = run.bindings.arguments(h.arguments(), vars, Map.of(), t, true);
      } catch (StepError | Exprs.Unresolved | IllegalArgumentException ex) {
        fired.add(e.getKey());
        Node bad = run.nodes.create(name, name, NodeType.Skipped, h.template(), "", root);
        bad.finish(NodePhase.Error, "spec.hooks." + e.getKey() + ": " + ex.getMessage());
        continue;
      }
      running.add(run.invoke(name, name, t, args, "", root, List.of()));
    }
  }
}
