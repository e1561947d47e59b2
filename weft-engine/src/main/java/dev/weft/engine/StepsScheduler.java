package dev.weft.engine;

import dev.weft.engine.Loops.Expanded;
import dev.weft.engine.Model.Step;
import dev.weft.engine.Model.Template;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Steps templates: groups run one after another, the steps of a group (and their loop iterations)
 * side by side under the template's {@code parallelism} and {@code failFast}.
 */
final class StepsScheduler {
  /**
   * Argo's message for a steps or DAG template stopped by its {@code failFast} (operator.go
   * checkParallelism).
   */
  static final String FAIL_FAST = "template has failed or errored children and failFast enabled";

  private final Execution run;

  StepsScheduler(Execution run) {
    this.run = run;
  }

  CompletableFuture<Void> run(Node node, Template t, Inputs in) {
    node.running();
    Scope scope = Scope.of(in, run.globals.local(in, node, 0));
    Limiter lim = Limiter.of(t, scope.vars(), run.ctl);
    return group(node, t, scope, lim, 0, null);
  }

  /**
   * Runs group {@code i}, then the rest; {@code previous} is the group before, whose outbound nodes
   * link to this one.
   */
  private CompletableFuture<Void> group(
      Node node, Template t, Scope scope, Limiter lim, int i, Node previous) {
    if (i == t.steps().size()) {
      run.stepRunner.finishComposite(node, t, scope);
      return CompletableFuture.completedFuture(null);
    }
    Node g =
        run.nodes.create(
            node.name() + "[" + i + "]",
            "[" + i + "]",
            NodeType.StepGroup,
            t.name(),
            node.id(),
            node);
    if (previous
        != null) { // as Argo links them: a group hangs off the previous group's outbound nodes
      node.removeChild(g.id());
      List<String> prev = previous.children();
      if (prev.isEmpty()) previous.addChild(g.id());
      for (String c : prev) for (Node o : run.nodes.outbound(run.nodes.get(c))) o.addChild(g.id());
    }
    g.running();
    List<Step> steps = t.steps().get(i);
    Map<String, List<CompletableFuture<Node>>> byStep = new LinkedHashMap<>();
    List<CompletableFuture<Node>> futures = new ArrayList<>();
    boolean[] failed = {false};
    boolean failFast = t.failFast().orElse(false);
    for (Step s : steps) {
      List<CompletableFuture<Node>> mine = new ArrayList<>();
      byStep.put(s.name(), mine);
      List<Expanded> expanded;
      try {
        expanded = Loops.expand(s, g.name() + "." + s.name(), s.name(), scope.vars());
      } catch (StepError | Exprs.Unresolved | IllegalArgumentException e) {
        Node bad =
            run.nodes.create(
                g.name() + "." + s.name(),
                s.name(),
                NodeType.before(run.wf.templates().get(s.template())),
                s.template(),
                node.id(),
                g);
        bad.finish(NodePhase.Error, e.getMessage());
        g.finish(NodePhase.Error, e.getMessage());
        node.finish(NodePhase.Failed, e.getMessage());
        return CompletableFuture.completedFuture(null);
      }
      if (expanded.isEmpty()) {
        Node skipped =
            run.nodes.create(
                g.name() + "." + s.name(), s.name(), NodeType.Skipped, s.template(), node.id(), g);
        skipped.finish(NodePhase.Skipped, "Skipped, empty params");
        continue;
      }
      for (Expanded e : expanded) {
        CompletableFuture<Node> f =
            Limiter.run(
                    lim,
                    () -> {
                      if (failFast && failed[0]) return CompletableFuture.completedFuture(null);
                      return run.stepRunner.run(e, scope, node.id(), g, List.of(g), "steps");
                    })
                .thenApply(
                    n -> {
                      if (n != null && n.failedOrError() && !StepRunner.continues(s, n.phase()))
                        failed[0] = true;
                      return n;
                    });
        mine.add(f);
        futures.add(f);
      }
    }
    return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
        .thenComposeAsync(
            v -> {
              Map<String, List<Node>> done = new LinkedHashMap<>();
              for (Step s : steps) {
                List<Node> ns = new ArrayList<>();
                for (CompletableFuture<Node> f : byStep.get(s.name()))
                  if (f.join() != null) ns.add(f.join());
                done.put(s.name(), ns);
                for (Node n : ns) {
                  if (n.failedOrError() && !StepRunner.continues(s, n.phase())) {
                    String msg = failFast ? FAIL_FAST : "child '" + n.id() + "' failed";
                    g.finish(NodePhase.Failed, msg);
                    node.finish(NodePhase.Failed, msg);
                    return CompletableFuture.completedFuture(null);
                  }
                }
              }
              g.finish(NodePhase.Succeeded, "");
              for (Step s : steps) scope.publish("steps", s, done.get(s.name()), run.wf);
              return group(node, t, scope, lim, i + 1, g);
            },
            run.ctl);
  }
}
