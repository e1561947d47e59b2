package dev.weft.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.engine.Model.Archive;
import dev.weft.engine.Model.Arguments;
import dev.weft.engine.Model.Artifact;
import dev.weft.engine.Model.Dag;
import dev.weft.engine.Model.Hook;
import dev.weft.engine.Model.Kind;
import dev.weft.engine.Model.Loop;
import dev.weft.engine.Model.Outputs;
import dev.weft.engine.Model.Param;
import dev.weft.engine.Model.RetryStrategy;
import dev.weft.engine.Model.Step;
import dev.weft.engine.Model.Template;
import dev.weft.engine.Model.ValueFrom;
import dev.weft.engine.Model.Workflow;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads Workflow and WorkflowTemplate YAML into a {@link Workflow}. Every field is either
 * understood, accepted with a warning (it only matters on a cluster), or refused with an error
 * naming the field and its line: nothing is silently ignored.
 */
public final class WorkflowParser {
  /**
   * Fields that configure pods or the cluster: meaningless on one machine, so warned about, not
   * refused.
   */
  private static final Set<String> CLUSTER_ONLY =
      Set.of(
          "serviceAccountName",
          "podGC",
          "ttlStrategy",
          "ttlSecondsAfterFinished",
          "imagePullSecrets",
          "nodeSelector",
          "tolerations",
          "affinity",
          "securityContext",
          "podMetadata",
          "workflowMetadata",
          "archiveLogs",
          "artifactRepositoryRef",
          "priority",
          "schedulerName",
          "podPriorityClassName",
          "priorityClassName",
          "hostNetwork",
          "dnsPolicy",
          "dnsConfig",
          "volumes",
          "volumeClaimTemplates",
          "podDisruptionBudget",
          "executor",
          "automountServiceAccountToken",
          "metrics",
          "podSpecPatch",
          "archiveLocation",
          "hostAliases",
          "workflowTemplateRef_",
          "sidecars",
          "initContainers",
          "outputs_",
          "nodeName");

  // not here: daemon, which changes when later steps run (they start while the daemon keeps
  // running), so weft run refuses it by name rather than run the template to its end

  /**
   * Argo fields weft run does not implement: "not supported", where any other unexpected field is
   * "unknown".
   */
  private static final Set<String> ARGO_ONLY =
      Set.of(
          "daemon",
          "synchronization",
          "memoize",
          "resource",
          "data",
          "http",
          "containerSet",
          "templateRef",
          "inline",
          "workflowTemplateRef",
          "artifactGC",
          "shutdown",
          "volumeMounts",
          "plugin",
          "container",
          "script",
          "suspend",
          "steps",
          "dag",
          "onExit",
          "hooks",
          "retryStrategy",
          "timeout",
          "activeDeadlineSeconds",
          "parallelism",
          "failFast",
          "arguments",
          "outputs",
          "inputs",
          "templateDefaults",
          "entrypoint",
          "templates",
          "executor",
          "env",
          "initContainers",
          "sidecars",
          "archiveLocation",
          "metadata");

  private final List<String> warnings = new ArrayList<>();

  /**
   * The largest workflow file read: checked before parsing, as a huge one took minutes to refuse.
   */
  static final int MAX_YAML_BYTES = 4 << 20;

  private YamlTree tree;

  private WorkflowParser() {}

  /** Parses a workflow file; relative module paths will resolve against its directory. */
  public static Workflow parse(Path file) {
    String text;
    try {
      long size = Files.size(file);
      if (size > MAX_YAML_BYTES) {
        throw new InvalidWorkflowException(
            file.toString(),
            0,
            "the file is "
                + size
                + " bytes, over weft run's limit of "
                + MAX_YAML_BYTES
                + " bytes (Kubernetes stores no object over 1.5 MiB)");
      }
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new InvalidWorkflowException(
          file.toString(), 0, "cannot read the file: " + e.getMessage());
    }
    Path dir = file.toAbsolutePath().getParent();
    return parse(text, dir == null ? Path.of("").toAbsolutePath() : dir);
  }

