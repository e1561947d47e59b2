package dev.weft.expr;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Argo's {@code when:} conditions: the govaluate grammar, with every bare name taken as a string
 * (Argo's controller rewrites govaluate's variable tokens to strings, so {@code heads == heads} and
 * {@code foo != bar} work unquoted). Numbers are doubles; results are Boolean, Double or String.
 */
public final class Govaluate {

  private Govaluate() {}

  /**
   * Evaluates a {@code when} condition.
   *
   * @throws ExpressionException {@code Invalid 'when' expression '<expr>': <reason>} when it does
   *     not parse, {@code Expected boolean evaluation for '<expr>'. Got <v>} when the result is not
   *     a boolean, and a message naming the operator and value on a type mismatch
   */
  public static boolean evaluateCondition(String expression) {
    Object result = evaluate(expression);
    if (result instanceof Boolean b) {
      return b;
    }
    throw new ExpressionException(
        "Expected boolean evaluation for '" + expression + "'. Got " + goString(result));
  }

  /**
   * Evaluates an expression to a Boolean, Double or String; null for a false ternary without {@code
   * :}, a List for a parenthesised list such as {@code (a, b)}.
   */
  public static Object evaluate(String expression) {
    return evaluate(expression, Map.of());
  }

  /**
   * Evaluates with govaluate's parameters: a bare name that is a parameter is its value (numbers as
   * doubles); other bare names are strings, as Argo makes them.
   */
  public static Object evaluate(String expression, Map<String, Object> parameters) {
    Objects.requireNonNull(expression, "expression");
    GovaluateParser.Node ast;
    try {
      ast = new GovaluateParser(expression, parameters).parseAll();
    } catch (Syntax e) {
      throw new ExpressionException(
          "Invalid 'when' expression '" + expression + "': " + e.getMessage());
    } catch (StackOverflowError e) {
      throw new ExpressionException(
          "Invalid 'when' expression '" + expression + "': nested too deeply");
    }
    try {
      return ast.eval();
    } catch (Syntax e) {
      throw new ExpressionException(
          "Failed to evaluate 'when' expression '" + expression + "': " + e.getMessage());
    } catch (StackOverflowError e) {
      throw new ExpressionException(
          "Failed to evaluate 'when' expression '" + expression + "': nested too deeply");
    }
  }

  /** A parse or evaluation failure; wrapped into an ExpressionException naming the expression. */
  static final class Syntax extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Syntax(String message) {
      super(message);
    }
  }

  /** Go's %v for the values govaluate produces. */
  static String goString(Object v) {
    if (v == null) {
      return "<nil>";
    }
    if (v instanceof Double d) {
      return Values.goFloat(d);
    }
    if (v instanceof List<?> l) {
      List<String> parts = new ArrayList<>();
      for (Object o : l) {
        parts.add(goString(o));
      }
      return "[" + String.join(" ", parts) + "]";
    }
    return String.valueOf(v);
  }
}
