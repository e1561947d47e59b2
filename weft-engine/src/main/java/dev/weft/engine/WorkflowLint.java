package dev.weft.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.engine.Model.Artifact;
import dev.weft.engine.Model.Kind;
import dev.weft.engine.Model.Param;
import dev.weft.engine.Model.Step;
import dev.weft.engine.Model.Template;
import dev.weft.engine.Model.Workflow;
import dev.weft.runtime.Limits;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a workflow that parses for what would only fail while it runs: references to steps, tasks
 * and outputs that do not exist, module files that are not there, limits that are not a size or a
 * duration. {@code weft lint} prints every problem; {@code weft run} refuses to start on any.
 */
public final class WorkflowLint {
  /** One problem: the field's path, its line in the file (0 when unknown) and what is wrong. */
  public record Problem(String field, int line, String message) {
    @Override
    public String toString() {
      return field + ": " + message;
    }
  }

  private static final Pattern EXPR = Pattern.compile("\\{\\{(.*?)}}", Pattern.DOTALL);
  private static final Pattern REF =
      Pattern.compile(
          "\\b(steps|tasks)\\.([A-Za-z0-9][-A-Za-z0-9_]*)(?:\\.outputs\\.(parameters|artifacts)\\.([-A-Za-z0-9_]+))?");

  private final Workflow wf;
  private final YamlTree tree;
  private final List<Problem> problems = new ArrayList<>();

  private WorkflowLint(Workflow wf, YamlTree tree) {
    this.wf = wf;
    this.tree = tree;
  }

