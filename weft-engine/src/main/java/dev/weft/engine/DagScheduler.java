package dev.weft.engine;

import dev.weft.engine.Loops.Expanded;
import dev.weft.engine.Model.Step;
import dev.weft.engine.Model.Template;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * DAG templates: each task starts when the tasks it depends on have ended and its {@code depends}
 * holds (else it is Omitted); only the targets and what they need run.
 */
final class DagScheduler {
  private final Execution run;

  DagScheduler(Execution run) {
    this.run = run;
  }

  CompletableFuture<Void> run(Node node, Template t, Inputs in) {
    node.running();
    Scope scope = Scope.of(in, run.globals.local(in, node, 0));
    Limiter lim = Limiter.of(t, scope.vars(), run.ctl);
    Dag dag = new Dag(node, t, scope, lim);
    List<String> targets = targets(dag, t, scope);
    Set<String> needed = new LinkedHashSet<>();
    ArrayDeque<String> todo = new ArrayDeque<>(targets);
    while (!todo.isEmpty()) {
      String x = todo.poll();
      if (needed.add(x)) todo.addAll(dag.depsOf(x));
    }
    List<CompletableFuture<Node>> all = new ArrayList<>();
    for (String task : dag.tasks.keySet()) if (needed.contains(task)) all.add(dag.future(task));
    return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
        .thenAcceptAsync(
            v -> {
              if (dag.stopped) {
                node.finish(NodePhase.Failed, StepsScheduler.FAIL_FAST);
                return;
              }
              Map<String, NodePhase> memo = new HashMap<>();
              for (String target : targets) {
                NodePhase b = dag.branch(target, memo);
                if (b.failedOrError() && !StepRunner.continues(dag.tasks.get(target), b)) {
                  node.finish(b, ""); // dag.go marks a failed DAG's phase without a message
                  return;
                }
              }
              run.stepRunner.finishComposite(node, t, scope);
            },
            run.ctl);
  }

  /** {@code dag.target}, else the tasks nothing depends on. */
  private static List<String> targets(Dag dag, Template t, Scope scope) {
    List<String> targets = new ArrayList<>();
    if (t.dag().get().target().isPresent()) {
      for (String x :
          Exprs.render(t.dag().get().target().get(), scope.vars(), true).trim().split("\\s+")) {
        if (!dag.tasks.containsKey(x))
          throw new StepError("dag.target: task '" + x + "' is not in this DAG");
        targets.add(x);
      }
      return targets;
    }
    Set<String> depended = new HashSet<>();
    for (String task : dag.tasks.keySet()) depended.addAll(dag.depsOf(task));
    for (String task : dag.tasks.keySet()) if (!depended.contains(task)) targets.add(task);
    return targets;
  }

  /** One DAG template's run: its tasks, their dependencies, and the nodes they ended with. */
  private final class Dag {
    final Node node;
    final Scope scope;
    final Limiter lim;
    final Map<String, Step> tasks = new LinkedHashMap<>();
    final Map<String, Depends.Expr> deps = new HashMap<>();
    final Map<String, CompletableFuture<Node>> futures = new HashMap<>();
    final Map<String, Node> taskNodes = new HashMap<>();
    final Map<String, List<Node>> loopChildren = new HashMap<>();

    /**
     * The template's own {@code failFast} (not {@code dag.failFast}): after a failed task no new
     * task starts (operator.go checkParallelism). {@code dag.failFast} only decides when the DAG's
     * phase is known (dag.go assessDAGPhase); tasks whose {@code depends} can no longer hold are
     * Omitted.
     */
    final boolean failFast;

    boolean stopped;

    Dag(Node node, Template t, Scope scope, Limiter lim) {
      this.node = node;
      this.scope = scope;
      this.lim = lim;
      this.failFast = t.failFast().orElse(false);
      for (Step s : t.dag().get().tasks()) {
        tasks.put(s.name(), s);
        Depends.Expr e =
            s.depends()
                .map(Depends::parse)
                .orElse(
                    s.dependencies().isEmpty() ? null : Depends.fromDependencies(s.dependencies()));
        if (e != null) deps.put(s.name(), e);
      }
    }

    Set<String> depsOf(String task) {
      Depends.Expr e = deps.get(task);
      return e == null ? Set.of() : e.tasks();
    }

    CompletableFuture<Node> future(String task) {
      CompletableFuture<Node> f = futures.get(task);
      if (f != null) return f;
      List<CompletableFuture<Node>> before = new ArrayList<>();
      for (String d : depsOf(task)) before.add(future(d));
      f =
          CompletableFuture.allOf(before.toArray(CompletableFuture[]::new))
              .thenComposeAsync(v -> start(task), run.ctl);
      futures.put(task, f);
      return f;
    }

