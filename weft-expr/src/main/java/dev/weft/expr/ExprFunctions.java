package dev.weft.expr;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The functions expressions may call: expr built-ins, Argo's additions and sprig.* . */
final class ExprFunctions {

  /** A function failed; the caller adds the position and expression text. */
  static final class Failure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Failure(String message) {
      super(message);
    }
  }

  private static final Set<String> NAMES = new TreeSet<>(List.of(
      "asInt", "asFloat", "string", "toJson", "jsonpath", "len", "upper", "lower", "trim",
      "split", "join", "replace", "int", "float", "abs", "max", "min", "sprig.trim",
      "sprig.upper", "sprig.lower", "sprig.replace", "sprig.add", "sprig.int", "sprig.toString",
      "sprig.contains", "sprig.default", "sprig.empty", "sprig.list",
      "keys", "values", "first", "last", "sum", "hasPrefix", "hasSuffix", "trimPrefix",
      "trimSuffix", "indexOf", "floor", "ceil", "round", "reverse", "toBase64", "fromBase64",
      "sprig.trimPrefix", "sprig.trimSuffix", "sprig.hasPrefix", "sprig.hasSuffix",
      "sprig.splitList", "sprig.join", "sprig.quote", "sprig.atoi", "sprig.float64",
      "sprig.b64enc", "sprig.b64dec", "sprig.regexMatch", "sprig.sub", "sprig.mul"));

  private ExprFunctions() {}

  static boolean exists(String name) {
    return NAMES.contains(name) || ExprParser.PREDICATE_FUNCTIONS.contains(name);
  }

  static Object call(String name, List<Object> a) {
    switch (name) {
      case "asInt", "int" -> {
        arity(name, a, 1);
        return toInt(name, a.get(0));
      }
      case "asFloat", "float" -> {
        arity(name, a, 1);
        return toFloat(name, a.get(0));
      }
      case "string" -> {
        arity(name, a, 1);
        return Values.display(a.get(0));
      }
      case "toJson" -> {
        arity(name, a, 1);
        return Values.toJson(a.get(0));
      }
      case "jsonpath" -> {
        arity(name, a, 2);
        Object doc;
        try {
          doc = Values.parseJson(string(name, a, 0));
        } catch (ExpressionException e) {
          throw new Failure("jsonpath: " + e.getMessage());
        }
        return JsonPath.query(doc, string(name, a, 1));
      }
      case "len" -> {
        arity(name, a, 1);
        Object v = a.get(0);
        if (v instanceof String s) {
          return (long) s.codePointCount(0, s.length());
        }
        if (v instanceof Collection<?> c) {
          return (long) c.size();
        }
        if (v instanceof Map<?, ?> m) {
          return (long) m.size();
        }
        throw new Failure("invalid argument for len (type " + Values.typeName(v) + ")");
      }
      case "upper", "sprig.upper" -> {
        arity(name, a, 1);
        return string(name, a, 0).toUpperCase(java.util.Locale.ROOT);
      }
      case "lower", "sprig.lower" -> {
        arity(name, a, 1);
        return string(name, a, 0).toLowerCase(java.util.Locale.ROOT);
      }
      case "trim" -> {
        arity(name, a, 1, 2);
        String s = string(name, a, 0);
        return a.size() == 1 ? s.strip() : trimChars(s, string(name, a, 1));
      }
      case "sprig.trim" -> {
        arity(name, a, 1);
        return string(name, a, 0).strip();
      }
      case "split" -> {
        arity(name, a, 2);
        String s = string(name, a, 0);
        String sep = string(name, a, 1);
        List<Object> out = new ArrayList<>();
        if (sep.isEmpty()) {
          s.codePoints().forEach(cp -> out.add(new String(Character.toChars(cp))));
          return out;
        }
        int from = 0;
        while (true) {
          int at = s.indexOf(sep, from);
          if (at < 0) {
            out.add(s.substring(from));
            return out;
          }
          out.add(s.substring(from, at));
          from = at + sep.length();
        }
      }
      case "join" -> {
        arity(name, a, 1, 2);
        if (!(a.get(0) instanceof List<?> list)) {
          throw new Failure("join: argument 1 must be an array, got " + Values.typeName(a.get(0)));
        }
        String sep = a.size() == 2 ? string(name, a, 1) : "";
        List<String> parts = new ArrayList<>();
        for (Object o : list) {
          if (!(o instanceof String s)) {
            throw new Failure("join: array items must be strings, got " + Values.typeName(o));
          }
          parts.add(s);
        }
        return String.join(sep, parts);
      }
      case "replace" -> {
        arity(name, a, 3);
        return string(name, a, 0).replace(string(name, a, 1), string(name, a, 2));
      }
      case "sprig.replace" -> {
        // sprig's order: replace OLD NEW SOURCE
        arity(name, a, 3);
        return string(name, a, 2).replace(string(name, a, 0), string(name, a, 1));
      }
      case "abs" -> {
        arity(name, a, 1);
        Object v = a.get(0);
        if (v instanceof Long l) {
          return Math.abs(l);
        }
        if (v instanceof Double d) {
          return Math.abs(d);
        }
        throw new Failure("invalid argument for abs (type " + Values.typeName(v) + ")");
      }
      case "max", "min" -> {
        List<?> items = a.size() == 1 && a.get(0) instanceof List<?> l ? l : a;
        if (items.isEmpty()) {
          throw new Failure(name + " needs at least one number");
        }
        Object best = null;
        for (Object raw : items) {
          Object o = Values.normalize(raw);
          if (!(o instanceof Long || o instanceof Double)) {
            throw new Failure("invalid argument for " + name + " (type " + Values.typeName(o) + ")");
          }
          if (best == null) {
            best = o;
            continue;
          }
          double x = ((Number) o).doubleValue();
          double y = ((Number) best).doubleValue();
          if (name.equals("max") ? x > y : x < y) {
            best = o;
          }
        }
        return best;
      }
      case "sprig.add" -> {
        long sum = 0;
        for (Object o : a) {
          sum += castInt(o);
        }
        return sum;
      }
      case "sprig.int" -> {
        arity(name, a, 1);
        return castInt(a.get(0));
      }
      case "sprig.toString" -> {
        arity(name, a, 1);
        return a.get(0) == null ? "<nil>" : Values.display(a.get(0));
      }
      case "sprig.contains" -> {
        // sprig's order: contains SUBSTRING STRING
        arity(name, a, 2);
        return string(name, a, 1).contains(string(name, a, 0));
      }
      case "sprig.default" -> {
        arity(name, a, 1, 2);
        return a.size() == 1 || empty(a.get(1)) ? a.get(0) : a.get(1);
      }
      case "sprig.empty" -> {
        arity(name, a, 1);
        return empty(a.get(0));
      }
      case "sprig.list" -> {
        return new ArrayList<>(a);
      }
      case "keys", "values" -> {
        arity(name, a, 1);
        if (!(a.get(0) instanceof Map<?, ?> m)) {
          throw new Failure(name + ": argument 1 must be a map, got " + Values.typeName(a.get(0)));
        }
        List<Object> out = new ArrayList<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
          out.add(name.equals("keys") ? e.getKey() : Values.normalize(e.getValue()));
        }
        return out;
      }
      case "first", "last" -> {
        arity(name, a, 1);
        if (!(a.get(0) instanceof List<?> l)) {
          throw new Failure(name + ": argument 1 must be an array, got " + Values.typeName(a.get(0)));
        }
        return l.isEmpty() ? null : Values.normalize(l.get(name.equals("first") ? 0 : l.size() - 1));
      }
      case "reverse" -> {
        arity(name, a, 1);
        if (!(a.get(0) instanceof List<?> l)) {
          throw new Failure(name + ": argument 1 must be an array, got " + Values.typeName(a.get(0)));
        }
        List<Object> out = new ArrayList<>(l);
        java.util.Collections.reverse(out);
        return out;
      }
      case "sum" -> {
        arity(name, a, 1);
        if (!(a.get(0) instanceof List<?> l)) {
          throw new Failure(name + ": argument 1 must be an array, got " + Values.typeName(a.get(0)));
        }
        long longSum = 0;
        double doubleSum = 0;
        boolean anyFloat = false;
        for (Object o : l) {
          Object v = Values.normalize(o);
          if (v instanceof Long x) {
            longSum += x;
          } else if (v instanceof Double d) {
            anyFloat = true;
            doubleSum += d;
          } else {
            throw new Failure("sum: array items must be numbers, got " + Values.typeName(v));
          }
        }
        return anyFloat ? (Object) (doubleSum + longSum) : (Object) longSum;
      }
      case "hasPrefix", "sprig.hasPrefix" -> {
        arity(name, a, 2);
        // expr: hasPrefix(s, prefix); sprig: hasPrefix PREFIX S
        return name.startsWith("sprig.") ? string(name, a, 1).startsWith(string(name, a, 0))
            : string(name, a, 0).startsWith(string(name, a, 1));
      }
      case "hasSuffix", "sprig.hasSuffix" -> {
        arity(name, a, 2);
        return name.startsWith("sprig.") ? string(name, a, 1).endsWith(string(name, a, 0))
            : string(name, a, 0).endsWith(string(name, a, 1));
      }
      case "trimPrefix", "sprig.trimPrefix" -> {
        arity(name, a, 2);
        String s = string(name, a, name.startsWith("sprig.") ? 1 : 0);
        String prefix = string(name, a, name.startsWith("sprig.") ? 0 : 1);
        return s.startsWith(prefix) ? s.substring(prefix.length()) : s;
      }
      case "trimSuffix", "sprig.trimSuffix" -> {
        arity(name, a, 2);
        String s = string(name, a, name.startsWith("sprig.") ? 1 : 0);
        String suffix = string(name, a, name.startsWith("sprig.") ? 0 : 1);
        return s.endsWith(suffix) ? s.substring(0, s.length() - suffix.length()) : s;
      }
      case "indexOf" -> {
        arity(name, a, 2);
        return (long) string(name, a, 0).indexOf(string(name, a, 1));
      }
      case "floor", "ceil", "round" -> {
        arity(name, a, 1);
        Object v = a.get(0);
        if (!(v instanceof Long || v instanceof Double)) {
          throw new Failure("invalid argument for " + name + " (type " + Values.typeName(v) + ")");
        }
        double d = ((Number) v).doubleValue();
        return switch (name) {
          case "floor" -> Math.floor(d);
          case "ceil" -> Math.ceil(d);
          default -> (double) Math.round(d); // Go rounds half away from zero; differs for -x.5
        };
      }
      case "toBase64", "sprig.b64enc" -> {
        arity(name, a, 1);
        return java.util.Base64.getEncoder().encodeToString(
            string(name, a, 0).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
      case "fromBase64", "sprig.b64dec" -> {
        arity(name, a, 1);
        try {
          return new String(java.util.Base64.getDecoder().decode(string(name, a, 0)),
              java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
          throw new Failure(name + ": invalid base64: " + e.getMessage());
        }
      }
      case "sprig.splitList" -> {
        arity(name, a, 2);
        return call("split", List.of(string(name, a, 1), string(name, a, 0)));
      }
      case "sprig.join" -> {
        arity(name, a, 2);
        if (!(a.get(1) instanceof List<?> l)) {
          throw new Failure(name + ": argument 2 must be an array, got " + Values.typeName(a.get(1)));
        }
        List<String> parts = new ArrayList<>();
        for (Object o : l) {
          parts.add(Values.display(Values.normalize(o)));
        }
        return String.join(string(name, a, 0), parts);
      }
      case "sprig.quote" -> {
        List<String> parts = new ArrayList<>();
        for (Object o : a) {
          if (o != null) {
            parts.add(Values.toJson(Values.display(o)));
          }
        }
        return String.join(" ", parts);
      }
      case "sprig.atoi" -> {
        arity(name, a, 1);
        try {
          return Long.parseLong(string(name, a, 0));
        } catch (NumberFormatException e) {
          return 0L; // sprig ignores the parse error
        }
      }
      case "sprig.float64" -> {
        arity(name, a, 1);
        Object v = a.get(0);
        if (v instanceof Long || v instanceof Double) {
          return ((Number) v).doubleValue();
        }
        try {
          return v instanceof String s ? Double.parseDouble(s) : 0.0;
        } catch (NumberFormatException e) {
          return 0.0; // sprig ignores the parse error
        }
      }
      case "sprig.regexMatch" -> {
        arity(name, a, 2);
        try {
          return java.util.regex.Pattern.compile(string(name, a, 0)).matcher(string(name, a, 1)).find();
        } catch (java.util.regex.PatternSyntaxException e) {
          throw new Failure(name + ": invalid regular expression '" + a.get(0) + "': "
              + e.getDescription());
        }
      }
      case "sprig.sub" -> {
        arity(name, a, 2);
        return castInt(a.get(0)) - castInt(a.get(1));
      }
      case "sprig.mul" -> {
        long product = 1;
        for (Object o : a) {
          product *= castInt(o);
        }
        return product;
      }
      default -> {
        String known = name.startsWith("sprig.") ? " (supported sprig functions: "
            + String.join(", ", NAMES.stream().filter(n -> n.startsWith("sprig.")).toList()) + ")"
            : "";
        throw new Failure("unknown function " + name + known);
      }
    }
  }

  /** expr's equality: numbers compare by value across int and float, collections deeply. */
  static boolean equal(Object a, Object b) {
    a = Values.normalize(a);
    b = Values.normalize(b);
    if (a instanceof Long x && b instanceof Long y) {
      return x.longValue() == y.longValue();
    }
    if ((a instanceof Long || a instanceof Double) && (b instanceof Long || b instanceof Double)) {
      return ((Number) a).doubleValue() == ((Number) b).doubleValue();
    }
    if (a instanceof List<?> l && b instanceof List<?> r) {
      if (l.size() != r.size()) {
        return false;
      }
      for (int k = 0; k < l.size(); k++) {
        if (!equal(l.get(k), r.get(k))) {
          return false;
        }
      }
      return true;
    }
    if (a instanceof Map<?, ?> l && b instanceof Map<?, ?> r) {
      if (l.size() != r.size()) {
        return false;
      }
      for (Map.Entry<?, ?> e : l.entrySet()) {
        if (!r.containsKey(e.getKey()) || !equal(e.getValue(), r.get(e.getKey()))) {
          return false;
        }
      }
      return true;
    }
    return java.util.Objects.equals(a, b);
  }

  private static void arity(String name, List<Object> a, int n) {
    if (a.size() != n) {
      throw new Failure("wrong number of arguments for " + name + ": got " + a.size() + ", want " + n);
    }
  }

  private static void arity(String name, List<Object> a, int min, int max) {
    if (a.size() < min || a.size() > max) {
      throw new Failure("wrong number of arguments for " + name + ": got " + a.size() + ", want "
          + min + " to " + max);
    }
  }

  private static String string(String name, List<Object> a, int k) {
    Object v = a.get(k);
    if (v instanceof String s) {
      return s;
    }
    throw new Failure(name + ": argument " + (k + 1) + " must be a string, got "
        + Values.typeName(v) + " (" + Values.display(v) + ")");
  }

  /** expr's int(): strings must be whole decimal numbers, floats are truncated. */
  private static long toInt(String name, Object v) {
    if (v instanceof Long l) {
      return l;
    }
    if (v instanceof Double d) {
      return d.longValue();
    }
    if (v instanceof String s) {
      try {
        return Long.parseLong(s);
      } catch (NumberFormatException e) {
        throw new Failure(name + ": cannot parse '" + s + "' as an int");
      }
    }
    throw new Failure(name + ": invalid argument (type " + Values.typeName(v) + ")");
  }

  private static double toFloat(String name, Object v) {
    if (v instanceof Long l) {
      return l;
    }
    if (v instanceof Double d) {
      return d;
    }
    if (v instanceof String s) {
      if (!s.equals(s.strip()) || s.endsWith("d") || s.endsWith("D") || s.endsWith("f")
          || s.endsWith("F")) {
        throw new Failure(name + ": cannot parse '" + s + "' as a float");
      }
      try {
        return Double.parseDouble(s);
      } catch (NumberFormatException e) {
        throw new Failure(name + ": cannot parse '" + s + "' as a float");
      }
    }
    throw new Failure(name + ": invalid argument (type " + Values.typeName(v) + ")");
  }

  /** sprig's lenient integer cast: anything unparsable is 0, as in sprig. */
  private static long castInt(Object v) {
    if (v instanceof Long l) {
      return l;
    }
    if (v instanceof Double d) {
      return d.longValue();
    }
    if (v instanceof Boolean b) {
      return b ? 1 : 0;
    }
    if (v instanceof String s) {
      String t = s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
      try {
        return Long.decode(t);
      } catch (NumberFormatException e) {
        return 0;
      }
    }
    return 0;
  }

  /** sprig's empty: nil, false, 0, "", and empty lists and maps. */
  private static boolean empty(Object v) {
    if (v == null) {
      return true;
    }
    if (v instanceof Boolean b) {
      return !b;
    }
    if (v instanceof Long l) {
      return l == 0;
    }
    if (v instanceof Double d) {
      return d == 0;
    }
    if (v instanceof String s) {
      return s.isEmpty();
    }
    if (v instanceof Collection<?> c) {
      return c.isEmpty();
    }
    if (v instanceof Map<?, ?> m) {
      return m.isEmpty();
    }
    return false;
  }

  private static String trimChars(String s, String cutset) {
    int a = 0;
    int b = s.length();
    while (a < b && cutset.indexOf(s.charAt(a)) >= 0) {
      a++;
    }
    while (b > a && cutset.indexOf(s.charAt(b - 1)) >= 0) {
      b--;
    }
    return s.substring(a, b);
  }
}
