package dev.weft.engine;

import dev.weft.engine.Model.Template;
import dev.weft.engine.Model.Workflow;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * One run of a workflow. Every decision (creating nodes, evaluating {@code when} and {@code
 * depends}, resolving variables, phases) happens on one control thread, so the run's state needs no
 * locks; leaf templates run on the runner's worker pool and hop back when done. Nothing blocks a
 * thread while waiting: a 10,000-item loop is 10,000 small nodes and futures.
 *
 * <p>This class starts the run, invokes templates and ends the run; each concern has its own part:
 * {@link Nodes} (the node graph), {@link Globals} (workflow variables and outputs), {@link
 * Bindings} (inputs, arguments, outputs), {@link Deadlines}, {@link Retries}, {@link Leaves},
 * {@link StepsScheduler}, {@link DagScheduler} and {@link StepRunner} (what the two schedulers
 * share).
 */
final class Execution {
  final Workflow wf;
  final String name;
  final Executor ctl;
  final Clock clock;
  final Nodes nodes;
  final Globals globals = new Globals();
  final Bindings bindings = new Bindings(globals);
  final Deadlines deadlines;
  final StepRunner stepRunner = new StepRunner(this);
  final CompletableFuture<WorkflowStatus> done = new CompletableFuture<>();
  private final Retries retries = new Retries(this);
  private final StepsScheduler steps = new StepsScheduler(this);
  private final DagScheduler dags = new DagScheduler(this);
  private final Leaves leaves;
  private final String artifactStore;
  private final Instant startedAt;

  Execution(WorkflowRunner runner, Workflow wf, String name, Executor ctl, LeafRunner leafRunner) {
    this.wf = wf;
    this.name = name;
    this.ctl = ctl;
    this.clock = runner.clock();
    this.nodes = new Nodes(name, clock);
    this.deadlines = new Deadlines(clock);
    this.leaves = new Leaves(this, leafRunner, runner.workers());
    this.artifactStore = runner.storeDescription();
    this.startedAt = clock.instant();
  }

  // ---- the workflow ----

  void start(Map<String, String> parameters) {
    ctl.execute(
        () -> {
          try {
            begin(parameters);
          } catch (RuntimeException e) {
            Node root = nodes.create(name, name, NodeType.Steps, wf.entrypoint(), "", null);
            root.finish(NodePhase.Error, e.getMessage());
            finish(root, Optional.empty());
          }
        });
  }

  private void begin(Map<String, String> overrides) {
    Inputs arguments = globals.begin(wf, name, startedAt, overrides);
    deadlines.begin(wf.activeDeadlineSeconds(), startedAt);
    Template t = template(Exprs.render(wf.entrypoint(), globals.vars(), true), "spec.entrypoint");
    CompletableFuture<Node> main = invoke(name, name, t, arguments, "", null, List.of());
    WorkflowHooks hooks = new WorkflowHooks(this);
    hooks.check(nodes.get(name), "Running");
    main.thenComposeAsync(
            root -> {
              globals.ended(
                  root.phase(), nodes.failuresJson(), Duration.between(startedAt, clock.instant()));
              return hooks.finish(root);
            },
            ctl)
        .thenComposeAsync(
            root -> {
              if (wf.onExit().isEmpty())
                return CompletableFuture.completedFuture(finish(root, Optional.empty()));
              deadlines.lift(); // the exit handler runs after spec.activeDeadlineSeconds too
              // (operator.go: nodes of the exit handler are exempt)
              return invoke(
                      name + ".onExit",
                      name + ".onExit",
                      wf.template(wf.onExit().get()),
                      Inputs.NONE,
                      "",
                      null,
                      List.of())
                  .thenApply(exit -> finish(root, Optional.of(exit)));
            },
            ctl)
        .whenComplete(
            (v, e) -> {
              if (e != null) done.completeExceptionally(e);
            });
  }

