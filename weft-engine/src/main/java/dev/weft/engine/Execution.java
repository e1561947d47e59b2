package dev.weft.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.weft.engine.Model.Arguments;
import dev.weft.engine.Model.Artifact;
import dev.weft.engine.Model.Kind;
import dev.weft.engine.Model.Param;
import dev.weft.engine.Model.RetryStrategy;
import dev.weft.engine.Model.Step;
import dev.weft.engine.Model.Template;
import dev.weft.engine.Model.Workflow;
import dev.weft.runtime.Limits;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * One run of a workflow. Every decision (creating nodes, evaluating {@code when} and
 * {@code depends}, resolving variables, phases) happens on one control thread, so the run's
 * state needs no locks; leaf templates run on the runner's worker pool and hop back when done.
 * Nothing blocks a thread while waiting: a 10,000-item loop is 10,000 small nodes and futures.
 */
final class Execution {
  static final String DEADLINE = "Step exceeded its deadline";
  private static final ObjectMapper JSON = new ObjectMapper();

  final Workflow wf;
  final String name;
  private final WorkflowRunner runner;
  private final Executor ctl;
  private final LeafRunner leaves;
  private final Map<String, String> globals = new HashMap<>();
  private final Map<String, ArtifactRef> globalArtifacts = new LinkedHashMap<>();
  private final Map<String, String> outputParameters = new LinkedHashMap<>();
  private final Map<String, ArtifactRef> outputArtifacts = new LinkedHashMap<>();
  final List<Node> nodes = Collections.synchronizedList(new ArrayList<>());
  private final Map<String, Node> byId = new ConcurrentHashMap<>();
  private final Limiter podLimiter;
  private final Instant startedAt = Instant.now();
  private volatile Instant deadlineAt;
  final CompletableFuture<WorkflowStatus> done = new CompletableFuture<>();

  /** A problem resolving a step or template; the node ends in Error with this message. */
  static final class StepError extends RuntimeException {
    StepError(String message) {
      super(message, null, false, false);
    }
  }

  /** Resolved inputs of one template invocation. */
  record Inputs(Map<String, String> parameters, Map<String, ArtifactRef> artifacts) {}

  /** Variables and artifacts visible inside a steps or DAG template. */
  private static final class Scope {
    final Map<String, String> vars = new HashMap<>();
    final Map<String, ArtifactRef> artifacts = new HashMap<>();
  }

  Execution(WorkflowRunner runner, Workflow wf, String name, Executor ctl, LeafRunner leaves) {
    this.runner = runner;
    this.wf = wf;
    this.name = name;
    this.ctl = ctl;
    this.leaves = leaves;
    this.podLimiter = wf.parallelism().map(n -> new Limiter(n, ctl)).orElse(null);
  }

  // ---- the workflow ----

  void start(Map<String, String> parameters) {
    ctl.execute(() -> {
      try {
        begin(parameters);
      } catch (RuntimeException e) {
        Node root = node(name, name, "Steps", wf.entrypoint(), "", null);
        root.finish("Error", e.getMessage());
        finish(root, Optional.empty());
      }
    });
  }

