package dev.weft.engine.expr;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Argo's {@code {{…}}} substitution: simple tags by exact key, {@code {{= expr}}} through {@link Expr}. */
public final class Templates {
  private Templates() {}

  /**
   * Replaces {@code {{ name }}} with {@code vars.get(name)} and {@code {{= expr }}} with the
   * expression's value (integral numbers without ".0", lists and maps as JSON). With
   * {@code failOnUnresolved} false an unknown name, a failing expression or a nil result leaves the
   * tag as written; otherwise it throws.
   */
  public static String render(String text, Map<String, String> vars, boolean failOnUnresolved) {
    StringBuilder out = new StringBuilder(text.length());
    Map<String, Object> env = null;
    int from = 0;
    while (true) {
      int open = text.indexOf("{{", from);
      int close = open < 0 ? -1 : text.indexOf("}}", open + 2);
      if (close < 0) {
        out.append(text, from, text.length());
        return out.toString();
      }
      out.append(text, from, open);
      String raw = text.substring(open, close + 2);
      String tag = text.substring(open + 2, close).strip();
      from = close + 2;
      if (tag.startsWith("=")) {
        if (env == null) env = Expr.nest(vars);
        String expression = tag.substring(1);
        Object value;
        try {
          value = Expr.evaluate(expression, env);
        } catch (ExpressionException e) {
          if (!failOnUnresolved) {
            out.append(raw);
            continue;
          }
          throw new ExpressionException("failed to evaluate expression in {{" + tag + "}}: " + e.getMessage(), e);
        }
        if (value == null) {
          if (!failOnUnresolved) {
            out.append(raw);
            continue;
          }
          throw new ExpressionException("failed to evaluate expression: {{" + tag + "}} evaluated to nil");
        }
        out.append(stringify(value));
      } else if (vars.containsKey(tag)) {
        out.append(vars.get(tag));
      } else if (failOnUnresolved) {
        throw new ExpressionException("failed to resolve {{" + tag + "}}");
      } else {
        out.append(raw);
      }
    }
  }

  /** The names of the simple {@code {{name}}} tags in {@code text}, in order of first use. */
  public static Set<String> references(String text) {
    Set<String> names = new LinkedHashSet<>();
    int from = 0;
    while (true) {
      int open = text.indexOf("{{", from);
      int close = open < 0 ? -1 : text.indexOf("}}", open + 2);
      if (close < 0) return names;
      String tag = text.substring(open + 2, close).strip();
      if (!tag.startsWith("=") && !tag.isEmpty()) names.add(tag);
      from = close + 2;
    }
  }

  /** A value as Argo writes an expression result into a template. */
  static String stringify(Object value) {
    if (value instanceof String s) return s;
    if (value instanceof List || value instanceof Map) return Values.toJson(value);
    return Values.goString(value);
  }
}