  public static Workflow parse(String yaml, Path baseDir) {
    if (yaml.length() > MAX_YAML_BYTES) {
      throw new InvalidWorkflowException(
          "(document)",
          0,
          "the workflow is "
              + yaml.length()
              + " characters, over weft run's limit of "
              + MAX_YAML_BYTES);
    }
    WorkflowParser p = new WorkflowParser();
    p.tree = YamlTree.read(yaml);
    return p.workflow(p.tree.root, baseDir);
  }

  // ---- a cursor over one YAML object, with its path for error messages ----

  private final class Obj {
    final JsonNode node;
    final String path;

    Obj(JsonNode node, String path) {
      this.node = node;
      this.path = path;
      if (!node.isObject()) throw error(path, "must be a map, found " + kind(node));
    }

    String at(String field) {
      return path.isEmpty() ? field : path + "." + field;
    }

    /** Fails on fields not in {@code known}; warns about cluster-only ones. */
    void only(Set<String> known) {
      for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
        String f = it.next();
        if (known.contains(f)) continue;
        if (CLUSTER_ONLY.contains(f)) {
          warnings.add(
              at(f) + " (line " + tree.line(at(f)) + ") has no effect in weft run and is ignored");
          continue;
        }
        if (ARGO_ONLY.contains(f)) {
          throw error(
              at(f),
              "is not supported by weft run (supported here: "
                  + String.join(", ", new java.util.TreeSet<>(known))
                  + ")");
        }
        throw error(
            at(f),
            "unknown field '"
                + f
                + "'"
                + WorkflowLint.suggest(f, known)
                + " (known here: "
                + String.join(", ", new java.util.TreeSet<>(known))
                + ")");
      }
    }

    boolean has(String f) {
      return node.hasNonNull(f);
    }

    Optional<String> str(String f) {
      JsonNode v = node.get(f);
      if (v == null || v.isNull()) return Optional.empty();
      if (v.isTextual() || v.isNumber() || v.isBoolean()) return Optional.of(v.asText());
      throw error(at(f), "must be a string, found " + kind(v));
    }

    String required(String f) {
      return str(f).orElseThrow(() -> error(at(f), "is required"));
    }

    Optional<Boolean> bool(String f) {
      JsonNode v = node.get(f);
      if (v == null || v.isNull()) return Optional.empty();
      if (v.isBoolean()) return Optional.of(v.asBoolean());
      if (v.isTextual() && (v.asText().equals("true") || v.asText().equals("false")))
        return Optional.of(Boolean.parseBoolean(v.asText()));
      throw error(at(f), "must be true or false, found " + v);
    }

    Optional<Obj> obj(String f) {
      JsonNode v = node.get(f);
      return v == null || v.isNull() ? Optional.empty() : Optional.of(new Obj(v, at(f)));
    }

    List<JsonNode> list(String f) {
      JsonNode v = node.get(f);
      if (v == null || v.isNull()) return List.of();
      if (!v.isArray()) throw error(at(f), "must be a list, found " + kind(v));
      List<JsonNode> out = new ArrayList<>();
      v.forEach(out::add);
      return out;
    }

    List<Obj> objs(String f) {
      List<JsonNode> l = list(f);
      List<Obj> out = new ArrayList<>();
      for (int i = 0; i < l.size(); i++) out.add(new Obj(l.get(i), at(f) + "[" + i + "]"));
      return out;
    }