  private void begin(Map<String, String> overrides) {
    globals.put("workflow.name", name);
    globals.put("workflow.namespace", "default");
    globals.put("workflow.uid", java.util.UUID.randomUUID().toString());
    globals.put("workflow.creationTimestamp", startedAt.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
    wf.labels().forEach((k, v) -> globals.put("workflow.labels." + k, v));
    wf.annotations().forEach((k, v) -> globals.put("workflow.annotations." + k, v));
    Map<String, String> params = new LinkedHashMap<>();
    for (Param p : wf.arguments().parameters()) {
      Optional<String> v = p.value().or(p::defaultValue);
      if (v.isPresent()) params.put(p.name(), v.get());
    }
    params.putAll(overrides);
    for (Param p : wf.arguments().parameters()) {
      if (!params.containsKey(p.name())) throw new StepError("spec.arguments.parameters." + p.name() + " has no value (give it with -p " + p.name() + "=VALUE)");
      if (!p.enumValues().isEmpty() && !p.enumValues().contains(params.get(p.name()))) {
        throw new StepError("spec.arguments.parameters." + p.name() + ": value '" + params.get(p.name()) + "' is not one of " + p.enumValues());
      }
    }
    ArrayNode pj = JSON.createArrayNode();
    params.forEach((k, v) -> {
      String rendered = Exprs.render(v, globals, false);
      globals.put("workflow.parameters." + k, rendered);
      params.put(k, rendered);
      pj.addObject().put("name", k).put("value", rendered);
    });
    globals.put("workflow.parameters.json", pj.toString());
    Map<String, ArtifactRef> arts = new LinkedHashMap<>();
    for (Artifact a : wf.arguments().artifacts()) {
      if (a.raw().isPresent()) arts.put(a.name(), new ArtifactRef(a.name(), a.path(), Optional.empty(), Model.Archive.NONE, a.raw()));
      else throw new StepError("spec.arguments.artifacts." + a.name() + ": only raw artifacts can be workflow arguments in weft run");
    }
    wf.activeDeadlineSeconds().ifPresent(s -> {
      long secs = parseSeconds(s, "spec.activeDeadlineSeconds");
      deadlineAt = startedAt.plusSeconds(secs);
    });
    String entry = Exprs.render(wf.entrypoint(), globals, true);
    Template t = template(entry, "spec.entrypoint");
    invoke(name, name, t, new Inputs(params, arts), "", null).thenComposeAsync(root -> {
      if (wf.onExit().isEmpty()) return CompletableFuture.completedFuture(finishPair(root, null));
      globals.put("workflow.status", root.phase());
      globals.put("workflow.failures", failures());
      globals.put("workflow.duration", String.valueOf(Duration.between(startedAt, Instant.now()).toMillis() / 1000.0));
      return invoke(name + ".onExit", name + ".onExit", wf.template(wf.onExit().get()), new Inputs(Map.of(), Map.of()), "", null)
          .thenApply(exit -> finishPair(root, exit));
    }, ctl).whenComplete((v, e) -> {
      if (e != null) done.completeExceptionally(e);
    });
  }

  private Object finishPair(Node root, Node exit) {
    finish(root, Optional.ofNullable(exit));
    return null;
  }

  private void finish(Node root, Optional<Node> exit) {
    String phase = root.phase().equals("Error") ? "Error" : root.phase().equals("Succeeded") ? "Succeeded" : "Failed";
    String message = root.message();
    if (exit.isPresent() && exit.get().failedOrError() && phase.equals("Succeeded")) {
      phase = "Failed";
      message = exit.get().message();
    }
    done.complete(new WorkflowStatus(name, phase, message, startedAt, Instant.now(), new ArrayList<>(nodes), outputParameters, outputArtifacts,
        runner.storeDescription()));
  }

  private String failures() {
    ArrayNode a = JSON.createArrayNode();
    synchronized (nodes) {
      for (Node n : nodes) {
        if (!n.failedOrError() || n.type.equals("Steps") || n.type.equals("DAG") || n.type.equals("StepGroup") || n.type.equals("TaskGroup")
            || n.type.equals("Retry")) continue;
        a.addObject().put("displayName", n.displayName).put("message", n.message()).put("templateName", n.templateName).put("phase", n.phase())
            .put("podName", n.id).put("finishedAt", n.finishedAt().map(Instant::toString).orElse(""));
      }
    }
    return a.toString();
  }

  // ---- nodes ----

  private Node node(String nodeName, String display, String type, String template, String boundaryId, Node parent) {
    String id = parent == null && nodeName.equals(name) ? name : nodeId(name, nodeName);
    Node n = new Node(id, nodeName, display, type, template, boundaryId, parent == null ? "" : parent.id);
    byId.put(id, n);
    nodes.add(n);
    if (parent != null) parent.addChild(id);
    return n;
  }

  /** Argo's node id: the workflow name and the FNV-1a hash of the node name. */
  static String nodeId(String workflow, String nodeName) {
    int h = 0x811c9dc5;
    for (byte b : nodeName.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
      h ^= (b & 0xff);
      h *= 0x01000193;
    }
    return workflow + "-" + Integer.toUnsignedString(h);
  }

  /**
   * The type of a node that ends in Error before it runs (its arguments could not be resolved): the
   * type its template would have given it, so type and phase agree (a Skipped node is never Error).
   */
  private String typeBefore(String template) {
    Template t = wf.templates().get(template);
    return t != null ? typeOf(t) : "Pod";
  }

  private static String typeOf(Template t) {
    return switch (t.kind()) {
      case STEPS -> "Steps";
      case DAG -> "DAG";
      case SUSPEND -> "Suspend";
      case PLUGIN -> "Plugin";
      case CONTAINER, SCRIPT -> "Pod";
    };
  }

  private Template template(String templateName, String field) {
    Template t = wf.template(templateName);
    if (t == null) throw new StepError(field + ": template '" + templateName + "' not found");
    return t;
  }

  private boolean deadlinePassed() {
    return deadlineAt != null && Instant.now().isAfter(deadlineAt);
  }

  // ---- invoking a template (with its retries) ----

  private CompletableFuture<Node> invoke(String nodeName, String display, Template t, Inputs args, String boundaryId, Node parent) {
    return invoke(nodeName, display, t, args, boundaryId, parent, List.of());
  }

  private CompletableFuture<Node> invoke(String nodeName, String display, Template t, Inputs args, String boundaryId, Node parent,
      List<Node> linkFrom) {
    boolean retry = t.retryStrategy().isPresent();
    Node node = node(nodeName, display, retry ? "Retry" : typeOf(t), t.name(), boundaryId, parent);
    link(linkFrom, node, parent);
    Inputs in;
    try {
      in = resolveInputs(t, args);
    } catch (StepError | Exprs.Unresolved e) {
      node.finish("Error", e.getMessage());
      return CompletableFuture.completedFuture(node);
    }
    node.inputs(in.parameters(), List.copyOf(in.artifacts().values()));
    if (deadlinePassed()) {
      node.finish("Failed", DEADLINE);
      return CompletableFuture.completedFuture(node);
    }
    if (!retry) return body(node, t, in, 0).thenApply(v -> node);
    node.running();
    return attempt(node, t, in, 0, Instant.now());
  }

  private CompletableFuture<Node> attempt(Node retryNode, Template t, Inputs in, int n, Instant firstStart) {
    Node child = node(retryNode.name + "(" + n + ")", retryNode.displayName + "(" + n + ")", typeOf(t), t.name(), retryNode.boundaryId, retryNode);
    child.inputs(in.parameters(), List.copyOf(in.artifacts().values()));
    return body(child, t, in, n).thenComposeAsync(v -> {
      retryNode.outputs(child.outputs());
      if (child.phase().equals("Succeeded")) {
        retryNode.finish("Succeeded", child.message());
        return CompletableFuture.completedFuture(retryNode);
      }
      RetryStrategy rs = t.retryStrategy().get();
      Map<String, String> vars = localVars(in, retryNode, n);
      boolean retryable = switch (rs.retryPolicy()) {
        case "Always" -> child.failedOrError();
        case "OnError" -> child.phase().equals("Error");
        case "OnTransientError" -> child.phase().equals("Error") && isTransient(child.message());
        default -> child.phase().equals("Failed");
      };
      if (!retryable || deadlinePassed()) {
        retryNode.finish(child.phase(), child.message());
        return CompletableFuture.completedFuture(retryNode);
      }
      long limit;
      try {
        limit = rs.limit().map(l -> parseLong(Exprs.render(l, vars, true), "retryStrategy.limit")).orElse(Long.MAX_VALUE);
      } catch (StepError | Exprs.Unresolved e) {
        retryNode.finish("Error", e.getMessage());
        return CompletableFuture.completedFuture(retryNode);
      }
      if (n >= limit) {
        retryNode.finish(child.phase(), "No more retries left");
        return CompletableFuture.completedFuture(retryNode);
      }
      if (rs.expression().isPresent()) {
        Map<String, String> ev = new HashMap<>(vars);
        ev.put("lastRetry.status", child.phase());
        ev.put("lastRetry.exitCode", child.outputs().exitCode().orElse("-1"));
        ev.put("lastRetry.message", child.message());
        ev.put("lastRetry.duration", String.valueOf(Duration.between(child.startedAt().orElse(Instant.now()), child.finishedAt().orElse(Instant.now())).toSeconds()));
        Object r;
        try {
          r = Exprs.evaluate(rs.expression().get(), ev);
        } catch (RuntimeException e) {
          retryNode.finish("Error", "retryStrategy.expression: " + e.getMessage());
          return CompletableFuture.completedFuture(retryNode);
        }
        if (!Boolean.TRUE.equals(r) && !"true".equals(String.valueOf(r))) {
          retryNode.finish(child.phase(), "retryStrategy.expression evaluated to false");
          return CompletableFuture.completedFuture(retryNode);
        }
      }
      Duration delay = Duration.ZERO;
      try {
        if (rs.backoffDuration().isPresent()) {
          Duration base = Limits.parseDuration("retryStrategy.backoff.duration", Exprs.render(rs.backoffDuration().get(), vars, true));
          double factor = rs.backoffFactor().map(f -> Double.parseDouble(Exprs.render(f, vars, true))).orElse(1.0);
          delay = Duration.ofNanos((long) (base.toNanos() * Math.pow(factor, n)));
        }
        if (rs.backoffMaxDuration().isPresent()) {
          Duration max = Limits.parseDuration("retryStrategy.backoff.maxDuration", Exprs.render(rs.backoffMaxDuration().get(), vars, true));
          if (Duration.between(firstStart, Instant.now()).plus(delay).compareTo(max) > 0) {
            retryNode.finish(child.phase(), "Max duration limit exceeded");
            return CompletableFuture.completedFuture(retryNode);
          }
        }
      } catch (IllegalArgumentException | Exprs.Unresolved e) {
        retryNode.finish("Error", e.getMessage());
        return CompletableFuture.completedFuture(retryNode);
      }
      Executor later = delay.isZero() ? ctl : CompletableFuture.delayedExecutor(delay.toNanos(), TimeUnit.NANOSECONDS, ctl);
      return CompletableFuture.supplyAsync(() -> null, later).thenComposeAsync(x -> attempt(retryNode, t, in, n + 1, firstStart), ctl);
    }, ctl);
  }

  private static boolean isTransient(String message) {
    String m = message.toLowerCase(java.util.Locale.ROOT);
    return m.contains("connection refused") || m.contains("timeout") || m.contains("temporarily") || m.contains("transient");
  }

  private Inputs resolveInputs(Template t, Inputs args) {
    Map<String, String> params = new LinkedHashMap<>();
    for (Param p : t.inputs().parameters()) {
      String v = args.parameters().get(p.name());
      if (v == null) v = p.value().map(x -> Exprs.render(x, globals, false)).orElse(null);
      if (v == null) v = p.defaultValue().orElse(null);
      if (v == null) throw new StepError("inputs.parameters." + p.name() + " was not supplied");
      if (!p.enumValues().isEmpty() && !p.enumValues().contains(v)) {
        throw new StepError("inputs.parameters." + p.name() + ": value '" + v + "' is not one of " + p.enumValues());
      }
      params.put(p.name(), v);
    }
    Map<String, ArtifactRef> arts = new LinkedHashMap<>();
    for (Artifact a : t.inputs().artifacts()) {
      ArtifactRef ref = args.artifacts().get(a.name());
      if (ref == null && a.raw().isPresent()) ref = new ArtifactRef(a.name(), a.path(), Optional.empty(), Model.Archive.NONE, a.raw());
      if (ref == null && a.from().isPresent()) ref = lookupArtifact(a.from().get(), Map.of());
      if (ref == null) {
        if (a.optional()) continue;
        throw new StepError("inputs.artifacts." + a.name() + " was not supplied");
      }
      arts.put(a.name(), ref.renamed(a.name(), a.path().or(ref::path)));
    }
    return new Inputs(params, arts);
  }

  private Map<String, String> localVars(Inputs in, Node node, int retries) {
    Map<String, String> vars = new HashMap<>(globals);
    ArrayNode all = JSON.createArrayNode();
    in.parameters().forEach((k, v) -> {
      vars.put("inputs.parameters." + k, v);
      all.addObject().put("name", k).put("value", v);
    });
    vars.put("inputs.parameters", all.toString());
    in.artifacts().forEach((k, a) -> a.path().ifPresent(p -> vars.put("inputs.artifacts." + k + ".path", p)));
    vars.put("node.name", node.name);
    vars.put("retries", String.valueOf(retries));
    return vars;
  }

  private CompletableFuture<Void> body(Node node, Template t, Inputs in, int retries) {
    CompletableFuture<Void> f;
    try {
      f = switch (t.kind()) {
        case STEPS -> steps(node, t, in);
        case DAG -> dag(node, t, in);
        case SUSPEND -> suspend(node, t, in);
        default -> leaf(node, t, in, retries);
      };
    } catch (StepError | Exprs.Unresolved | IllegalArgumentException e) {
      node.finish("Error", e.getMessage());
      return CompletableFuture.completedFuture(null);
    }
    return f.exceptionally(e -> {
      if (!node.fulfilled()) node.finish("Error", "internal error in weft: " + (e.getCause() != null ? e.getCause() : e));
      return null;
    });
  }

  // ---- leaves ----

  private CompletableFuture<Void> leaf(Node node, Template t, Inputs in, int retries) {
    Map<String, String> vars = localVars(in, node, retries);
    JsonNode body = t.wasm().map(w -> renderJson(w, vars)).orElse(JSON.nullNode());
    Optional<Duration> deadline = Optional.empty();
    if (t.timeout().isPresent()) deadline = Optional.of(Limits.parseDuration("timeout", Exprs.render(t.timeout().get(), vars, true)));
    if (t.activeDeadlineSeconds().isPresent()) {
      Duration d = Duration.ofSeconds(parseSeconds(Exprs.render(t.activeDeadlineSeconds().get(), vars, true), "activeDeadlineSeconds"));
      deadline = Optional.of(deadline.map(x -> x.compareTo(d) < 0 ? x : d).orElse(d));
    }
    Optional<Duration> stepDeadline = deadline;
    return Limiter.run(podLimiter, () -> {
      if (deadlinePassed()) {
        node.finish("Failed", DEADLINE);
        return CompletableFuture.completedFuture(null);
      }
      Optional<Duration> limit = stepDeadline;
      if (deadlineAt != null) {
        Duration left = Duration.between(Instant.now(), deadlineAt);
        limit = Optional.of(limit.map(x -> x.compareTo(left) < 0 ? x : left).orElse(left));
      }
      node.running();
      Optional<Duration> finalLimit = limit;
      return CompletableFuture.supplyAsync(() -> leaves.run(this, node, t, body, in, finalLimit), runner.workers()).thenAcceptAsync(r -> {
        node.outputs(r.outputs());
        exportGlobals(t, r.outputs());
        node.finish(r.phase(), r.message());
      }, ctl);
    });
  }

  private JsonNode renderJson(JsonNode n, Map<String, String> vars) {
    if (n.isTextual()) return TextNode.valueOf(Exprs.render(n.asText(), vars, true));
    if (n.isObject()) {
      ObjectNode o = JSON.createObjectNode();
      for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        o.set(e.getKey(), renderJson(e.getValue(), vars));
      }
      return o;
    }
    if (n.isArray()) {
      ArrayNode a = JSON.createArrayNode();
      n.forEach(x -> a.add(renderJson(x, vars)));
      return a;
    }
    return n;
  }

