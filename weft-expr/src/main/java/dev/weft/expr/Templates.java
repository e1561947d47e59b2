package dev.weft.expr;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Argo's template tags: {@code {{ name }}} is replaced by the variable's value and {@code {{= expr
 * }}} by the expr result over the nested variables. As in Argo, a tag runs from the opening braces
 * to the next closing pair, so an expression cannot itself contain two closing braces in a row
 * (write {@code {a: {b: 1} }} with a space).
 */
public final class Templates {
  private static final String OPEN = "{{";
  private static final String CLOSE = "}}";

  private Templates() {}

  /**
   * Renders {@code text}. Expression results are written like Argo writes them: strings as they
   * are, integral numbers without ".0", lists and maps as JSON.
   *
   * @param failOnUnresolved when true an unknown simple tag, or an expression that fails or yields
   *     nil, throws; when false such tags are left as written
   * @throws ExpressionException {@code failed to resolve {{name}}}, or the expression's error
   */
  public static String render(String text, Map<String, String> vars, boolean failOnUnresolved) {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(vars, "vars");
    StringBuilder out = new StringBuilder(text.length());
    Map<String, Object> nested = null;
    int pos = 0;
    while (true) {
      int open = text.indexOf(OPEN, pos);
      int close = open < 0 ? -1 : text.indexOf(CLOSE, open + OPEN.length());
      if (close < 0) {
        out.append(text, pos, text.length());
        return out.toString();
      }
      out.append(text, pos, open);
      String raw = text.substring(open + OPEN.length(), close);
      String tag = raw.strip();
      String written = text.substring(open, close + CLOSE.length());
      pos = close + CLOSE.length();
      if (tag.startsWith("=")) {
        String expression = tag.substring(1).strip();
        if (nested == null) {
          nested = Expr.nest(vars);
        }
        Object result;
        try {
          result = Expr.evaluate(expression, nested);
        } catch (ExpressionException e) {
          if (!failOnUnresolved) {
            out.append(written);
            continue;
          }
          throw new ExpressionException("failed to evaluate expression: " + e.getMessage(), e);
        }
        if (result == null) {
          if (!failOnUnresolved) {
            out.append(written);
            continue;
          }
          throw new ExpressionException(
              "failed to evaluate expression: '" + expression + "' evaluated to nil");
        }
        out.append(Values.display(result));
      } else {
        String value = vars.get(tag);
        if (value != null) {
          out.append(value);
        } else if (failOnUnresolved) {
          throw new ExpressionException("failed to resolve {{" + tag + "}}");
        } else {
          out.append(written);
        }
      }
    }
  }

  /** The names used in simple {@code {{ name }}} tags, in order of first use. */
  public static Set<String> references(String text) {
    Set<String> names = new LinkedHashSet<>();
    int pos = 0;
    while (true) {
      int open = text.indexOf(OPEN, pos);
      int close = open < 0 ? -1 : text.indexOf(CLOSE, open + OPEN.length());
      if (close < 0) {
        return names;
      }
      String tag = text.substring(open + OPEN.length(), close).strip();
      if (!tag.startsWith("=")) {
        names.add(tag);
      }
      pos = close + CLOSE.length();
    }
  }
}