    Map<String, String> strings(String f) {
      Map<String, String> m = new LinkedHashMap<>();
      obj(f)
          .ifPresent(o -> o.node.fieldNames().forEachRemaining(k -> m.put(k, o.str(k).orElse(""))));
      return m;
    }
  }

  InvalidWorkflowException error(String path, String problem) {
    return new InvalidWorkflowException(path, tree.line(path), problem);
  }

  static String kind(JsonNode n) {
    return n.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
  }

  // ---- the workflow ----

  private Workflow workflow(JsonNode rootNode, Path baseDir) {
    Obj root = new Obj(rootNode, "");
    root.only(Set.of("apiVersion", "kind", "metadata", "spec"));
    String kind = root.str("kind").orElse("Workflow");
    if (!kind.equals("Workflow")
        && !kind.equals("WorkflowTemplate")
        && !kind.equals("ClusterWorkflowTemplate")) {
      throw error(
          "kind",
          "must be Workflow or WorkflowTemplate, found "
              + kind
              + (kind.equals("CronWorkflow") ? " (run its spec.workflowSpec as a Workflow)" : ""));
    }
    Obj meta =
        root.obj("metadata")
            .orElseThrow(() -> error("metadata", "is required (with name or generateName)"));
    meta.only(
        Set.of(
            "name",
            "generateName",
            "namespace",
            "labels",
            "annotations",
            "uid",
            "creationTimestamp",
            "resourceVersion"));
    Optional<String> name = meta.str("name");
    Optional<String> generateName = meta.str("generateName");
    if (name.isEmpty() && generateName.isEmpty())
      throw error("metadata", "needs name or generateName");
    Obj spec = root.obj("spec").orElseThrow(() -> error("spec", "is required"));
    spec.only(
        Set.of(
            "entrypoint",
            "arguments",
            "templates",
            "onExit",
            "parallelism",
            "activeDeadlineSeconds",
            "hooks",
            "templateDefaults",
            "retryStrategy"));
    Optional<Obj> defaults = spec.obj("templateDefaults");
    // spec.retryStrategy: every template without its own retries with it, steps and DAGs too
    // (operator.go retryStrategy)
    Optional<RetryStrategy> specRetry = spec.obj("retryStrategy").map(this::retry);
    defaults.ifPresent(d -> d.only(Set.of("retryStrategy", "timeout", "activeDeadlineSeconds")));
    Map<String, Template> templates = new LinkedHashMap<>();
    for (Obj t : spec.objs("templates")) {
      Template tmpl = withDefaults(template(t), defaults);
      if (tmpl.retryStrategy().isEmpty() && specRetry.isPresent()) {
        tmpl =
            new Template(
                tmpl.name(),
                tmpl.kind(),
                tmpl.inputs(),
                tmpl.outputs(),
                tmpl.steps(),
                tmpl.dag(),
                tmpl.wasm(),
                tmpl.suspendDuration(),
                specRetry,
                tmpl.timeout(),
                tmpl.activeDeadlineSeconds(),
                tmpl.parallelism(),
                tmpl.failFast(),
                tmpl.line());
      }
      if (templates.put(tmpl.name(), tmpl) != null)
        throw error(t.at("name"), "template '" + tmpl.name() + "' is defined twice");
    }
    if (templates.isEmpty()) throw error("spec.templates", "at least one template is required");
    String entrypoint =
        spec.str("entrypoint").orElseThrow(() -> error("spec.entrypoint", "is required"));
    if (!entrypoint.contains("{{") && !templates.containsKey(entrypoint)) {
      throw error("spec.entrypoint", "names template '" + entrypoint + "', which does not exist");
    }
    Optional<String> onExit = spec.str("onExit");
    Map<String, Hook> wfHooks = new LinkedHashMap<>();
    if (spec.has("hooks")) {
      Obj hooks = spec.obj("hooks").get();
      for (Iterator<String> it = hooks.node.fieldNames(); it.hasNext(); ) {
        String hookName = it.next();
        Obj h =
            hooks
                .obj(hookName)
                .orElseThrow(
                    () ->
                        error(
                            hooks.at(hookName),
                            "must be a hook: {template, arguments, expression}"));
        if (hookName.equals("exit")) {
          h.only(Set.of("template"));
          if (onExit.isPresent())
            throw error(hooks.at("exit"), "give spec.onExit or spec.hooks.exit, not both");
          onExit = Optional.of(h.required("template"));
          continue;
        }
        h.only(Set.of("template", "arguments", "expression"));
        String tn = h.required("template");
        if (!templates.containsKey(tn))
          throw error(h.at("template"), "names template '" + tn + "', which does not exist");
        wfHooks.put(
            hookName,
            new Hook(
                tn,
                h.obj("arguments").map(this::arguments).orElse(Arguments.NONE),
                Optional.of(
                    h.str("expression")
                        .orElseThrow(
                            () ->
                                error(
                                    h.at("expression"),
                                    "is required: a lifecycle hook other than exit runs when its expression holds")))));
      }
    }
    onExit.ifPresent(
        t -> {
          if (!templates.containsKey(t))
            throw error("spec.onExit", "names template '" + t + "', which does not exist");
        });
    Optional<Integer> parallelism =
        spec.str("parallelism").map(v -> positiveInt(v, "spec.parallelism"));
    Arguments args = spec.obj("arguments").map(this::arguments).orElse(Arguments.NONE);
    for (Template t : templates.values()) References.check(t, templates);
    return new Workflow(
        kind,
        name,
        generateName,
        meta.strings("labels"),
        meta.strings("annotations"),
        entrypoint,
        args,
        templates,
        onExit,
        parallelism,
        spec.str("activeDeadlineSeconds"),
        baseDir,
        warnings,
        wfHooks);
  }

  private int positiveInt(String v, String path) {
    try {
      int n = Integer.parseInt(v.trim());
      if (n > 0) return n;
    } catch (NumberFormatException e) {
      // fall through
    }
    throw error(path, "must be a positive whole number, found '" + v + "'");
  }

  // ---- templates ----

  private static final Set<String> TEMPLATE_FIELDS =
      Set.of(
          "name",
          "inputs",
          "outputs",
          "steps",
          "dag",
          "plugin",
          "suspend",
          "container",
          "script",
          "retryStrategy",
          "timeout",
          "activeDeadlineSeconds",
          "parallelism",
          "failFast",
          "metadata");

  private Template template(Obj t) {
    t.only(TEMPLATE_FIELDS);
    String name = t.required("name");
    List<Kind> kinds = new ArrayList<>();
    if (t.has("steps")) kinds.add(Kind.STEPS);
    if (t.has("dag")) kinds.add(Kind.DAG);
    if (t.has("plugin")) kinds.add(Kind.PLUGIN);
    if (t.has("suspend")) kinds.add(Kind.SUSPEND);
    if (t.has("container")) kinds.add(Kind.CONTAINER);
    if (t.has("script")) kinds.add(Kind.SCRIPT);
    if (kinds.size() != 1) {
      throw error(
          t.path,
          "template '"
              + name
              + "' must have exactly one of steps, dag, plugin, suspend, container, script; found "
              + (kinds.isEmpty() ? "none" : kinds.toString().toLowerCase(java.util.Locale.ROOT)));
    }
    Kind kind = kinds.get(0);
    Arguments inputs = t.obj("inputs").map(this::inputs).orElse(Arguments.NONE);
    Outputs outputs = t.obj("outputs").map(this::outputs).orElse(Outputs.NONE);
    List<List<Step>> steps = new ArrayList<>();
    if (kind == Kind.STEPS) {
      List<JsonNode> groups = t.list("steps");
      for (int i = 0; i < groups.size(); i++) {
        String gp = t.at("steps") + "[" + i + "]";
        if (!groups.get(i).isArray())
          throw error(
              gp, "must be a list of parallel steps (steps is a list of lists: '- - name: …')");
        List<Step> group = new ArrayList<>();
        for (int j = 0; j < groups.get(i).size(); j++)
          group.add(step(new Obj(groups.get(i).get(j), gp + "[" + j + "]"), false));
        steps.add(group);
      }
    }
    Optional<Dag> dag =
        t.obj("dag")
            .map(
                d -> {
                  d.only(Set.of("tasks", "target", "failFast"));
                  List<Step> tasks = new ArrayList<>();
                  Set<String> names = new HashSet<>();
                  for (Obj o : d.objs("tasks")) {
                    Step s = step(o, true);
                    if (!names.add(s.name()))
                      throw error(o.at("name"), "task '" + s.name() + "' is defined twice");
                    tasks.add(s);
                  }
                  if (tasks.isEmpty()) throw error(d.at("tasks"), "at least one task is required");
                  return new Dag(tasks, d.str("target"), d.bool("failFast"));
                });
    Optional<JsonNode> wasm = Optional.empty();
    if (kind == Kind.PLUGIN) {
      Obj plugin = t.obj("plugin").get();
      List<String> keys = new ArrayList<>();
      plugin.node.fieldNames().forEachRemaining(keys::add);
      if (keys.size() != 1)
        throw error(plugin.path, "expected exactly one key, got " + keys.size());
      if (!keys.get(0).equals("wasm"))
        throw error(plugin.at(keys.get(0)), "weft run executes only 'plugin: wasm:' templates");
      wasm = Optional.of(plugin.node.get("wasm"));
    }
    Optional<String> suspend = Optional.empty();
    if (kind == Kind.SUSPEND) {
      Obj s = t.obj("suspend").get();
      s.only(Set.of("duration"));
      suspend = s.str("duration");
      if (suspend.isEmpty())
        throw error(s.path, "weft run cannot resume a suspended workflow: give suspend.duration");
    }
    Optional<RetryStrategy> retry = t.obj("retryStrategy").map(this::retry);
    return new Template(
        name,
        kind,
        inputs,
        outputs,
        steps,
        dag,
        wasm,
        suspend,
        retry,
        t.str("timeout"),
        t.str("activeDeadlineSeconds"),
        t.str("parallelism"),
        t.bool("failFast"),
        tree.line(t.path));
  }

  /** {@code spec.templateDefaults}: what a template does not set itself, it takes from there. */
  private Template withDefaults(Template t, Optional<Obj> d) {
    if (d.isEmpty()) return t;
    boolean leaf = t.kind() != Kind.STEPS && t.kind() != Kind.DAG;
    Optional<RetryStrategy> retry =
        t.retryStrategy().or(() -> d.get().obj("retryStrategy").map(this::retry));
    Optional<String> timeout =
        t.timeout().or(() -> leaf ? d.get().str("timeout") : Optional.empty());
    Optional<String> deadline =
        t.activeDeadlineSeconds()
            .or(() -> leaf ? d.get().str("activeDeadlineSeconds") : Optional.empty());
    return new Template(
        t.name(),
        t.kind(),
        t.inputs(),
        t.outputs(),
        t.steps(),
        t.dag(),
        t.wasm(),
        t.suspendDuration(),
        retry,
        timeout,
        deadline,
        t.parallelism(),
        t.failFast(),
        t.line());
  }

  private RetryStrategy retry(Obj r) {
    r.only(Set.of("limit", "retryPolicy", "backoff", "expression"));
    String policy =
        r.str("retryPolicy")
            .orElse(r.has("expression") && !r.has("limit") ? "Always" : "OnFailure");
    if (!Set.of("Always", "OnFailure", "OnError", "OnTransientError").contains(policy)) {
      throw error(
          r.at("retryPolicy"),
          "must be Always, OnFailure, OnError or OnTransientError, found " + policy);
    }
    Optional<Obj> b = r.obj("backoff");
    b.ifPresent(o -> o.only(Set.of("duration", "factor", "maxDuration", "cap")));
    return new RetryStrategy(
        r.str("limit"),
        policy,
        b.flatMap(o -> o.str("duration")),
        b.flatMap(o -> o.str("factor")),
        b.flatMap(o -> o.str("maxDuration")),
        r.str("expression"));
  }

  private Step step(Obj s, boolean task) {
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
      throw error(s.at("name"), "'" + name + "' is not a valid name (letters, digits, - and _)");
    String template = s.required("template");
    Arguments args = s.obj("arguments").map(this::arguments).orElse(Arguments.NONE);
    List<Loop> loops = new ArrayList<>();
    if (s.has("withItems")) loops.add(new Model.WithItems(s.list("withItems")));
    if (s.has("withParam")) loops.add(new Model.WithParam(s.str("withParam").get()));
    if (s.has("withSequence")) {
      Obj q = s.obj("withSequence").get();
      q.only(Set.of("count", "start", "end", "format"));
      if (q.has("count") && q.has("end")) throw error(q.path, "give count or end, not both");
      if (!q.has("count") && !q.has("end")) throw error(q.path, "needs count or end");
      loops.add(
          new Model.WithSequence(q.str("count"), q.str("start"), q.str("end"), q.str("format")));
    }
    if (loops.size() > 1)
      throw error(
          s.path, "step '" + name + "' has more than one of withItems, withParam, withSequence");
    boolean failed = false;
    boolean errored = false;
    Optional<Obj> c = s.obj("continueOn");
    if (c.isPresent()) {
      c.get().only(Set.of("failed", "error"));
      failed = c.get().bool("failed").orElse(false);
      errored = c.get().bool("error").orElse(false);
    }
    Optional<Hook> exit = s.str("onExit").map(t -> new Hook(t, Arguments.NONE));
    Map<String, Hook> lifecycle = new LinkedHashMap<>();
    if (s.has("hooks")) {
      Obj hooks = s.obj("hooks").get();
      for (Iterator<String> it = hooks.node.fieldNames(); it.hasNext(); ) {
        String hookName = it.next();
        Obj e =
            hooks
                .obj(hookName)
                .orElseThrow(
                    () ->
                        error(
                            hooks.at(hookName),
                            "must be a hook: {template, arguments, expression}"));
        e.only(Set.of("template", "arguments", "expression"));
        Hook h =
            new Hook(
                e.required("template"),
                e.obj("arguments").map(this::arguments).orElse(Arguments.NONE),
                e.str("expression"));
        if (hookName.equals("exit")) {
          if (exit.isPresent())
            throw error(hooks.at("exit"), "give onExit or hooks.exit, not both");
          exit = Optional.of(h);
        } else {
          if (h.expression().isEmpty())
            throw error(
                e.at("expression"),
                "is required: a lifecycle hook other than exit runs when its expression holds");
          lifecycle.put(hookName, h);
        }
      }
    }
    List<String> deps = new ArrayList<>();
    for (int i = 0; i < s.list("dependencies").size(); i++) {
      JsonNode d = s.list("dependencies").get(i);
      if (!d.isTextual()) throw error(s.at("dependencies") + "[" + i + "]", "must be a task name");
      deps.add(d.asText());
    }
    if (!deps.isEmpty() && s.has("depends"))
      throw error(s.at("depends"), "give dependencies or depends, not both");
    return new Step(
        name,
        template,
        args,
        s.str("when"),
        loops.stream().findFirst(),
        failed,
        errored,
        exit,
        deps,
        s.str("depends"),
        tree.line(s.path),
        lifecycle);
  }

  // ---- parameters and artifacts ----

  private Arguments arguments(Obj a) {
    a.only(Set.of("parameters", "artifacts"));
    List<Param> params = new ArrayList<>();
    for (Obj p : a.objs("parameters")) {
      Param param = param(p, false);
      param
          .valueFrom()
          .ifPresent(
              vf -> {
                if (vf.path().isPresent()
                    || vf.parameter().isPresent()
                    || vf.supplied()
                    || vf.defaultValue().isPresent()) {
                  throw error(p.at("valueFrom"), "an argument takes value or valueFrom.expression");
                }
              });
      params.add(param);
    }
    List<Artifact> arts = new ArrayList<>();
    for (Obj x : a.objs("artifacts")) arts.add(artifact(x));
    checkUnique(a, params.stream().map(Param::name).toList(), "parameters");
    checkUnique(a, arts.stream().map(Artifact::name).toList(), "artifacts");
    return new Arguments(params, arts);
  }

  private Arguments inputs(Obj a) {
    for (Obj p : a.objs("parameters")) {
      if (p.has("valueFrom"))
        throw error(
            p.at("valueFrom"),
            "input parameters take value or default in weft run (valueFrom needs a cluster)");
    }
    return arguments(a);
  }

  private Outputs outputs(Obj o) {
    o.only(Set.of("parameters", "artifacts", "result", "exitCode"));
    if (o.has("result") || o.has("exitCode")) {
      throw error(o.at(o.has("result") ? "result" : "exitCode"), "is set by weft, not declared");
    }
    List<Param> params = new ArrayList<>();
    for (Obj p : o.objs("parameters")) params.add(param(p, true));
    List<Artifact> arts = new ArrayList<>();
    for (Obj x : o.objs("artifacts")) arts.add(artifact(x));
    return new Outputs(params, arts);
  }

  private void checkUnique(Obj at, List<String> names, String what) {
    Set<String> seen = new HashSet<>();
    for (String n : names) if (!seen.add(n)) throw error(at.at(what), "'" + n + "' is given twice");
  }

  private Param param(Obj p, boolean output) {
    p.only(Set.of("name", "value", "default", "valueFrom", "globalName", "enum", "description"));
    String name = p.required("name");
    if (!name.matches("[-a-zA-Z0-9_]+"))
      throw error(
          p.at("name"), "'" + name + "' is not a valid parameter name (letters, digits, - and _)");
    Optional<ValueFrom> vf =
        p.obj("valueFrom")
            .map(
                v -> {
                  v.only(Set.of("path", "parameter", "expression", "default", "supplied"));
                  return new ValueFrom(
                      v.str("path"),
                      v.str("parameter"),
                      v.str("expression"),
                      v.str("default"),
                      v.node.has("supplied"));
                });
    List<String> enums = new ArrayList<>();
    List<JsonNode> e = p.list("enum");
    for (JsonNode n : e) enums.add(n.asText());
    return new Param(name, p.str("value"), p.str("default"), vf, p.str("globalName"), enums);
  }

  private Artifact artifact(Obj a) {
    a.only(
        Set.of(
            "name",
            "path",
            "from",
            "raw",
            "optional",
            "archive",
            "globalName",
            "mode",
            "recurseMode"));
    String name = a.required("name");
    Optional<String> raw =
        a.obj("raw")
            .map(
                r -> {
                  r.only(Set.of("data"));
                  return r.required("data");
                });
    for (String f : new String[] {"mode", "recurseMode"}) {
      if (a.has(f))
        warnings.add(
            a.at(f)
                + " (line "
                + tree.line(a.at(f))
                + ") has no effect in weft run (files in the sandbox have fixed modes) and is ignored");
    }
    String declared = a.str("path").orElse("");
    if (a.path.contains("inputs.artifacts")
        && declared.matches("/[^/]+")) { // the sandbox preopens directories, not /
      warnings.add(
          a.at("path")
              + " (line "
              + tree.line(a.at("path"))
              + ") is directly under /: a plain-WASI module finds this input at "
              + "/work/artifacts-in"
              + declared
              + ", not at "
              + declared
              + " (a path below a directory, e.g. /tmp"
              + declared
              + ", works at both)");
    }
    Archive archive = Archive.TGZ;
    Optional<Obj> ar = a.obj("archive");
    if (ar.isPresent()) {
      ar.get().only(Set.of("tar", "none", "zip"));
      ar.get()
          .obj("tar")
          .ifPresent(
              t -> {
                t.only(Set.of("compressionLevel"));
                if (t.has("compressionLevel"))
                  warnings.add(
                      t.at("compressionLevel")
                          + " (line "
                          + tree.line(t.at("compressionLevel"))
                          + ") is ignored: weft run packs with gzip's default level");
              });
      if (ar.get().node.has("none")) archive = Archive.NONE;
      else if (ar.get().node.has("zip")) archive = Archive.ZIP;
    }
    return new Artifact(
        name,
        a.str("path"),
        a.str("from"),
        raw,
        a.bool("optional").orElse(false),
        archive,
        a.str("globalName"));
  }
}
