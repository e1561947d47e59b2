package dev.weft.engine.expr;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Argo's {@code when:} language: govaluate, with every bare identifier read as a string (so
 * {@code heads == heads} holds), evaluated with no parameters, as the controller's
 * {@code shouldExecute} does.
 */
public final class Govaluate {
  private static final Set<String> OPERATORS =
      Set.of(
          "==", "!=", ">", ">=", "<", "<=", "=~", "!~", "&&", "||", "+", "-", "*", "/", "%", "**",
          "&", "|", "^", "<<", ">>", "?", ":", "??", "!", "~");
  private static final String SYMBOL_CHARS = "=!<>&|+-*/%^?:~";

  private Govaluate() {}

  /** Evaluates an already-substituted {@code when} expression; the result must be a boolean. */
  public static boolean evaluateCondition(String expression) {
    Object result = evaluateWhen(expression);
    if (result instanceof Boolean b) return b;
    throw new ExpressionException(
        "Expected boolean evaluation for '" + expression + "'. Got " + Values.goString(result));
  }

  /** Evaluates a govaluate expression (identifiers read as strings) to a Boolean, Double, String or null. */
  public static Object evaluate(String expression) {
    return evaluateWhen(expression);
  }

  private static Object evaluateWhen(String expression) {
    Parser p;
    try {
      p = new Parser(lex(expression));
    } catch (Fault f) {
      throw new ExpressionException(
          "Invalid 'when' expression '" + expression + "': " + f.getMessage());
    }
    Node root;
    try {
      root = p.parseAll();
    } catch (Fault f) {
      throw new ExpressionException(
          "Invalid 'when' expression '" + expression + "': " + f.getMessage());
    }
    try {
      return root.eval();
    } catch (Fault f) {
      throw new ExpressionException(
          "Failed to evaluate 'when' expression '" + expression + "': " + f.getMessage());
    }
  }

  /** A parse or evaluation fault before it is wrapped with the expression text. */
  private static final class Fault extends RuntimeException {
    Fault(String message) {
      super(message, null, false, false);
    }
  }

  private enum Kind { NUMBER, STRING, BOOL, OP, LPAREN, RPAREN, COMMA, IN }

  private record Token(Kind kind, String text, Object value) {
    @Override
    public String toString() {
      return kind + " [" + text + "]";
    }
  }

  private static List<Token> lex(String s) {
    List<Token> out = new ArrayList<>();
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (Character.isDigit(c)) {
        int j = i;
        while (j < s.length() && (Character.isDigit(s.charAt(j)) || s.charAt(j) == '.')) j++;
        String t = s.substring(i, j);
        try {
          out.add(new Token(Kind.NUMBER, t, Double.parseDouble(t)));
        } catch (NumberFormatException e) {
          throw new Fault("Unable to parse numeric value '" + t + "' to float64");
        }
        i = j;
      } else if (Character.isLetter(c) || c == '_') {
        int j = i;
        while (j < s.length()
            && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_' || s.charAt(j) == '.')) j++;
        String t = s.substring(i, j);
        if (j < s.length() && s.charAt(j) == '(' && !t.equals("in")) {
          throw new Fault("Invalid token: '" + t + "' (no functions are available in 'when')");
        }
        switch (t) {
          case "true", "false" -> out.add(new Token(Kind.BOOL, t, Boolean.parseBoolean(t)));
          case "in", "IN" -> out.add(new Token(Kind.IN, t, null));
          // Argo turns every govaluate VARIABLE token into a STRING token.
          default -> out.add(new Token(Kind.STRING, t, t));
        }
        i = j;
      } else if (c == '[') {
        int j = s.indexOf(']', i);
        if (j < 0) throw new Fault("Unclosed parameter bracket");
        String t = s.substring(i + 1, j);
        out.add(new Token(Kind.STRING, t, t));
        i = j + 1;
      } else if (c == '"' || c == '\'') {
        StringBuilder sb = new StringBuilder();
        int j = i + 1;
        while (j < s.length() && s.charAt(j) != c) {
          if (s.charAt(j) == '\\' && j + 1 < s.length()) j++;
          sb.append(s.charAt(j++));
        }
        if (j >= s.length()) throw new Fault("Unclosed string literal");
        out.add(new Token(Kind.STRING, sb.toString(), sb.toString()));
        i = j + 1;
      } else if (c == '(') {
        out.add(new Token(Kind.LPAREN, "(", null));
        i++;
      } else if (c == ')') {
        out.add(new Token(Kind.RPAREN, ")", null));
        i++;
      } else if (c == ',') {
        out.add(new Token(Kind.COMMA, ",", null));
        i++;
      } else if (SYMBOL_CHARS.indexOf(c) >= 0) {
        int j = i;
        while (j < s.length() && SYMBOL_CHARS.indexOf(s.charAt(j)) >= 0) j++;
        String t = s.substring(i, j);
        // A run like "!!" or "-" after "==" is a chain of prefixes; split them off the end.
        while (!OPERATORS.contains(t) && t.length() > 1 && "!-~".indexOf(t.charAt(t.length() - 1)) >= 0
            && OPERATORS.contains(t.substring(0, t.length() - 1))) {
          j--;
          t = t.substring(0, t.length() - 1);
        }
        if (!OPERATORS.contains(t)) throw new Fault("Invalid token: '" + t + "'");
        out.add(new Token(Kind.OP, t, null));
        i = j;
      } else {
        throw new Fault("Invalid token: '" + c + "'");
      }
    }
    return out;
  }