  /** Parses and checks a file; a file that does not parse gives its one parse error. */
  public static List<Problem> check(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      return List.of(new Problem("(file)", 0, "cannot be read: " + e.getMessage()));
    }
    Workflow wf;
    try {
      Path dir = file.toAbsolutePath().getParent();
      wf = WorkflowParser.parse(text, dir == null ? Path.of("").toAbsolutePath() : dir);
    } catch (InvalidWorkflowException e) {
      return List.of(new Problem(e.field(), e.line(), e.problem()));
    }
    return check(wf, text);
  }

  /** Checks a parsed workflow; {@code yaml} is its text, for line numbers. */
  public static List<Problem> check(Workflow wf, String yaml) {
    WorkflowLint l = new WorkflowLint(wf, YamlTree.read(yaml));
    int i = 0;
    for (Template t : wf.templates().values()) l.template(t, "spec.templates[" + i++ + "]");
    return List.copyOf(l.problems);
  }

  private void template(Template t, String at) {
    if (t.kind() == Kind.STEPS) {
      Map<String, Step> steps = new HashMap<>();
      t.steps().forEach(g -> g.forEach(s -> steps.put(s.name(), s)));
      for (int g = 0; g < t.steps().size(); g++) {
        for (int j = 0; j < t.steps().get(g).size(); j++) {
          Step s = t.steps().get(g).get(j);
          step(s, at + ".steps[" + g + "][" + j + "]", "steps", steps);
        }
      }
      outputs(t, at, "steps", steps);
    }
    t.dag()
        .ifPresent(
            d -> {
              Map<String, Step> tasks = new HashMap<>();
              d.tasks().forEach(s -> tasks.put(s.name(), s));
              for (int j = 0; j < d.tasks().size(); j++)
                step(d.tasks().get(j), at + ".dag.tasks[" + j + "]", "tasks", tasks);
              outputs(t, at, "tasks", tasks);
            });
    t.wasm().ifPresent(w -> wasm(w, at + ".plugin.wasm"));
  }

  private void step(Step s, String at, String scope, Map<String, Step> siblings) {
    List<Param> params = s.arguments().parameters();
    for (int i = 0; i < params.size(); i++) {
      String pat = at + ".arguments.parameters[" + i + "]";
      params.get(i).value().ifPresent(v -> refs(v, pat + ".value", scope, siblings));
      params
          .get(i)
          .valueFrom()
          .flatMap(vf -> vf.expression())
          .ifPresent(v -> refs("{{=" + v + "}}", pat + ".valueFrom.expression", scope, siblings));
    }
    List<Artifact> arts = s.arguments().artifacts();
    for (int i = 0; i < arts.size(); i++) {
      String aat = at + ".arguments.artifacts[" + i + "].from";
      arts.get(i).from().ifPresent(v -> refs(v, aat, scope, siblings));
    }
    s.when().ifPresent(v -> refs(v, at + ".when", scope, siblings));
    s.loop()
        .filter(l -> l instanceof Model.WithParam)
        .ifPresent(l -> refs(((Model.WithParam) l).json(), at + ".withParam", scope, siblings));
  }

  private void outputs(Template t, String at, String scope, Map<String, Step> children) {
    List<Param> params = t.outputs().parameters();
    for (int i = 0; i < params.size(); i++) {
      String pat = at + ".outputs.parameters[" + i + "].valueFrom";
      params
          .get(i)
          .valueFrom()
          .ifPresent(
              vf -> {
                vf.parameter().ifPresent(v -> refs(v, pat + ".parameter", scope, children));
                vf.expression()
                    .ifPresent(v -> refs("{{=" + v + "}}", pat + ".expression", scope, children));
              });
    }
    List<Artifact> arts = t.outputs().artifacts();
    for (int i = 0; i < arts.size(); i++) {
      String aat = at + ".outputs.artifacts[" + i + "].from";
      arts.get(i).from().ifPresent(v -> refs(v, aat, scope, children));
    }
  }

  /**
   * Every {@code steps.NAME…} or {@code tasks.NAME…} inside {@code {{…}}} must name a sibling and,
   * for outputs, a declared one.
   */
  private void refs(String text, String at, String scope, Map<String, Step> siblings) {
    Matcher e = EXPR.matcher(text);
    while (e.find()) {
      Matcher r = REF.matcher(e.group(1));
      while (r.find()) {
        String kind = r.group(1);
        String name = r.group(2);
        String what = kind.equals("steps") ? "step" : "task";
        if (!kind.equals(scope)) {
          add(at, "'" + r.group() + "' refers to " + kind + ", but this template has " + scope);
          continue;
        }
        Step target = siblings.get(name);
        if (target == null) {
          add(
              at,
              "'"
                  + r.group()
                  + "' names "
                  + what
                  + " '"
                  + name
                  + "', which does not exist"
                  + suggest(name, siblings.keySet()));
          continue;
        }
        if (r.group(3) == null || target.template().contains("{{")) continue;
        Template tt = wf.templates().get(target.template());
        if (tt == null) continue; // reported by the parser
        List<String> declared =
            r.group(3).equals("parameters")
                ? tt.outputs().parameters().stream().map(Param::name).toList()
                : tt.outputs().artifacts().stream().map(Artifact::name).toList();
        if (!declared.contains(r.group(4))) {
          add(
              at,
              "'"
                  + r.group()
                  + "': template '"
                  + tt.name()
                  + "' declares no output "
                  + r.group(3).replaceAll("s$", "")
                  + " '"
                  + r.group(4)
                  + "'"
                  + (declared.isEmpty() ? "" : suggest(r.group(4), declared)));
        }
      }
    }
  }

  private void wasm(JsonNode w, String at) {
    if (!w.isObject()) return;
    JsonNode file = w.path("module").get("file");
    if (file != null && file.isTextual() && !file.asText().contains("{{")) {
      Path p = wf.baseDir().resolve(file.asText());
      if (!Files.isRegularFile(p))
        add(
            at + ".module.file",
            "module file '"
                + file.asText()
                + "' does not exist (looked for "
                + p.normalize()
                + ")");
    }
    JsonNode limits = w.get("limits");
    if (limits == null || !limits.isObject()) return;
    limits
        .fieldNames()
        .forEachRemaining(
            k -> {
              if (!k.equals("memory") && !k.equals("timeout"))
                add(
                    at + ".limits." + k,
                    "unknown field" + suggest(k, List.of("memory", "timeout")));
            });
    check(
        limits.get("memory"),
        at + ".limits.memory",
        v -> Limits.parseBytes("limits.memory", v),
        "a size such as 64Mi or 256MiB");
    check(
        limits.get("timeout"),
        at + ".limits.timeout",
        v -> Limits.parseDuration("limits.timeout", v),
        "a duration such as 30s or 1m30s");
  }

  private void check(
      JsonNode v, String at, java.util.function.Consumer<String> parse, String expected) {
    if (v == null || v.isNull()) return;
    if (!v.isValueNode()) {
      add(at, "must be " + expected + ", found a " + YamlMap.kind(v));
      return;
    }
    if (v.asText().contains("{{")) return;
    try {
      parse.accept(v.asText());
    } catch (IllegalArgumentException e) {
      add(at, "must be " + expected + ", found '" + v.asText() + "'");
    }
  }

  private void add(String at, String message) {
    problems.add(new Problem(at, tree.line(at), message));
  }

  /** {@code " (did you mean 'x'?)"} for the closest name within two edits, else empty. */
  static String suggest(String name, Collection<String> known) {
    String best = null;
    int bestD = 3;
    for (String k : new java.util.TreeSet<>(known)) {
      int d = distance(name, k);
      if (d < bestD) {
        bestD = d;
        best = k;
      }
    }
    return best == null ? "" : " (did you mean '" + best + "'?)";
  }

  static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) prev[j] = j;
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
