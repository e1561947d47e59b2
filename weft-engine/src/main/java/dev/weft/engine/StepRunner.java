package dev.weft.engine;

import dev.weft.engine.Loops.Expanded;
import dev.weft.engine.Model.Hook;
import dev.weft.engine.Model.Step;
import dev.weft.engine.Model.Template;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * What steps and DAG templates share: running one (expanded) step or task ({@code when}, arguments,
 * the template, then its exit hook) and ending the template with its outputs.
 */
final class StepRunner {
  private final Execution run;

  StepRunner(Execution run) {
    this.run = run;
  }

  /**
   * Runs one step or task.
   *
   * @param linkFrom the nodes whose {@code children} list this node
   * @param prefix {@code steps} or {@code tasks}: how the step's outputs are named to its exit hook
   */
  CompletableFuture<Node> run(
      Expanded e, Scope scope, String boundaryId, Node parent, List<Node> linkFrom, String prefix) {
    Step s = e.step();
    Map<String, String> vars = new HashMap<>(scope.vars());
    vars.putAll(e.itemVars());
    vars.putAll(run.globals.vars()); // global outputs exported since the scope was made
    Template target;
    Inputs args;
    try {
      if (s.when().isPresent()) {
        String when = Exprs.render(s.when().get(), vars, true);
        if (!Exprs.when(when)) {
          return CompletableFuture.completedFuture(
              notRun(
                  e,
                  boundaryId,
                  parent,
                  linkFrom,
                  NodePhase.Skipped,
                  "when '" + when + "' evaluated false"));
        }
      }
      target =
          run.template(Exprs.render(s.template(), vars, true), "step '" + s.name() + "'.template");
      args = run.bindings.arguments(s.arguments(), vars, scope.artifacts(), target, true);
    } catch (StepError | Exprs.Unresolved | IllegalArgumentException ex) {
      return CompletableFuture.completedFuture(
          notRun(e, boundaryId, parent, linkFrom, NodePhase.Error, ex.getMessage()));
    }
    CompletableFuture<Node> f =
        run.invoke(e.nodeName(), e.display(), target, args, boundaryId, parent, linkFrom);
    if (!s.hooks().isEmpty())
      f =
          new LifecycleHooks(run, s, prefix, vars, scope, boundaryId)
              .around(run.nodes.get(Nodes.nodeId(run.name, e.nodeName())), f);
    if (s.exitHook().isEmpty()) return f;
    return f.thenComposeAsync(
        n ->
            n.completed()
                ? exitHook(s, s.exitHook().get(), n, vars, scope, boundaryId, prefix)
                : CompletableFuture.completedFuture(n),
        run.ctl);
  }

  /**
   * A step that never reached its template: Skipped, or Error typed by its template; linked as the
   * template's would be.
   */
  private Node notRun(
      Expanded e,
      String boundaryId,
      Node parent,
      List<Node> linkFrom,
      NodePhase phase,
      String message) {
    NodeType type =
        phase == NodePhase.Error
            ? NodeType.before(run.wf.templates().get(e.step().template()))
            : NodeType.Skipped;
    Node n =
        run.nodes.create(e.nodeName(), e.display(), type, e.step().template(), boundaryId, parent);
    Nodes.link(linkFrom, n, parent);
    n.finish(phase, message);
    return n;
  }

  /** Runs a step's {@code hooks.exit} after it; the hook sees the step's outputs and status. */
  private CompletableFuture<Node> exitHook(
      Step s,
      Hook hook,
      Node n,
      Map<String, String> vars,
      Scope scope,
      String boundaryId,
      String prefix) {
    Scope own = new Scope();
    own.publish(prefix, s, List.of(n), run.wf);
    Map<String, String> hv = new HashMap<>(vars);
    hv.putAll(own.vars());
    hv.put("workflow.status", n.phase().name());
    Map<String, ArtifactRef> ha = new HashMap<>(scope.artifacts());
    ha.putAll(own.artifacts());
    Template t;
    Inputs args;
    try {
      t = run.template(hook.template(), "hooks.exit.template");
      args = run.bindings.arguments(hook.arguments(), hv, ha, t, false);
    } catch (StepError | Exprs.Unresolved ex) {
      Node bad =
          run.nodes.create(
              n.name() + ".onExit",
              n.displayName() + ".onExit",
              NodeType.before(run.wf.templates().get(hook.template())),
              hook.template(),
              boundaryId,
              n);
      bad.finish(NodePhase.Error, ex.getMessage());
      return CompletableFuture.completedFuture(n);
    }
    return run.invoke(
            n.name() + ".onExit", n.displayName() + ".onExit", t, args, boundaryId, n, List.of())
        .thenApply(x -> n);
  }

  /**
   * Ends a steps or DAG template whose children all ended well: its outputs, exported, then
   * Succeeded.
   */
  void finishComposite(Node node, Template t, Scope scope) {
    Node.Outputs o;
    try {
      o = run.bindings.compositeOutputs(t, scope);
    } catch (StepError | Exprs.Unresolved | IllegalArgumentException e) {
      node.finish(NodePhase.Error, e.getMessage());
      return;
    }
    node.outputs(o);
    run.globals.export(t, o);
    node.finish(NodePhase.Succeeded, "");
  }

  /** Whether a failed step's phase lets its template carry on ({@code continueOn}). */
  static boolean continues(Step s, NodePhase phase) {
    return (phase == NodePhase.Failed && s.continueOnFailed())
        || (phase == NodePhase.Error && s.continueOnError());
  }
}