  private interface Node {
    Object eval();
  }

  private static final class Parser {
    private final List<Token> tokens;
    private int pos;

    Parser(List<Token> tokens) {
      this.tokens = tokens;
    }

    Node parseAll() {
      if (tokens.isEmpty()) throw new Fault("Unexpected end of expression");
      Node n = ternary();
      if (pos < tokens.size()) {
        Token t = tokens.get(pos);
        throw new Fault(
            "Cannot transition token types from " + tokens.get(pos - 1) + " to " + t);
      }
      return n;
    }

    private Token peek() {
      return pos < tokens.size() ? tokens.get(pos) : null;
    }

    private boolean isOp(String... ops) {
      Token t = peek();
      if (t == null || t.kind != Kind.OP) return false;
      for (String o : ops) if (o.equals(t.text)) return true;
      return false;
    }

    private Node ternary() {
      Node left = or();
      if (isOp("?")) {
        pos++;
        Node then = ternary();
        Node otherwise = null;
        if (isOp(":")) {
          pos++;
          otherwise = ternary();
        }
        Node els = otherwise;
        return () -> {
          Object c = left.eval();
          if (!(c instanceof Boolean b)) {
            throw new Fault("Value '" + Values.goString(c) + "' cannot be used with the ternary operator '?', it is not a bool");
          }
          return b ? then.eval() : (els == null ? null : els.eval());
        };
      }
      if (isOp("??")) {
        pos++;
        Node right = ternary();
        return () -> {
          Object l = left.eval();
          return l != null ? l : right.eval();
        };
      }
      return left;
    }

    private Node or() {
      Node left = and();
      while (isOp("||")) {
        pos++;
        Node l = left, r = and();
        left = () -> bool(l.eval(), "||") || bool(r.eval(), "||");
      }
      return left;
    }

    private Node and() {
      Node left = comparator();
      while (isOp("&&")) {
        pos++;
        Node l = left, r = comparator();
        left = () -> bool(l.eval(), "&&") && bool(r.eval(), "&&");
      }
      return left;
    }

    private static boolean bool(Object v, String op) {
      if (v instanceof Boolean b) return b;
      throw new Fault("Value '" + Values.goString(v) + "' cannot be used with the logical operator '" + op + "', it is not a bool");
    }

    private Node comparator() {
      Node left = bitwise();
      while (true) {
        Token t = peek();
        if (t != null && t.kind == Kind.IN) {
          pos++;
          Node l = left, r = bitwise();
          left = () -> {
            Object lv = l.eval(), rv = r.eval();
            if (!(rv instanceof List<?> list)) {
              throw new Fault("Value '" + Values.goString(rv) + "' cannot be used with the comparator 'in', it is not an array");
            }
            for (Object o : list) if (Values.equal(lv, o)) return true;
            return false;
          };
        } else if (isOp("==", "!=", ">", ">=", "<", "<=", "=~", "!~")) {
          String op = tokens.get(pos++).text;
          Node l = left, r = bitwise();
          left = () -> compare(op, l.eval(), r.eval());
        } else {
          return left;
        }
      }
    }