  private void exportGlobals(Template t, Node.Outputs o) {
    for (Param p : t.outputs().parameters()) {
      if (p.globalName().isPresent() && o.parameters().containsKey(p.name())) {
        outputParameters.put(p.globalName().get(), o.parameters().get(p.name()));
        globals.put("workflow.outputs.parameters." + p.globalName().get(), o.parameters().get(p.name()));
      }
    }
    for (Artifact a : t.outputs().artifacts()) {
      if (a.globalName().isEmpty()) continue;
      o.artifacts().stream().filter(x -> x.name().equals(a.name())).findFirst().ifPresent(ref -> {
        outputArtifacts.put(a.globalName().get(), ref);
        globalArtifacts.put("workflow.outputs.artifacts." + a.globalName().get(), ref);
      });
    }
  }

  private CompletableFuture<Void> suspend(Node node, Template t, Inputs in) {
    Map<String, String> vars = localVars(in, node, 0);
    Duration d = Limits.parseDuration("suspend.duration", Exprs.render(t.suspendDuration().get(), vars, true));
    boolean cut = false;
    if (deadlineAt != null) {
      Duration left = Duration.between(Instant.now(), deadlineAt);
      if (left.compareTo(d) < 0) {
        d = left.isNegative() ? Duration.ZERO : left;
        cut = true;
      }
    }
    node.running();
    boolean deadline = cut;
    return CompletableFuture.runAsync(() -> {
      if (deadline) node.finish("Failed", DEADLINE);
      else node.finish("Succeeded", "");
    }, CompletableFuture.delayedExecutor(d.toNanos(), TimeUnit.NANOSECONDS, ctl));
  }