    /**
     * Whether {@code task.result} holds, as {@code depends} asks it; a bare task name means it
     * ended well.
     */
    boolean holds(String task, String result) {
      Node n = taskNodes.get(task);
      if (n == null) return false;
      Step s = tasks.get(task);
      NodePhase ph = n.phase();
      return switch (result) {
        case "Succeeded" -> ph == NodePhase.Succeeded;
        case "Failed" -> ph == NodePhase.Failed;
        case "Errored" -> ph == NodePhase.Error;
        case "Skipped" -> ph == NodePhase.Skipped;
        case "Omitted" -> ph == NodePhase.Omitted;
        case "Daemoned" -> false;
        case "AnySucceeded" ->
            loopChildren.getOrDefault(task, List.of()).stream()
                .anyMatch(c -> c.phase() == NodePhase.Succeeded);
        case "AllFailed" -> {
          List<Node> cs = loopChildren.getOrDefault(task, List.of());
          yield !cs.isEmpty() && cs.stream().allMatch(c -> c.phase() == NodePhase.Failed);
        }
        default ->
            ph == NodePhase.Succeeded || ph == NodePhase.Skipped || StepRunner.continues(s, ph);
      };
    }

    CompletableFuture<Node> start(String task) {
      if (stopped) return CompletableFuture.completedFuture(null);
      Step s = tasks.get(task);
      String nodeName = node.name() + "." + task;
      List<Node> linkFrom = new ArrayList<>();
      for (String d : depsOf(task)) if (taskNodes.get(d) != null) linkFrom.add(taskNodes.get(d));
      if (linkFrom.isEmpty()) linkFrom.add(node);
      Depends.Expr e = deps.get(task);
      if (e != null && !Depends.evaluate(e, this::holds)) {
        Node omitted =
            run.nodes.create(nodeName, task, NodeType.Skipped, s.template(), node.id(), node);
        Nodes.link(linkFrom, omitted, node);
        omitted.finish(NodePhase.Omitted, "omitted: depends condition not met");
        return CompletableFuture.completedFuture(done(task, omitted, List.of()));
      }
      if (s.loop().isEmpty()) {
        return Limiter.run(
                lim,
                () ->
                    run.stepRunner.run(
                        new Expanded(s, nodeName, task, Map.of()),
                        scope,
                        node.id(),
                        node,
                        linkFrom,
                        "tasks"))
            .thenApplyAsync(n -> done(task, n, List.of(n)), run.ctl);
      }
      return loop(task, s, nodeName, linkFrom);
    }

    /** A task with a loop: a TaskGroup node over its iterations. */
    private CompletableFuture<Node> loop(
        String task, Step s, String nodeName, List<Node> linkFrom) {
      List<Expanded> expanded;
      Node group =
          run.nodes.create(nodeName, task, NodeType.TaskGroup, s.template(), node.id(), node);
      Nodes.link(linkFrom, group, node);
      try {
        expanded = Loops.expand(s, nodeName, task, scope.vars());
      } catch (StepError | Exprs.Unresolved | IllegalArgumentException ex) {
        group.finish(NodePhase.Error, ex.getMessage());
        return CompletableFuture.completedFuture(done(task, group, List.of()));
      }
      if (expanded.isEmpty()) {
        group.finish(NodePhase.Skipped, "Skipped, empty params");
        return CompletableFuture.completedFuture(done(task, group, List.of()));
      }
      group.running();
      List<CompletableFuture<Node>> fs = new ArrayList<>();
      for (Expanded x : expanded)
        fs.add(
            Limiter.run(
                lim,
                () -> run.stepRunner.run(x, scope, node.id(), group, List.of(group), "tasks")));
      return CompletableFuture.allOf(fs.toArray(CompletableFuture[]::new))
          .thenApplyAsync(
              v -> {
                List<Node> children = fs.stream().map(CompletableFuture::join).toList();
                Optional<Node> bad =
                    children.stream()
                        .filter(c -> c.failedOrError() && !StepRunner.continues(s, c.phase()))
                        .findFirst();
                if (bad.isPresent())
                  group.finish(NodePhase.Failed, "child '" + bad.get().id() + "' failed");
                else group.finish(NodePhase.Succeeded, "");
                return done(task, group, children);
              },
              run.ctl);
    }

    Node done(String task, Node n, List<Node> children) {
      Step s = tasks.get(task);
      taskNodes.put(task, n);
      if (!children.isEmpty() && s.loop().isPresent()) loopChildren.put(task, children);
      scope.publish("tasks", s, s.loop().isPresent() ? children : List.of(n), run.wf);
      if (failFast && n.failedOrError() && !StepRunner.continues(s, n.phase())) stopped = true;
      return n;
    }

    /**
     * How the branch ending in {@code task} went: its node's phase, or the first failure on the way
     * to it.
     */
    NodePhase branch(String task, Map<String, NodePhase> memo) {
      NodePhase m = memo.get(task);
      if (m != null) return m;
      Node n = taskNodes.get(task);
      NodePhase phase;
      if (n != null && n.completed()) {
        phase = n.phase();
      } else {
        phase = NodePhase.Succeeded;
        for (String d : depsOf(task)) {
          NodePhase b = branch(d, memo);
          if (b.failedOrError()) {
            phase = b;
            break;
          }
        }
      }
      memo.put(task, phase);
      return phase;
    }
  }
}