    private static Object compare(String op, Object l, Object r) {
      switch (op) {
        case "==":
          return Values.equal(l, r);
        case "!=":
          return !Values.equal(l, r);
        case "=~":
        case "!~":
          if (!(l instanceof String ls) || !(r instanceof String rs)) {
            throw new Fault("Value '" + Values.goString(l instanceof String ? r : l) + "' cannot be used with the comparator '" + op + "', it is not a string");
          }
          try {
            boolean found = Pattern.compile(rs).matcher(ls).find();
            return op.equals("=~") == found;
          } catch (PatternSyntaxException e) {
            throw new Fault("Unable to compile regexp pattern '" + rs + "': " + e.getDescription());
          }
        default:
          int c;
          if (l instanceof String ls && r instanceof String rs) {
            c = ls.compareTo(rs);
          } else if (l instanceof Double a && r instanceof Double b) {
            c = Double.compare(a, b);
          } else {
            Object bad = l instanceof Double ? r : l;
            throw new Fault("Value '" + Values.goString(bad) + "' cannot be used with the comparator '" + op + "', it is not a number");
          }
          return switch (op) {
            case ">" -> c > 0;
            case ">=" -> c >= 0;
            case "<" -> c < 0;
            default -> c <= 0;
          };
      }
    }

    private Node bitwise() {
      Node left = shift();
      while (isOp("&", "|", "^")) {
        String op = tokens.get(pos++).text;
        Node l = left, r = shift();
        left = () -> {
          long a = (long) num(l.eval(), op), b = (long) num(r.eval(), op);
          return (double) (op.equals("&") ? a & b : op.equals("|") ? a | b : a ^ b);
        };
      }
      return left;
    }

    private Node shift() {
      Node left = additive();
      while (isOp("<<", ">>")) {
        String op = tokens.get(pos++).text;
        Node l = left, r = additive();
        left = () -> {
          long a = (long) num(l.eval(), op), b = (long) num(r.eval(), op);
          return (double) (op.equals("<<") ? a << b : a >> b);
        };
      }
      return left;
    }

    private Node additive() {
      Node left = multiplicative();
      while (isOp("+", "-")) {
        String op = tokens.get(pos++).text;
        Node l = left, r = multiplicative();
        left = () -> {
          Object a = l.eval(), b = r.eval();
          if (op.equals("+") && (a instanceof String || b instanceof String)) {
            return Values.goString(a) + Values.goString(b);
          }
          double x = num(a, op), y = num(b, op);
          return op.equals("+") ? x + y : x - y;
        };
      }
      return left;
    }

    private Node multiplicative() {
      Node left = exponential();
      while (isOp("*", "/", "%")) {
        String op = tokens.get(pos++).text;
        Node l = left, r = exponential();
        left = () -> {
          double x = num(l.eval(), op), y = num(r.eval(), op);
          return switch (op) {
            case "*" -> x * y;
            case "/" -> x / y;
            default -> (double) ((long) x % (long) y);
          };
        };
      }
      return left;
    }

    private Node exponential() {
      Node left = prefix();
      while (isOp("**")) {
        pos++;
        Node l = left, r = prefix();
        left = () -> Math.pow(num(l.eval(), "**"), num(r.eval(), "**"));
      }
      return left;
    }

    private static double num(Object v, String op) {
      if (v instanceof Double d) return d;
      throw new Fault("Value '" + Values.goString(v) + "' cannot be used with the modifier '" + op + "', it is not a number");
    }

    private Node prefix() {
      if (isOp("-", "!", "~")) {
        String op = tokens.get(pos++).text;
        Node operand = prefix();
        return () -> {
          Object v = operand.eval();
          if (op.equals("!")) {
            if (v instanceof Boolean b) return !b;
          } else if (v instanceof Double d) {
            return op.equals("-") ? -d : (double) ~(long) (double) d;
          }
          throw new Fault("Value '" + Values.goString(v) + "' cannot be used with the prefix '" + op + "'");
        };
      }
      return value();
    }

    private Node value() {
      Token t = peek();
      if (t == null) throw new Fault("Unexpected end of expression");
      pos++;
      switch (t.kind) {
        case NUMBER, STRING, BOOL:
          Object v = t.value;
          return () -> v;
        case LPAREN:
          List<Node> items = new ArrayList<>();
          items.add(ternary());
          boolean list = false;
          while (peek() != null && peek().kind == Kind.COMMA) {
            pos++;
            list = true;
            items.add(ternary());
          }
          Token close = peek();
          if (close == null) throw new Fault("Unbalanced parenthesis");
          if (close.kind != Kind.RPAREN) {
            throw new Fault("Cannot transition token types from " + tokens.get(pos - 1) + " to " + close);
          }
          pos++;
          if (!list) return items.get(0);
          return () -> {
            List<Object> out = new ArrayList<>();
            for (Node n : items) out.add(n.eval());
            return out;
          };
        default:
          throw new Fault("Unexpected token " + t + (pos > 1 ? " after " + tokens.get(pos - 2) : " at the start"));
      }
    }
  }
}
