package dev.weft.engine;

import dev.weft.engine.Model.Hook;
import dev.weft.engine.Model.Step;
import dev.weft.engine.Model.Template;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * A step's or task's lifecycle hooks other than {@code exit} (workflow/controller/hooks.go): each
 * runs once, as node {@code <step node>.hooks.<name>}, when its expr-lang {@code expression} holds
 * over the step's variables. They are checked when the step starts ({@code status} Running) and
 * when it ends; the step counts as done when its hooks are.
 */
final class LifecycleHooks {
  private final Execution run;
  private final Step step;
  private final String prefix;
  private final Map<String, String> vars;
  private final Scope scope;
  private final String boundaryId;
  private final Set<String> fired = new HashSet<>();
  private final List<CompletableFuture<Node>> running = new ArrayList<>();

  LifecycleHooks(
      Execution run,
      Step step,
      String prefix,
      Map<String, String> vars,
      Scope scope,
      String boundaryId) {
    this.run = run;
    this.step = step;
    this.prefix = prefix;
    this.vars = vars;
    this.scope = scope;
    this.boundaryId = boundaryId;
  }

  /** Checks the hooks as {@code node} starts and again when {@code done} completes. */
  CompletableFuture<Node> around(Node node, CompletableFuture<Node> done) {
    if (node != null) check(node, "Running");
    return done.thenComposeAsync(
        n -> {
          check(n, n.phase().name());
          return CompletableFuture.allOf(running.toArray(CompletableFuture[]::new))
              .thenApply(v -> n);
        },
        run.ctl);
  }

  private void check(Node n, String status) {
    Scope own = new Scope();
    if (n.completed()) own.publish(prefix, step, List.of(n), run.wf);
    Map<String, String> hv = new HashMap<>(vars);
    hv.putAll(own.vars());
    hv.put(prefix + "." + step.name() + ".status", status);
    for (Map.Entry<String, Hook> e : step.hooks().entrySet()) {
      if (fired.contains(e.getKey())) continue;
      String name = n.name() + ".hooks." + e.getKey();
      String display = n.displayName() + ".hooks." + e.getKey();
      Hook h = e.getValue();
      Template t;
      Inputs args;
      try {
        Object holds = Exprs.evaluate(Exprs.render(h.expression().get(), hv, false), hv);
        if (!Boolean.TRUE.equals(holds)) continue;
        fired.add(e.getKey());
        t = run.template(h.template(), "hooks." + e.getKey() + ".template");
        args = run.bindings.arguments(h.arguments(), hv, scope.artifacts(), t, false);
      } catch (StepError | Exprs.Unresolved | IllegalArgumentException ex) {
        fired.add(e.getKey());
        Node bad = run.nodes.create(name, display, NodeType.Skipped, h.template(), boundaryId, n);
        bad.finish(NodePhase.Error, "hooks." + e.getKey() + ": " + ex.getMessage());
        continue;
      }
      running.add(run.invoke(name, display, t, args, boundaryId, n, List.of()));
    }
  }
}
