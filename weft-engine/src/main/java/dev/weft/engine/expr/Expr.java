package dev.weft.engine.expr;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The expr language (github.com/expr-lang/expr) as Argo uses it in {@code {{= …}}}: literals,
 * member access, operators, ternary, {@code ??}, Argo's functions ({@code asInt}, {@code asFloat},
 * {@code toJson}, {@code jsonpath}), expr builtins and {@code sprig.*}.
 */
public final class Expr {
  private Expr() {}

  /**
   * Evaluates {@code expression} over {@code env} (String, Long/Double, Boolean, List, Map or
   * null values). Every top-level name must be in {@code env}, as with Argo's compile against its
   * env; a key whose value is null evaluates to nil. Returns String, Long, Double, Boolean, List,
   * Map or null.
   */
  public static Object evaluate(String expression, Map<String, Object> env) {
    ExprParser.Program program;
    try {
      program = ExprParser.parse(expression);
    } catch (ExpressionException e) {
      throw new ExpressionException("cannot parse expression '" + expression + "': " + e.getMessage(), e);
    } catch (StackOverflowError e) {
      throw new ExpressionException("cannot parse expression '" + expression + "': nested too deeply");
    }
    for (Map.Entry<String, Integer> name : program.names().entrySet()) {
      if (!env.containsKey(name.getKey())) {
        throw new ExpressionException("unknown name " + name.getKey() + " at " + ExprLexer.pos(name.getValue())
            + " in expression '" + expression + "'");
      }
    }
    try {
      return normalize(program.root().eval(env, null));
    } catch (ExpressionException e) {
      throw new ExpressionException("cannot evaluate expression '" + expression + "': " + e.getMessage(), e);
    } catch (StackOverflowError e) {
      throw new ExpressionException("cannot evaluate expression '" + expression + "': nested too deeply");
    }
  }

  /** The names of the functions {@link #evaluate} knows (predicates like {@code filter} included). */
  public static Set<String> functions() {
    return Collections.unmodifiableSet(ExprFunctions.names());
  }

  /**
   * Builds an expr env from Argo's flat dotted keys: {@code {"inputs.parameters.x": "1"}} becomes
   * {@code {inputs: {parameters: {x: "1"}}}}, and each dotted key also stays a top-level entry.
   * Where a key is both a value and a prefix ({@code steps.s.outputs.parameters} next to
   * {@code steps.s.outputs.parameters.p}), the nested map wins and the value stays reachable
   * under its flat key.
   */
  public static Map<String, Object> nest(Map<String, String> flat) {
    Map<String, Object> root = new LinkedHashMap<>();
    // Sorted so a prefix key comes before its children; the map then replaces the leaf.
    for (Map.Entry<String, String> e : new TreeMap<>(flat).entrySet()) {
      String[] parts = e.getKey().split("\\.", -1);
      Map<String, Object> at = root;
      for (int i = 0; i < parts.length - 1; i++) {
        Object child = at.get(parts[i]);
        if (!(child instanceof Map)) {
          child = new LinkedHashMap<String, Object>();
          at.put(parts[i], child);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> next = (Map<String, Object>) child;
        at = next;
      }
      String leaf = parts[parts.length - 1];
      if (!(at.get(leaf) instanceof Map)) at.put(leaf, e.getValue());
    }
    for (Map.Entry<String, String> e : flat.entrySet()) {
      if (e.getKey().contains(".")) root.putIfAbsent(e.getKey(), e.getValue());
    }
    return root;
  }

  /** Integer/Float/BigDecimal from a caller's env come back as Long/Double. */
  private static Object normalize(Object v) {
    if (v instanceof Integer || v instanceof Short || v instanceof Byte || v instanceof BigInteger) {
      return ((Number) v).longValue();
    }
    if (v instanceof Float || v instanceof BigDecimal) return ((Number) v).doubleValue();
    return v;
  }
}
