package dev.weft.expr;

import dev.weft.expr.Govaluate.Syntax;
import dev.weft.expr.Lexer.Kind;
import dev.weft.expr.Lexer.Token;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * govaluate's grammar (ternary, logic, comparison, bitwise, shift, arithmetic, prefix), parsed by
 * recursive descent into closures that evaluate with govaluate's types and messages.
 */
final class GovaluateParser {
  /** A parsed expression; evaluating it is running the closures the parser built. */
  interface Node {
    Object eval();
  }

  private final List<Token> tokens;
  private int i;

  private final Map<String, Object> params;

  GovaluateParser(String src) {
    this(src, Map.of());
  }

  /**
   * @param params govaluate's parameters; Argo passes none, so its bare words are strings
   */
  GovaluateParser(String src, Map<String, Object> params) {
    this.tokens = Lexer.lex(src, GovaluateTokens.DIALECT);
    this.params = params;
  }

  Node parseAll() {
    if (peek().kind() == Kind.EOF) {
      throw new Syntax("empty expression");
    }
    Node n = ternary();
    if (peek().kind() != Kind.EOF) {
      throw new Syntax("Unexpected token " + describe(peek()));
    }
    return n;
  }

  private Token peek() {
    return tokens.get(i);
  }

  private Token next() {
    Token t = tokens.get(i);
    if (t.kind() != Kind.EOF) {
      i++;
    }
    return t;
  }

  private Node ternary() {
    Node left = or();
    while (true) {
      Token t = peek();
      if (t.is("??")) {
        next();
        Node l = left;
        Node r = or();
        left =
            () -> {
              Object v = l.eval();
              return v != null ? v : r.eval();
            };
      } else if (t.is("?")) {
        next();
        Node cond = left;
        Node then = or();
        Node otherwise;
        if (peek().is(":")) {
          next();
          otherwise = ternary();
        } else {
          otherwise = () -> null;
        }
        left =
            () -> {
              Object c = cond.eval();
              if (!(c instanceof Boolean b)) {
                throw typeError(c, "ternary operator", "?", "a bool");
              }
              return b ? then.eval() : otherwise.eval();
            };
      } else {
        return left;
      }
    }
  }

  private Node or() {
    Node left = and();
    while (peek().is("||")) {
      next();
      Node l = left;
      Node r = and();
      left = () -> bool(l.eval(), "||") || bool(r.eval(), "||");
    }
    return left;
  }

  private Node and() {
    Node left = comparison();
    while (peek().is("&&")) {
      next();
      Node l = left;
      Node r = comparison();
      left = () -> bool(l.eval(), "&&") && bool(r.eval(), "&&");
    }
    return left;
  }

  private Node comparison() {
    Node left = bitwise();
    while (true) {
      Token t = peek();
      if (t.kind() != Kind.OP) {
        return left;
      }
      String op = t.text();
      switch (op) {
        case "==", "!=", ">", ">=", "<", "<=", "=~", "!~", "in" -> {
          next();
          Node l = left;
          Node r = bitwise();
          left = () -> compare(op, l.eval(), r.eval());
        }
        default -> {
          return left;
        }
      }
    }
  }

  private Node bitwise() {
    Node left = shift();
    while (peek().is("&") || peek().is("|") || peek().is("^")) {
      String op = next().text();
      Node l = left;
      Node r = shift();
      left =
          () -> {
            long a = (long) num(l.eval(), op);
            long b = (long) num(r.eval(), op);
            return (double) (op.equals("&") ? a & b : op.equals("|") ? a | b : a ^ b);
          };
    }
    return left;
  }

  private Node shift() {
    Node left = additive();
    while (peek().is("<<") || peek().is(">>")) {
      String op = next().text();
      Node l = left;
      Node r = additive();
      left =
          () -> {
            long a = (long) num(l.eval(), op);
            long b = (long) num(r.eval(), op);
            return (double) (op.equals("<<") ? a << b : a >> b);
          };
    }
    return left;
  }

  private Node additive() {
    Node left = multiplicative();
    while (peek().is("+") || peek().is("-")) {
      String op = next().text();
      Node l = left;
      Node r = multiplicative();
      left =
          () -> {
            Object a = l.eval();
            Object b = r.eval();
            if (op.equals("+") && (a instanceof String || b instanceof String)) {
              return Govaluate.goString(a) + Govaluate.goString(b);
            }
            double x = num(a, op);
            double y = num(b, op);
            return op.equals("+") ? x + y : x - y;
          };
    }
    return left;
  }

  private Node multiplicative() {
    Node left = exponential();
    while (peek().is("*") || peek().is("/") || peek().is("%")) {
      String op = next().text();
      Node l = left;
      Node r = exponential();
      left =
          () -> {
            double x = num(l.eval(), op);
            double y = num(r.eval(), op);
            return switch (op) {
              case "*" -> x * y;
              case "/" -> x / y;
              default -> x % y;
            };
          };
    }
    return left;
  }

  private Node exponential() {
    Node left = prefix();
    if (peek().is("**")) {
      next();
      Node l = left;
      Node r = exponential();
      return () -> Math.pow(num(l.eval(), "**"), num(r.eval(), "**"));
    }
    return left;
  }

