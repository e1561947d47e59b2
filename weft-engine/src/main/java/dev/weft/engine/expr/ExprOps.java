package dev.weft.engine.expr;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** The semantics of expr-lang's operators and member access over plain Java values. */
final class ExprOps {
  private ExprOps() {}

  static ExpressionException mismatch(String op, Object l, Object r) {
    return new ExpressionException(
        "invalid operation: " + Values.typeName(l) + " " + op + " " + Values.typeName(r)
            + " (" + describe(l) + " " + op + " " + describe(r) + ")");
  }

  private static String describe(Object v) {
    return v instanceof String s ? "\"" + s + "\"" : Values.goString(v);
  }

  static Object binary(String op, Object l, Object r) {
    switch (op) {
      case "==":
        return Values.equal(l, r);
      case "!=":
        return !Values.equal(l, r);
      case "+":
        if (l instanceof String a && r instanceof String b) return a + b;
        if (l instanceof List<?> a && r instanceof List<?> b) {
          List<Object> out = new ArrayList<>(a);
          out.addAll(b);
          return out;
        }
        return arithmetic(op, l, r);
      case "-":
      case "*":
        return arithmetic(op, l, r);
      case "/":
        if (!Values.isNumber(l) || !Values.isNumber(r)) throw mismatch(op, l, r);
        return Values.toDouble(l) / Values.toDouble(r);
      case "%":
        if (!Values.isInt(l) || !Values.isInt(r)) throw mismatch(op, l, r);
        if (((Number) r).longValue() == 0) throw new ExpressionException("integer divide by zero");
        return ((Number) l).longValue() % ((Number) r).longValue();
      case "**":
      case "^":
        if (!Values.isNumber(l) || !Values.isNumber(r)) throw mismatch(op, l, r);
        return Math.pow(Values.toDouble(l), Values.toDouble(r));
      case "<":
      case "<=":
      case ">":
      case ">=":
        return compare(op, l, r);
      case "in":
        return in(l, r);
      case "matches":
        if (!(l instanceof String s) || !(r instanceof String re)) throw mismatch(op, l, r);
        try {
          return Pattern.compile(re).matcher(s).find();
        } catch (PatternSyntaxException e) {
          throw new ExpressionException("invalid regular expression '" + re + "': " + e.getDescription());
        }
      case "contains":
        if (!(l instanceof String a) || !(r instanceof String b)) throw mismatch(op, l, r);
        return a.contains(b);
      case "startsWith":
        if (!(l instanceof String a) || !(r instanceof String b)) throw mismatch(op, l, r);
        return a.startsWith(b);
      case "endsWith":
        if (!(l instanceof String a) || !(r instanceof String b)) throw mismatch(op, l, r);
        return a.endsWith(b);
      case "..":
        if (!Values.isInt(l) || !Values.isInt(r)) throw mismatch(op, l, r);
        long from = ((Number) l).longValue(), to = ((Number) r).longValue();
        if (to - from > 1_000_000) throw new ExpressionException("range " + from + ".." + to + " is longer than 1000000");
        List<Object> range = new ArrayList<>();
        for (long i = from; i <= to; i++) range.add(i);
        return range;
      default:
        throw new IllegalStateException("operator " + op);
    }
  }

  private static Object arithmetic(String op, Object l, Object r) {
    if (!Values.isNumber(l) || !Values.isNumber(r)) throw mismatch(op, l, r);
    if (Values.isInt(l) && Values.isInt(r)) {
      long a = ((Number) l).longValue(), b = ((Number) r).longValue();
      return switch (op) {
        case "+" -> a + b;
        case "-" -> a - b;
        default -> a * b;
      };
    }
    double a = Values.toDouble(l), b = Values.toDouble(r);
    return switch (op) {
      case "+" -> a + b;
      case "-" -> a - b;
      default -> a * b;
    };
  }

  private static boolean compare(String op, Object l, Object r) {
    int c;
    if (l instanceof String a && r instanceof String b) {
      c = a.compareTo(b);
    } else if (Values.isInt(l) && Values.isInt(r)) {
      c = Long.compare(((Number) l).longValue(), ((Number) r).longValue());
    } else if (Values.isNumber(l) && Values.isNumber(r)) {
      c = Double.compare(Values.toDouble(l), Values.toDouble(r));
    } else {
      throw mismatch(op, l, r);
    }
    return switch (op) {
      case "<" -> c < 0;
      case "<=" -> c <= 0;
      case ">" -> c > 0;
      default -> c >= 0;
    };
  }

  private static boolean in(Object l, Object r) {
    if (r instanceof List<?> list) {
      for (Object o : list) if (Values.equal(l, o)) return true;
      return false;
    }
    if (r instanceof Map<?, ?> map) return l != null && map.containsKey(l instanceof String ? l : Values.goString(l));
    if (r == null) return false;
    throw mismatch("in", l, r);
  }

  static Object negate(String op, Object v) {
    switch (op) {
      case "!":
      case "not":
        if (v instanceof Boolean b) return !b;
        break;
      case "-":
        if (Values.isInt(v)) return -((Number) v).longValue();
        if (v instanceof Number n) return -n.doubleValue();
        break;
      default:
        if (v instanceof Number) return v;
    }
    throw new ExpressionException("invalid operation: " + op + " " + Values.typeName(v) + " (" + describe(v) + ")");
  }

  static boolean truth(Object v, String where) {
    if (v instanceof Boolean b) return b;
    throw new ExpressionException("non-bool value " + describe(v) + " (type " + Values.typeName(v) + ") used with " + where);
  }

  /** {@code obj.key} / {@code obj[key]}: maps give nil for a missing key; arrays index from the end when negative. */
  static Object fetch(Object obj, Object key) {
    if (obj instanceof Map<?, ?> m) {
      if (!(key instanceof String)) throw new ExpressionException("cannot fetch " + describe(key) + " from map: key is not a string");
      return m.get(key);
    }
    if (obj instanceof List<?> list) {
      int i = index(key, list.size(), "array");
      return list.get(i);
    }
    if (obj instanceof String s && Values.isInt(key)) {
      int i = index(key, s.length(), "string");
      return String.valueOf(s.charAt(i));
    }
    throw new ExpressionException("cannot fetch " + describe(key) + " from " + Values.typeName(obj)
        + (obj == null ? " (use ?. for optional access)" : ""));
  }

  private static int index(Object key, int size, String what) {
    if (!Values.isInt(key)) throw new ExpressionException("cannot fetch " + describe(key) + " from " + what + ": index is not an int");
    long i = ((Number) key).longValue();
    long j = i < 0 ? i + size : i;
    if (j < 0 || j >= size) throw new ExpressionException("index out of range: " + i + " (" + what + " length is " + size + ")");
    return (int) j;
  }

  static Object slice(Object obj, Object from, Object to) {
    int size;
    if (obj instanceof List<?> l) size = l.size();
    else if (obj instanceof String s) size = s.length();
    else throw new ExpressionException("cannot slice " + Values.typeName(obj));
    int a = from == null ? 0 : bound(from, size), b = to == null ? size : bound(to, size);
    if (b < a) b = a;
    if (obj instanceof List<?> l) return new ArrayList<Object>(l.subList(a, b));
    return ((String) obj).substring(a, b);
  }

  private static int bound(Object v, int size) {
    if (!Values.isInt(v)) throw new ExpressionException("slice index " + describe(v) + " is not an int");
    long i = ((Number) v).longValue();
    if (i < 0) i += size;
    return (int) Math.max(0, Math.min(size, i));
  }
}
