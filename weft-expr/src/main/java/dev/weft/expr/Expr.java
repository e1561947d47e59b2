package dev.weft.expr;

import dev.weft.expr.ExprSyntax.Node;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The expr language (expr-lang/expr) as Argo uses it in {@code {{= … }}} tags, with Argo's extra
 * functions (asInt, asFloat, toJson, jsonpath, sprig.*). Integers are {@link Long}, floats {@link
 * Double}; results are Long, Double, String, Boolean, List, Map or null.
 */
public final class Expr {

  private Expr() {}

  /**
   * Evaluates {@code expression} over {@code env} (values String, Number, Boolean, List, Map).
   *
   * @throws ExpressionException naming the expression and what was wrong
   */
  public static Object evaluate(String expression, Map<String, Object> env) {
    Objects.requireNonNull(expression, "expression");
    try {
      Node ast = ExprParser.parse(expression);
      return new ExprInterpreter(expression, env == null ? Map.of() : env).eval(ast);
    } catch (StackOverflowError e) {
      throw new ExpressionException("expression too deeply nested: '" + expression + "'");
    }
  }

  /**
   * Turns Argo's flat variable names into nested maps, so {@code inputs.parameters.x} and {@code
   * steps['flip-coin'].outputs.result} can be written in expressions. Where a name is both a value
   * and a prefix of other names (Argo's {@code inputs.parameters} JSON summary next to {@code
   * inputs.parameters.x}), the nested names win, as in Argo; every flat name also stays reachable
   * as a top-level key.
   */
  public static Map<String, Object> nest(Map<String, String> flat) {
    Map<String, Object> root = new LinkedHashMap<>();
    java.util.Set<String> prefixes = new java.util.HashSet<>();
    for (String k : flat.keySet()) {
      for (int i = k.indexOf('.'); i > 0; i = k.indexOf('.', i + 1))
        prefixes.add(k.substring(0, i));
    }
    for (Map.Entry<String, String> e : new TreeMap<>(flat).entrySet()) {
      if (prefixes.contains(e.getKey())) continue;
      String[] parts = e.getKey().split("\\.", -1);
      Map<String, Object> cur = root;
      for (int k = 0; k < parts.length - 1; k++) {
        Object child = cur.get(parts[k]);
        if (!(child instanceof Map)) {
          child = new LinkedHashMap<String, Object>();
          cur.put(parts[k], child);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) child;
        cur = m;
      }
      cur.put(parts[parts.length - 1], e.getValue());
    }
    for (Map.Entry<String, String> e : flat.entrySet()) root.putIfAbsent(e.getKey(), e.getValue());
    return root;
  }
}
