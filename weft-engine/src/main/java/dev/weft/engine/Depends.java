package dev.weft.engine;

import dev.weft.engine.Model.Step;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;

/**
 * A DAG task's {@code depends} expression (Argo's enhanced depends logic): {@code A.Succeeded},
 * {@code .Failed}, {@code .Errored}, {@code .Skipped}, {@code .Omitted}, {@code .Daemoned}, {@code
 * .AnySucceeded}, {@code .AllFailed}, joined with {@code &&}, {@code ||}, {@code !} and
 * parentheses; a bare {@code A} means {@code (A.Succeeded || A.Skipped || A.Daemoned)}.
 */
final class Depends {
  static final Set<String> RESULTS =
      Set.of(
          "Succeeded",
          "Failed",
          "Errored",
          "Skipped",
          "Omitted",
          "Daemoned",
          "AnySucceeded",
          "AllFailed");

  /** A parsed expression. */
  sealed interface Expr {
    /** The tasks it names, in order of appearance. */
    default Set<String> tasks() {
      Set<String> out = new LinkedHashSet<>();
      collect(this, out);
      return out;
    }
  }

  record Ref(String task, String result) implements Expr {} // result "" = bare

  record Not(Expr e) implements Expr {}

  record And(Expr l, Expr r) implements Expr {}

  record Or(Expr l, Expr r) implements Expr {}

  private static void collect(Expr e, Set<String> out) {
    if (e instanceof Ref r) out.add(r.task());
    else if (e instanceof Not n) collect(n.e(), out);
    else if (e instanceof And a) {
      collect(a.l(), out);
      collect(a.r(), out);
    } else if (e instanceof Or o) {
      collect(o.l(), out);
      collect(o.r(), out);
    }
  }

  /** {@code dependencies: [A, B]} is {@code A && B}. */
  static Expr fromDependencies(List<String> deps) {
    Expr e = null;
    for (String d : deps) e = e == null ? new Ref(d, "") : new And(e, new Ref(d, ""));
    return e;
  }

  /**
   * @param holds whether task {@code t} ended with result {@code r} (bare refs are asked as "")
   */
  static boolean evaluate(Expr e, BiPredicate<String, String> holds) {
    if (e instanceof Ref r) return holds.test(r.task(), r.result());
    if (e instanceof Not n) return !evaluate(n.e(), holds);
    if (e instanceof And a) return evaluate(a.l(), holds) && evaluate(a.r(), holds);
    Or o = (Or) e;
    return evaluate(o.l(), holds) || evaluate(o.r(), holds);
  }

  /**
   * @throws IllegalArgumentException naming what is wrong and where
   */
  static Expr parse(String text) {
    Parser p = new Parser(text);
    Expr e = p.or();
    p.skipSpace();
    if (p.i < text.length())
      throw new IllegalArgumentException(
          "unexpected '" + text.substring(p.i) + "' in '" + text + "'");
    return e;
  }

  private static final class Parser {
    final String s;
    int i;

    Parser(String s) {
      this.s = s;
    }

    void skipSpace() {
      while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
    }

    boolean eat(String tok) {
      skipSpace();
      if (s.startsWith(tok, i)) {
        i += tok.length();
        return true;
      }
      return false;
    }

    Expr or() {
      Expr l = and();
      while (eat("||")) l = new Or(l, and());
      return l;
    }

    Expr and() {
      Expr l = unary();
      while (eat("&&")) l = new And(l, unary());
      return l;
    }

    Expr unary() {
      if (eat("!")) return new Not(unary());
      if (eat("(")) {
        Expr e = or();
        if (!eat(")")) throw new IllegalArgumentException("missing ')' in '" + s + "'");
        return e;
      }
      skipSpace();
      int start = i;
      while (i < s.length()
          && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '-' || s.charAt(i) == '_'))
        i++;
      if (start == i)
        throw new IllegalArgumentException(
            "expected a task name at position " + start + " of '" + s + "'");
      String task = s.substring(start, i);
      String result = "";
      if (i < s.length() && s.charAt(i) == '.') {
        int r = ++i;
        while (i < s.length() && Character.isLetter(s.charAt(i))) i++;
        result = s.substring(r, i);
        if (!RESULTS.contains(result)) {
          throw new IllegalArgumentException(
              "'"
                  + task
                  + "."
                  + result
                  + "': unknown task result (known: "
                  + String.join(", ", new java.util.TreeSet<>(RESULTS))
                  + ")");
        }
      }
      return new Ref(task, result);
    }
  }

  /**
   * @throws InvalidWorkflowException naming a cycle
   */
  static void checkAcyclic(String template, List<Step> tasks) {
    Map<String, List<String>> deps = new HashMap<>();
    Map<String, Integer> lines = new HashMap<>();
    for (Step t : tasks) {
      deps.put(
          t.name(),
          new ArrayList<>(
              t.depends()
                  .map(d -> parse(d).tasks())
                  .orElse(new LinkedHashSet<>(t.dependencies()))));
      lines.put(t.name(), t.line());
    }
    Map<String, Integer> state = new HashMap<>(); // 1 visiting, 2 done
    for (Step t : tasks) visit(t.name(), deps, state, new ArrayList<>(), template, lines);
  }

  private static void visit(
      String t,
      Map<String, List<String>> deps,
      Map<String, Integer> state,
      List<String> path,
      String template,
      Map<String, Integer> lines) {
    Integer s = state.get(t);
    if (s != null && s == 2) return;
    path.add(t);
    if (s != null) {
      throw new InvalidWorkflowException(
          "template '" + template + "' task '" + t + "'",
          lines.getOrDefault(t, 0),
          "dependency cycle " + String.join(" -> ", path.subList(path.indexOf(t), path.size())));
    }
    state.put(t, 1);
    for (String d : deps.getOrDefault(t, List.of())) visit(d, deps, state, path, template, lines);
    state.put(t, 2);
    path.remove(path.size() - 1);
  }
}