  /** Ends the run: the root's phase, unless the exit handler failed a run that succeeded. */
  private WorkflowStatus finish(Node root, Optional<Node> exit) {
    NodePhase phase =
        root.phase() == NodePhase.Error
            ? NodePhase.Error
            : root.phase() == NodePhase.Succeeded ? NodePhase.Succeeded : NodePhase.Failed;
    String message = root.message();
    if (exit.isPresent()
        && exit.get().failedOrError()
        && phase == NodePhase.Succeeded) { // operator.go: Failed stays Failed, else Error
      phase = exit.get().phase() == NodePhase.Failed ? NodePhase.Failed : NodePhase.Error;
      message = exit.get().message();
    }
    WorkflowStatus s =
        new WorkflowStatus(
            name,
            phase,
            message,
            startedAt,
            clock.instant(),
            nodes.snapshot(),
            globals.outputParameters(),
            globals.outputArtifacts(),
            artifactStore);
    done.complete(s);
    return s;
  }

  // ---- invoking a template ----

  Template template(String templateName, String field) {
    Template t = wf.template(templateName);
    if (t == null) throw new StepError(field + ": template '" + templateName + "' not found");
    return t;
  }

  /**
   * Runs a template as a new node: binds its inputs, then runs it (with its retries).
   *
   * @param linkFrom the nodes besides {@code parent} whose {@code children} list the new node
   */
  CompletableFuture<Node> invoke(
      String nodeName,
      String display,
      Template t,
      Inputs args,
      String boundaryId,
      Node parent,
      List<Node> linkFrom) {
    boolean retry = t.retryStrategy().isPresent();
    Node node =
        nodes.create(
            nodeName,
            display,
            retry ? NodeType.Retry : NodeType.of(t.kind()),
            t.name(),
            boundaryId,
            parent);
    Nodes.link(linkFrom, node, parent);
    int depth = templateDepth(parent) + 1;
    templateDepths.put(node.id(), depth);
    if (depth > MAX_TEMPLATE_DEPTH) { // A→A or A→B→A: Argo stops such recursion at the same depth
      node.finish(
          NodePhase.Error,
          "Maximum recursion depth exceeded: template '"
              + t.name()
              + "' is "
              + depth
              + " templates deep, over the limit of "
              + MAX_TEMPLATE_DEPTH);
      return CompletableFuture.completedFuture(node);
    }
    Inputs in;
    try {
      in = bindings.inputs(t, args);
    } catch (StepError | Exprs.Unresolved e) {
      node.finish(NodePhase.Error, e.getMessage());
      return CompletableFuture.completedFuture(node);
    }
    node.inputs(in.parameters(), List.copyOf(in.artifacts().values()));
    if (deadlines.passed()) {
      node.finish(NodePhase.Failed, Deadlines.MESSAGE);
      return CompletableFuture.completedFuture(node);
    }
    if (retry) return retries.start(node, t, in);
    return body(node, t, in, 0).thenApply(v -> node);
  }

  /** How deep templates may call templates, as Argo's controller allows (maxAllowedStackDepth). */
  static final int MAX_TEMPLATE_DEPTH = 100;

  /** Node id → how many templates deep it runs, for the nodes {@link #invoke} made. */
  private final java.util.concurrent.ConcurrentHashMap<String, Integer> templateDepths =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** The template depth of the nearest invoked node at or above {@code n}; 0 above the root. */
  private int templateDepth(Node n) {
    for (Node at = n; at != null; at = at.parentId() == null ? null : nodes.get(at.parentId())) {
      Integer d = templateDepths.get(at.id());
      if (d != null) return d;
    }
    return 0;
  }

  /** Runs a template's body in {@code node}; the node ends in Error if the template cannot run. */
  CompletableFuture<Void> body(Node node, Template t, Inputs in, int retries) {
    CompletableFuture<Void> f;
    try {
      f =
          switch (t.kind()) {
            case STEPS -> steps.run(node, t, in);
            case DAG -> dags.run(node, t, in);
            case SUSPEND -> leaves.suspend(node, t, in);
            default -> leaves.leaf(node, t, in, retries);
          };
    } catch (StepError | Exprs.Unresolved | IllegalArgumentException e) {
      node.finish(NodePhase.Error, e.getMessage());
      return CompletableFuture.completedFuture(null);
    }
    return f.exceptionally(
        e -> {
          if (!node.fulfilled())
            node.finish(
                NodePhase.Error,
                "internal error in weft: " + (e.getCause() != null ? e.getCause() : e));
          return null;
        });
  }
}