  private Node prefix() {
    Token t = peek();
    if (t.is("-") || t.is("!") || t.is("~")) {
      next();
      Node operand = prefix();
      return switch (t.text()) {
        case "-" -> () -> -num(operand.eval(), "-");
        case "~" -> () -> (double) ~(long) num(operand.eval(), "~");
        default ->
            () -> {
              Object v = operand.eval();
              if (v instanceof Boolean b) {
                return !b;
              }
              throw typeError(v, "prefix operator", "!", "a bool");
            };
      };
    }
    return primary();
  }

  private Node primary() {
    Token t = next();
    switch (t.kind()) {
      case NUMBER, STRING, BOOLEAN -> {
        Object v = t.value();
        boolean bare = t.kind() == Kind.STRING && t.text().equals(v);
        if (bare && params.containsKey(t.text())) {
          Object p = Values.normalize(params.get(t.text()));
          Object pv =
              p instanceof Long l ? (Object) l.doubleValue() : p; // govaluate's numbers are float64
          return () -> pv;
        }
        if (bare && t.text().indexOf('.') > 0) {
          // govaluate reads a dotted name as an accessor, which Argo does not turn into a string:
          // with no parameters it fails to evaluate (workflow/controller/steps.go shouldExecute)
          String base = t.text().substring(0, t.text().indexOf('.'));
          return () -> {
            throw new Syntax(
                "No parameter '"
                    + base
                    + "' found. ('"
                    + t.text()
                    + "' is an accessor; quote it to compare it as a string)");
          };
        }
        if (peek().is("(")) {
          throw new Syntax(
              "Unexpected '(' at position "
                  + (peek().pos() + 1)
                  + " after '"
                  + t.text()
                  + "' (functions are not available in 'when' expressions)");
        }
        return () -> v;
      }
      case EOF -> throw new Syntax("Unexpected end of expression");
      default -> {
        // an operator in value position
      }
    }
    if (t.is("(")) {
      Node first = ternary();
      if (peek().is(",")) {
        List<Node> items = new ArrayList<>();
        items.add(first);
        while (peek().is(",")) {
          next();
          items.add(ternary());
        }
        expect(")");
        return () -> {
          List<Object> values = new ArrayList<>(items.size());
          for (Node item : items) {
            values.add(item.eval());
          }
          return values;
        };
      }
      expect(")");
      return first;
    }
    throw new Syntax("Unexpected token " + describe(t));
  }

  private static String describe(Token t) {
    return t.kind() == Kind.EOF
        ? "end of expression"
        : "'" + t.text() + "' at position " + (t.pos() + 1);
  }

  private void expect(String op) {
    Token t = peek();
    if (!t.is(op)) {
      throw new Syntax("Expected '" + op + "' but found " + describe(t));
    }
    next();
  }

  // ---- semantics ----

  private static Syntax typeError(Object v, String what, String op, String needed) {
    return new Syntax(
        "Value '"
            + Govaluate.goString(v)
            + "' cannot be used with the "
            + what
            + " '"
            + op
            + "', it is not "
            + needed);
  }

  private static boolean bool(Object v, String op) {
    if (v instanceof Boolean b) {
      return b;
    }
    throw typeError(v, "logical operator", op, "a bool");
  }

  private static double num(Object v, String op) {
    if (v instanceof Double d) {
      return d;
    }
    throw typeError(v, "modifier", op, "a number");
  }

  private static Object compare(String op, Object a, Object b) {
    switch (op) {
      case "==":
        return Objects.equals(a, b);
      case "!=":
        return !Objects.equals(a, b);
      case "in":
        {
          if (!(b instanceof List<?> list)) {
            throw typeError(b, "comparator", "in", "an array");
          }
          return list.contains(a);
        }
      case "=~", "!~":
        {
          if (!(a instanceof String s)) {
            throw typeError(a, "comparator", op, "a string");
          }
          if (!(b instanceof String pattern)) {
            throw typeError(b, "comparator", op, "a string");
          }
          boolean found;
          try {
            found = Pattern.compile(pattern).matcher(s).find();
          } catch (PatternSyntaxException e) {
            throw new Syntax(
                "Unable to compile regexp pattern '" + pattern + "': " + e.getDescription());
          }
          return op.equals("=~") == found;
        }
      default:
        break;
    }
    int c;
    if (a instanceof Double x && b instanceof Double y) {
      c = Double.compare(x, y);
      if (Double.isNaN(x) || Double.isNaN(y)) {
        return false;
      }
    } else if (a instanceof String x && b instanceof String y) {
      c = x.compareTo(y);
    } else {
      Object bad = (a instanceof Double || a instanceof String) ? b : a;
      throw new Syntax(
          "Value '"
              + Govaluate.goString(bad)
              + "' cannot be used with the comparator '"
              + op
              + "' against '"
              + Govaluate.goString(bad == a ? b : a)
              + "', both sides must be numbers or both"
              + " strings");
    }
    return switch (op) {
      case ">" -> c > 0;
      case ">=" -> c >= 0;
      case "<" -> c < 0;
      default -> c <= 0;
    };
  }
}