  // ---- steps ----

  /** A step after loop expansion: its node's name and display name and its loop variables. */
  private record Expanded(Step step, String nodeName, String display, Map<String, String> itemVars) {}

  private CompletableFuture<Void> steps(Node node, Template t, Inputs in) {
    node.running();
    Scope scope = scope(in, node);
    Limiter lim = t.parallelism().map(p -> new Limiter((int) parseLong(Exprs.render(p, scope.vars, true), "parallelism"), ctl)).orElse(null);
    return group(node, t, scope, lim, 0, null);
  }

  private Scope scope(Inputs in, Node node) {
    Scope s = new Scope();
    s.vars.putAll(localVars(in, node, 0));
    in.artifacts().forEach((k, a) -> s.artifacts.put("inputs.artifacts." + k, a));
    return s;
  }

  private CompletableFuture<Void> group(Node node, Template t, Scope scope, Limiter lim, int i, Node previous) {
    if (i == t.steps().size()) {
      finishComposite(node, t, scope);
      return CompletableFuture.completedFuture(null);
    }
    Node g = node(node.name + "[" + i + "]", "[" + i + "]", "StepGroup", t.name(), node.id, node);
    if (previous != null) { // as Argo links them: a group hangs off the previous group's outbound nodes
      node.removeChild(g.id);
      List<String> prev = previous.children();
      if (prev.isEmpty()) previous.addChild(g.id);
      for (String c : prev) for (Node o : outbound(byId.get(c))) o.addChild(g.id);
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
        expanded = expand(s, g.name + "." + s.name(), s.name(), scope.vars);
      } catch (StepError | Exprs.Unresolved | IllegalArgumentException e) {
        Node bad = node(g.name + "." + s.name(), s.name(), typeBefore(s.template()), s.template(), node.id, g);
        bad.finish("Error", e.getMessage());
        g.finish("Error", e.getMessage());
        node.finish("Failed", e.getMessage());
        return CompletableFuture.completedFuture(null);
      }
      if (expanded.isEmpty()) {
        Node skipped = node(g.name + "." + s.name(), s.name(), "Skipped", s.template(), node.id, g);
        skipped.finish("Skipped", "Skipped, empty params");
        continue;
      }
      for (Expanded e : expanded) {
        CompletableFuture<Node> f = Limiter.run(lim, () -> {
          if (failFast && failed[0]) return CompletableFuture.completedFuture(null);
          return runStep(e, scope, node.id, g, List.of(g), "steps");
        }).thenApply(n -> {
          if (n != null && n.failedOrError() && !continues(s, n)) failed[0] = true;
          return n;
        });
        mine.add(f);
        futures.add(f);
      }
    }
    return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).thenComposeAsync(v -> {
      Map<String, List<Node>> done = new LinkedHashMap<>();
      for (Step s : steps) {
        List<Node> ns = new ArrayList<>();
        for (CompletableFuture<Node> f : byStep.get(s.name())) if (f.join() != null) ns.add(f.join());
        done.put(s.name(), ns);
        for (Node n : ns) {
          if (n.failedOrError() && !continues(s, n)) {
            String msg = "child '" + n.id + "' failed";
            g.finish("Failed", msg);
            node.finish("Failed", msg);
            return CompletableFuture.completedFuture(null);
          }
        }
      }
      g.finish("Succeeded", "");
      for (Step s : steps) publish(scope, "steps", s, done.get(s.name()));
      return group(node, t, scope, lim, i + 1, g);
    }, ctl);
  }

  /** The nodes a later step group hangs off (Argo's outbound nodes). */
  private List<Node> outbound(Node n) {
    List<String> kids = n.children();
    switch (n.type) {
      case "Retry", "TaskGroup", "StepGroup" -> {
        if (kids.isEmpty()) return List.of(n);
        if (n.type.equals("Retry")) return outbound(byId.get(kids.get(kids.size() - 1)));
        List<Node> out = new ArrayList<>();
        for (String k : kids) {
          Node c = byId.get(k);
          if (c.boundaryId.equals(n.boundaryId) || n.type.equals("Retry")) out.addAll(outbound(c));
        }
        return out.isEmpty() ? List.of(n) : out;
      }
      case "Steps", "DAG" -> {
        List<Node> out = new ArrayList<>();
        synchronized (nodes) {
          for (Node c : nodes) {
            if (!c.boundaryId.equals(n.id) || c.type.equals("StepGroup")) continue;
            boolean last = c.children().stream().map(byId::get).noneMatch(x -> x != null && x.boundaryId.equals(n.id));
            if (last && !c.name.endsWith(".onExit")) out.add(c);
          }
        }
        List<Node> flat = new ArrayList<>();
        for (Node c : out) flat.addAll(c.type.equals("TaskGroup") || c.type.equals("Retry") ? outbound(c) : List.of(c));
        return flat.isEmpty() ? List.of(n) : flat;
      }
      default -> {
        return List.of(n);
      }
    }
  }

  private static boolean continues(Step s, Node n) {
    return continues(s, n.phase());
  }

  private static boolean continues(Step s, String phase) {
    return (phase.equals("Failed") && s.continueOnFailed()) || (phase.equals("Error") && s.continueOnError());
  }

  /** Expands a step's loop; a step without one expands to itself. */
  private List<Expanded> expand(Step s, String nodeName, String display, Map<String, String> vars) {
    if (s.loop().isEmpty()) return List.of(new Expanded(s, nodeName, display, Map.of()));
    List<JsonNode> items = Loops.items(s.loop().get(), vars);
    List<Expanded> out = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      JsonNode item = items.get(i);
      String label = Loops.nodeLabel(item).replace("(", "").replace(")", "");
      out.add(new Expanded(s, nodeName + "(" + i + ":" + label + ")", display + "(" + i + ":" + label + ")", Loops.vars(item)));
    }
    return out;
  }

  /**
   * Runs one (expanded) step or task: {@code when}, arguments, the template, then its exit hook.
   *
   * @param linkFrom the nodes whose {@code children} list this node
   */
  private CompletableFuture<Node> runStep(Expanded e, Scope scope, String boundaryId, Node parent, List<Node> linkFrom, String prefix) {
    Step s = e.step();
    Map<String, String> vars = merged(scope.vars, e.itemVars());
    vars.putAll(globals); // global outputs exported since the scope was made
    Template target;
    Inputs args;
    try {
      if (s.when().isPresent()) {
        String when = Exprs.render(s.when().get(), vars, true);
        if (!Exprs.when(when)) {
          Node skipped = node(e.nodeName(), e.display(), "Skipped", s.template(), boundaryId, parent);
          link(linkFrom, skipped, parent);
          skipped.finish("Skipped", "when '" + when + "' evaluated false");
          return CompletableFuture.completedFuture(skipped);
        }
      }
      target = template(Exprs.render(s.template(), vars, true), "step '" + s.name() + "'.template");
      args = arguments(s.arguments(), vars, scope.artifacts, target);
    } catch (StepError | Exprs.Unresolved | IllegalArgumentException ex) {
      Node bad = node(e.nodeName(), e.display(), typeBefore(s.template()), s.template(), boundaryId, parent);
      link(linkFrom, bad, parent);
      bad.finish("Error", ex.getMessage());
      return CompletableFuture.completedFuture(bad);
    }
    CompletableFuture<Node> f = invoke(e.nodeName(), e.display(), target, args, boundaryId, parent, linkFrom);
    if (s.exitHook().isEmpty()) return f;
    return f.thenComposeAsync(n -> {
      if (!n.completed()) return CompletableFuture.completedFuture(n);
      Map<String, String> hv = new HashMap<>(vars);
      Map<String, ArtifactRef> ha = new HashMap<>(scope.artifacts);
      Scope own = new Scope();
      publish(own, prefix, s, List.of(n));
      hv.putAll(own.vars);
      ha.putAll(own.artifacts);
      hv.put("workflow.status", n.phase());
      Template hook;
      Inputs hookArgs;
      try {
        hook = template(s.exitHook().get().template(), "hooks.exit.template");
        hookArgs = arguments(s.exitHook().get().arguments(), hv, ha, hook);
      } catch (StepError | Exprs.Unresolved ex) {
        Node bad = node(n.name + ".onExit", n.displayName + ".onExit", typeBefore(s.exitHook().get().template()), s.exitHook().get().template(), boundaryId, n);
        bad.finish("Error", ex.getMessage());
        return CompletableFuture.completedFuture(n);
      }
      return invoke(n.name + ".onExit", n.displayName + ".onExit", hook, hookArgs, boundaryId, n).thenApply(x -> n);
    }, ctl);
  }

  private static void link(List<Node> from, Node child, Node parent) {
    for (Node f : from) if (f != parent) f.addChild(child.id);
  }

  private static Map<String, String> merged(Map<String, String> a, Map<String, String> b) {
    Map<String, String> m = new HashMap<>(a);
    m.putAll(b);
    return m;
  }

  /** A step's arguments, resolved: a reference to an output that does not exist leaves the input to its default. */
  private Inputs arguments(Arguments a, Map<String, String> vars, Map<String, ArtifactRef> arts, Template target) {
    Map<String, String> params = new LinkedHashMap<>();
    for (Param p : a.parameters()) {
      String raw = p.value().orElse(null);
      if (raw == null) raw = p.valueFrom().flatMap(Model.ValueFrom::expression).map(x -> "{{=" + x + "}}").orElse(null);
      if (raw == null) continue;
      try {
        params.put(p.name(), Exprs.render(raw, vars, true));
      } catch (Exprs.Unresolved e) {
        boolean pureRef = raw.trim().startsWith("{{") && raw.trim().endsWith("}}") && raw.trim().indexOf("{{", 2) < 0;
        boolean hasDefault = target.inputs().parameters().stream().anyMatch(x -> x.name().equals(p.name()) && x.defaultValue().isPresent());
        if (!(pureRef && hasDefault)) throw e;
      }
    }
    Map<String, ArtifactRef> out = new LinkedHashMap<>();
    for (Artifact x : a.artifacts()) {
      if (x.from().isPresent()) {
        ArtifactRef ref = lookupArtifact(Exprs.render(x.from().get(), vars, false), arts);
        if (ref == null) {
          if (x.optional()) continue;
          throw new StepError("Unable to resolve: " + x.from().get());
        }
        out.put(x.name(), ref.renamed(x.name(), x.path()));
      } else if (x.raw().isPresent()) {
        out.put(x.name(), new ArtifactRef(x.name(), x.path(), Optional.empty(), Model.Archive.NONE, Optional.of(Exprs.render(x.raw().get(), vars, true))));
      } else {
        throw new StepError("arguments.artifacts." + x.name() + " needs from or raw in weft run");
      }
    }
    return new Inputs(params, out);
  }

  private ArtifactRef lookupArtifact(String from, Map<String, ArtifactRef> arts) {
    String key = from.trim();
    if (key.startsWith("{{") && key.endsWith("}}")) key = key.substring(2, key.length() - 2).trim();
    ArtifactRef r = arts.get(key);
    return r != null ? r : globalArtifacts.get(key);
  }

  /** Makes a finished step's (or loop's) outputs visible as {@code steps.NAME.…} / {@code tasks.NAME.…}. */
  private void publish(Scope scope, String prefix, Step s, List<Node> ns) {
    String p = prefix + "." + s.name();
    if (ns == null || ns.isEmpty()) return;
    if (s.loop().isEmpty()) {
      Node n = ns.get(0);
      scope.vars.put(p + ".id", n.id);
      scope.vars.put(p + ".status", n.phase());
      n.startedAt().ifPresent(x -> scope.vars.put(p + ".startedAt", x.toString()));
      n.finishedAt().ifPresent(x -> scope.vars.put(p + ".finishedAt", x.toString()));
      if (n.phase().equals("Skipped") || n.phase().equals("Omitted")) return;
      Node.Outputs o = n.outputs();
      o.result().ifPresent(r -> scope.vars.put(p + ".outputs.result", r));
      o.exitCode().ifPresent(r -> scope.vars.put(p + ".outputs.exitCode", r));
      o.parameters().forEach((k, v) -> scope.vars.put(p + ".outputs.parameters." + k, v));
      for (ArtifactRef a : o.artifacts()) scope.artifacts.put(p + ".outputs.artifacts." + a.name(), a);
      return;
    }
    ArrayNode maps = JSON.createArrayNode();
    ArrayNode results = JSON.createArrayNode();
    Map<String, ArrayNode> perParam = new LinkedHashMap<>();
    for (Node n : ns) {
      if (n.type.equals("Skipped")) continue;
      Node.Outputs o = n.outputs();
      if (!o.parameters().isEmpty()) {
        ObjectNode m = maps.addObject();
        o.parameters().forEach((k, v) -> {
          m.put(k, v);
          perParam.computeIfAbsent(k, x -> JSON.createArrayNode()).add(v);
        });
      }
      o.result().ifPresent(r -> results.add(parseOrText(r)));
    }
    scope.vars.put(p + ".outputs.parameters", maps.toString());
    perParam.forEach((k, v) -> scope.vars.put(p + ".outputs.parameters." + k, v.toString()));
    if (!results.isEmpty()) scope.vars.put(p + ".outputs.result", results.toString());
  }

  private static JsonNode parseOrText(String s) {
    try {
      JsonNode n = JSON.readTree(s);
      if (n != null && (n.isObject() || n.isArray() || n.isNumber() || n.isBoolean())) return n;
    } catch (java.io.IOException e) {
      // not JSON: kept as text
    }
    return TextNode.valueOf(s);
  }

  /** A steps or DAG template's own outputs, from its children's ({@code valueFrom.parameter}, {@code from}). */
  private void finishComposite(Node node, Template t, Scope scope) {
    Map<String, String> params = new LinkedHashMap<>();
    List<ArtifactRef> arts = new ArrayList<>();
    try {
      for (Param p : t.outputs().parameters()) {
        Optional<String> v = Optional.empty();
        try {
          if (p.valueFrom().flatMap(Model.ValueFrom::parameter).isPresent()) {
            v = Optional.of(Exprs.render(p.valueFrom().get().parameter().get(), scope.vars, true));
          } else if (p.valueFrom().flatMap(Model.ValueFrom::expression).isPresent()) {
            v = Optional.of(Exprs.render("{{=" + p.valueFrom().get().expression().get() + "}}", scope.vars, true));
          } else if (p.value().isPresent()) {
            v = Optional.of(Exprs.render(p.value().get(), scope.vars, true));
          }
        } catch (Exprs.Unresolved e) {
          v = p.valueFrom().flatMap(Model.ValueFrom::defaultValue);
          if (v.isEmpty()) throw e;
        }
        if (v.isEmpty()) v = p.valueFrom().flatMap(Model.ValueFrom::defaultValue);
        if (v.isEmpty()) throw new StepError("outputs.parameters." + p.name() + " has no value (give valueFrom.parameter, expression or default)");
        params.put(p.name(), v.get());
      }
      for (Artifact a : t.outputs().artifacts()) {
        if (a.from().isEmpty()) throw new StepError("outputs.artifacts." + a.name() + ": a " + typeOf(t) + " template's output artifact needs from");
        ArtifactRef ref = lookupArtifact(Exprs.render(a.from().get(), scope.vars, false), scope.artifacts);
        if (ref == null) {
          if (a.optional()) continue;
          throw new StepError("Unable to resolve: " + a.from().get());
        }
        arts.add(ref.renamed(a.name(), a.path().or(ref::path)));
      }
    } catch (StepError | Exprs.Unresolved | IllegalArgumentException e) {
      node.finish("Error", e.getMessage());
      return;
    }
    Node.Outputs o = new Node.Outputs(params, Optional.empty(), Optional.empty(), arts);
    node.outputs(o);
    exportGlobals(t, o);
    node.finish("Succeeded", "");
  }

  // ---- DAG ----

  private final class DagRun {
    final Node node;
    final Template t;
    final Scope scope;
    final Limiter lim;
    final Map<String, Step> tasks = new LinkedHashMap<>();
    final Map<String, Depends.Expr> deps = new HashMap<>();
    final Map<String, CompletableFuture<Node>> futures = new HashMap<>();
    final Map<String, Node> taskNodes = new HashMap<>();
    final Map<String, List<Node>> loopChildren = new HashMap<>();
    final Set<String> handled = new java.util.HashSet<>();
    final boolean failFast;
    boolean stopped;

    DagRun(Node node, Template t, Scope scope, Limiter lim) {
      this.node = node;
      this.t = t;
      this.scope = scope;
      this.lim = lim;
      this.failFast = t.dag().get().failFast().or(t::failFast).orElse(true);
      for (Step s : t.dag().get().tasks()) {
        tasks.put(s.name(), s);
        Depends.Expr e = s.depends().map(Depends::parse).orElse(s.dependencies().isEmpty() ? null : Depends.fromDependencies(s.dependencies()));
        if (e != null) deps.put(s.name(), e);
        s.depends().ifPresent(d -> {
          for (String part : d.split("[^A-Za-z0-9_.-]+")) {
            int dot = part.lastIndexOf('.');
            if (dot > 0 && Set.of("Failed", "Errored", "AllFailed").contains(part.substring(dot + 1))) handled.add(part.substring(0, dot));
          }
        });
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
      f = CompletableFuture.allOf(before.toArray(CompletableFuture[]::new)).thenComposeAsync(v -> start(task), ctl);
      futures.put(task, f);
      return f;
    }

    boolean holds(String task, String result) {
      Node n = taskNodes.get(task);
      if (n == null) return false;
      Step s = tasks.get(task);
      String ph = n.phase();
      return switch (result) {
        case "Succeeded" -> ph.equals("Succeeded");
        case "Failed" -> ph.equals("Failed");
        case "Errored" -> ph.equals("Error");
        case "Skipped" -> ph.equals("Skipped");
        case "Omitted" -> ph.equals("Omitted");
        case "Daemoned" -> false;
        case "AnySucceeded" -> loopChildren.getOrDefault(task, List.of()).stream().anyMatch(c -> c.phase().equals("Succeeded"));
        case "AllFailed" -> {
          List<Node> cs = loopChildren.getOrDefault(task, List.of());
          yield !cs.isEmpty() && cs.stream().allMatch(c -> c.phase().equals("Failed"));
        }
        default -> ph.equals("Succeeded") || ph.equals("Skipped") || (ph.equals("Failed") && s.continueOnFailed())
            || (ph.equals("Error") && s.continueOnError());
      };
    }

    CompletableFuture<Node> start(String task) {
      if (stopped) return CompletableFuture.completedFuture(null);
      Step s = tasks.get(task);
      String nodeName = node.name + "." + task;
      List<Node> linkFrom = new ArrayList<>();
      for (String d : depsOf(task)) if (taskNodes.get(d) != null) linkFrom.add(taskNodes.get(d));
      if (linkFrom.isEmpty()) linkFrom.add(node);
      Depends.Expr e = deps.get(task);
      if (e != null && !Depends.evaluate(e, this::holds)) {
        Node omitted = node(nodeName, task, "Skipped", s.template(), node.id, node);
        link(linkFrom, omitted, node);
        omitted.finish("Omitted", "omitted: depends condition not met");
        return CompletableFuture.completedFuture(done(task, omitted, List.of()));
      }
      if (s.loop().isEmpty()) {
        return Limiter.run(lim, () -> runStep(new Expanded(s, nodeName, task, Map.of()), scope, node.id, node, linkFrom, "tasks"))
            .thenApplyAsync(n -> done(task, n, List.of(n)), ctl);
      }
      List<Expanded> expanded;
      Node group = node(nodeName, task, "TaskGroup", s.template(), node.id, node);
      link(linkFrom, group, node);
      try {
        expanded = expand(s, nodeName, task, scope.vars);
      } catch (StepError | Exprs.Unresolved | IllegalArgumentException ex) {
        group.finish("Error", ex.getMessage());
        return CompletableFuture.completedFuture(done(task, group, List.of()));
      }
      if (expanded.isEmpty()) {
        group.finish("Skipped", "Skipped, empty params");
        return CompletableFuture.completedFuture(done(task, group, List.of()));
      }
      group.running();
      List<CompletableFuture<Node>> fs = new ArrayList<>();
      for (Expanded x : expanded) fs.add(Limiter.run(lim, () -> runStep(x, scope, node.id, group, List.of(group), "tasks")));
      return CompletableFuture.allOf(fs.toArray(CompletableFuture[]::new)).thenApplyAsync(v -> {
        List<Node> children = fs.stream().map(CompletableFuture::join).toList();
        Optional<Node> bad = children.stream().filter(c -> c.failedOrError() && !continues(s, c)).findFirst();
        if (bad.isPresent()) group.finish("Failed", "child '" + bad.get().id + "' failed");
        else group.finish("Succeeded", "");
        return done(task, group, children);
      }, ctl);
    }

    Node done(String task, Node n, List<Node> children) {
      taskNodes.put(task, n);
      if (!children.isEmpty() && tasks.get(task).loop().isPresent()) loopChildren.put(task, children);
      publish(scope, "tasks", tasks.get(task), tasks.get(task).loop().isPresent() ? children : List.of(n));
      if (failFast && n.failedOrError() && !continues(tasks.get(task), n) && !handled.contains(task)) stopped = true;
      return n;
    }

    String branch(String task, Map<String, String> memo) {
      String m = memo.get(task);
      if (m != null) return m;
      Node n = taskNodes.get(task);
      String phase;
      if (n != null && n.completed()) {
        phase = n.phase();
      } else {
        phase = "Succeeded";
        for (String d : depsOf(task)) {
          String b = branch(d, memo);
          if (b.equals("Failed") || b.equals("Error")) {
            phase = b;
            break;
          }
        }
      }
      memo.put(task, phase);
      return phase;
    }
  }

  private CompletableFuture<Void> dag(Node node, Template t, Inputs in) {
    node.running();
    Scope scope = scope(in, node);
    Limiter lim = t.parallelism().map(p -> new Limiter((int) parseLong(Exprs.render(p, scope.vars, true), "parallelism"), ctl)).orElse(null);
    DagRun run = new DagRun(node, t, scope, lim);
    List<String> targets = new ArrayList<>();
    if (t.dag().get().target().isPresent()) {
      for (String x : Exprs.render(t.dag().get().target().get(), scope.vars, true).trim().split("\\s+")) {
        if (!run.tasks.containsKey(x)) throw new StepError("dag.target: task '" + x + "' is not in this DAG");
        targets.add(x);
      }
    } else {
      Set<String> depended = new java.util.HashSet<>();
      for (String task : run.tasks.keySet()) depended.addAll(run.depsOf(task));
      for (String task : run.tasks.keySet()) if (!depended.contains(task)) targets.add(task);
    }
    Set<String> needed = new LinkedHashSet<>();
    java.util.ArrayDeque<String> todo = new java.util.ArrayDeque<>(targets);
    while (!todo.isEmpty()) {
      String x = todo.poll();
      if (needed.add(x)) todo.addAll(run.depsOf(x));
    }
    List<CompletableFuture<Node>> all = new ArrayList<>();
    for (String task : run.tasks.keySet()) if (needed.contains(task)) all.add(run.future(task));
    return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).thenAcceptAsync(v -> {
      Map<String, String> memo = new HashMap<>();
      for (String target : targets) {
        String b = run.branch(target, memo);
        if ((b.equals("Failed") || b.equals("Error")) && !continues(run.tasks.get(target), b)) {
          Node culprit = null;
          synchronized (nodes) {
            for (Node n : nodes) {
              if (n.boundaryId.equals(node.id) && n.failedOrError() && run.taskNodes.containsValue(n)) {
                culprit = n;
                break;
              }
            }
          }
          node.finish(b, culprit == null ? "" : "child '" + culprit.id + "' failed");
          return;
        }
      }
      finishComposite(node, t, scope);
    }, ctl);
  }

  // ---- small parsers ----

  static long parseSeconds(String s, String field) {
    return parseLong(s, field);
  }

  static long parseLong(String s, String field) {
    try {
      return Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      throw new StepError(field + ": '" + s + "' is not a whole number");
    }
  }
}
