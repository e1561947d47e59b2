package dev.weft.expr;

import dev.weft.expr.ExprSyntax.Binary;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * expr's strict binary operators (both operands evaluated first) over weft's values: equality,
 * ordering, arithmetic, ranges, membership and the string operators, with expr's type errors.
 */
final class ExprOperators {
  private final String src;

  ExprOperators(String src) {
    this.src = src;
  }

  private ExpressionException error(String what, int pos) {
    return ExpressionException.at(what, pos, src);
  }

  /** Applies {@code b}'s operator to its evaluated operands {@code l} and {@code r}. */
  Object apply(Binary b, Object l, Object r) {
    String op = b.op();
    switch (op) {
      case "==":
        return Values.equal(l, r);
      case "!=":
        return !Values.equal(l, r);
      case "<", "<=", ">", ">=":
        {
          int c = compare(l, r, b);
          return switch (op) {
            case "<" -> c < 0;
            case "<=" -> c <= 0;
            case ">" -> c > 0;
            default -> c >= 0;
          };
        }
      case "+":
        if (l instanceof String ls && r instanceof String rs) {
          return ls + rs;
        }
        if (l instanceof List<?> ll && r instanceof List<?> rl) {
          List<Object> out = new ArrayList<>(ll);
          out.addAll(rl);
          return out;
        }
        return arithmetic(l, r, b);
      case "-", "*":
        return arithmetic(l, r, b);
      case "/":
        return num(l, b) / num(r, b);
      case "%":
        if (l instanceof Long x && r instanceof Long y) {
          if (y == 0) {
            throw error("integer divide by zero", b.pos());
          }
          return x % y;
        }
        throw mismatch(l, r, b);
      case "**", "^":
        return Math.pow(num(l, b), num(r, b));
      case "..":
        {
          if (!(l instanceof Long from) || !(r instanceof Long to)) {
            throw mismatch(l, r, b);
          }
          if (to - from > 1_000_000) {
            throw error("range " + from + ".." + to + " is larger than 1000000 items", b.pos());
          }
          List<Object> out = new ArrayList<>();
          for (long k = from; k <= to; k++) {
            out.add(k);
          }
          return out;
        }
      case "in":
        if (r instanceof List<?> list) {
          for (Object o : list) {
            if (Values.equal(l, Values.normalize(o))) {
              return true;
            }
          }
          return false;
        }
        if (r instanceof Map<?, ?> map) {
          if (!(l instanceof String)) {
            throw mismatch(l, r, b);
          }
          return map.containsKey(l);
        }
        throw mismatch(l, r, b);
      case "matches":
        {
          requireStrings(l, r, b);
          String s = (String) l;
          String pattern = (String) r;
          try {
            return Pattern.compile(pattern).matcher(s).find();
          } catch (PatternSyntaxException e) {
            throw error(
                "invalid regular expression '" + pattern + "': " + e.getDescription(), b.pos());
          }
        }
      case "contains":
        requireStrings(l, r, b);
        return ((String) l).contains((String) r);
      case "startsWith":
        requireStrings(l, r, b);
        return ((String) l).startsWith((String) r);
      case "endsWith":
        requireStrings(l, r, b);
        return ((String) l).endsWith((String) r);
      default:
        throw error("unknown operator '" + op + "'", b.pos());
    }
  }

  boolean bool(Object v, String op, Binary b) {
    if (v instanceof Boolean flag) {
      return flag;
    }
    throw error(
        "invalid operation: operator '"
            + op
            + "' needs bool operands, got "
            + Values.typeName(v)
            + " ("
            + abbreviated(v)
            + ")",
        b.pos());
  }

  private void requireStrings(Object l, Object r, Binary b) {
    if (!(l instanceof String) || !(r instanceof String)) {
      throw mismatch(l, r, b);
    }
  }

  private ExpressionException mismatch(Object l, Object r, Binary b) {
    return error(
        "invalid operation: "
            + Values.typeName(l)
            + " "
            + b.op()
            + " "
            + Values.typeName(r)
            + " (mismatched types)",
        b.pos());
  }

  private double num(Object v, Binary b) {
    if (v instanceof Long l) {
      return l;
    }
    if (v instanceof Double d) {
      return d;
    }
    throw error(
        "invalid operation: operator '"
            + b.op()
            + "' needs numbers, got "
            + Values.typeName(v)
            + " ("
            + abbreviated(v)
            + ")",
        b.pos());
  }

  private Object arithmetic(Object l, Object r, Binary b) {
    if (l instanceof Long x && r instanceof Long y) {
      return switch (b.op()) {
        case "+" -> x + y;
        case "-" -> x - y;
        default -> x * y;
      };
    }
    if ((l instanceof Long || l instanceof Double) && (r instanceof Long || r instanceof Double)) {
      double x = ((Number) l).doubleValue();
      double y = ((Number) r).doubleValue();
      return switch (b.op()) {
        case "+" -> x + y;
        case "-" -> x - y;
        default -> x * y;
      };
    }
    throw mismatch(l, r, b);
  }

  private int compare(Object l, Object r, Binary b) {
    if (l instanceof Long x && r instanceof Long y) {
      return Long.compare(x, y);
    }
    if ((l instanceof Long || l instanceof Double) && (r instanceof Long || r instanceof Double)) {
      return Double.compare(((Number) l).doubleValue(), ((Number) r).doubleValue());
    }
    if (l instanceof String x && r instanceof String y) {
      return x.compareTo(y);
    }
    throw mismatch(l, r, b);
  }

  /** A value as shown in a message, cut to 40 characters. */
  static String abbreviated(Object v) {
    String s = Values.display(v);
    return s.length() > 40 ? s.substring(0, 37) + "..." : s;
  }
}
