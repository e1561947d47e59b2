package dev.weft.engine.expr;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/** The functions available in {@code {{= …}}}: Argo's own, expr-lang builtins and a sprig subset. */
final class ExprFunctions {
  private interface Fn {
    Object apply(List<Object> args);
  }

  private record Def(int minArgs, int maxArgs, Fn fn) {}

  private static final Map<String, Def> FUNCTIONS = new TreeMap<>();
  private static final Set<String> PREDICATES = Set.of("filter", "map", "all", "any", "none", "one", "count", "find", "findIndex");

  private ExprFunctions() {}

  private static void def(String name, int min, int max, Fn fn) {
    FUNCTIONS.put(name, new Def(min, max, fn));
  }

  static {
    // Argo (util/expr/env): asInt, asFloat, toJson, jsonpath; expr's string().
    def("asInt", 1, 1, a -> asInt(a.get(0)));
    def("asFloat", 1, 1, a -> asFloat(a.get(0)));
    def("toJson", 1, 1, a -> Values.toJson(a.get(0)));
    def("jsonpath", 2, 2, a -> JsonPath.query(str(a, 0, "jsonpath"), str(a, 1, "jsonpath")));
    def("string", 1, 1, a -> Values.goString(a.get(0)));

    // expr-lang builtins.
    def("len", 1, 1, a -> len(a.get(0)));
    def("upper", 1, 1, a -> str(a, 0, "upper").toUpperCase(Locale.ROOT));
    def("lower", 1, 1, a -> str(a, 0, "lower").toLowerCase(Locale.ROOT));
    def("trim", 1, 2, a -> a.size() == 1 ? str(a, 0, "trim").strip() : trimChars(str(a, 0, "trim"), str(a, 1, "trim"), true, true));
    def("trimPrefix", 2, 2, a -> trimPrefix(str(a, 0, "trimPrefix"), str(a, 1, "trimPrefix")));
    def("trimSuffix", 2, 2, a -> trimSuffix(str(a, 0, "trimSuffix"), str(a, 1, "trimSuffix")));
    def("split", 2, 2, a -> split(str(a, 0, "split"), str(a, 1, "split")));
    def("join", 1, 2, a -> join(list(a, 0, "join"), a.size() > 1 ? str(a, 1, "join") : ""));
    def("replace", 3, 3, a -> str(a, 0, "replace").replace(str(a, 1, "replace"), str(a, 2, "replace")));
    def("hasPrefix", 2, 2, a -> str(a, 0, "hasPrefix").startsWith(str(a, 1, "hasPrefix")));
    def("hasSuffix", 2, 2, a -> str(a, 0, "hasSuffix").endsWith(str(a, 1, "hasSuffix")));
    def("indexOf", 2, 2, a -> (long) str(a, 0, "indexOf").indexOf(str(a, 1, "indexOf")));
    def("repeat", 2, 2, a -> str(a, 0, "repeat").repeat((int) integer(a, 1, "repeat")));
    def("int", 1, 1, a -> toInt(a.get(0)));
    def("float", 1, 1, a -> toFloat(a.get(0)));
    def("abs", 1, 1, a -> abs(a.get(0)));
    def("max", 1, Integer.MAX_VALUE, a -> extreme(a, "max", 1));
    def("min", 1, Integer.MAX_VALUE, a -> extreme(a, "min", -1));
    def("sum", 1, 1, a -> sum(list(a, 0, "sum")));
    def("keys", 1, 1, a -> new ArrayList<Object>(map(a, 0, "keys").keySet()));
    def("values", 1, 1, a -> new ArrayList<Object>(map(a, 0, "values").values()));
    def("first", 1, 1, a -> list(a, 0, "first").isEmpty() ? null : list(a, 0, "first").get(0));
    def("last", 1, 1, a -> list(a, 0, "last").isEmpty() ? null : list(a, 0, "last").get(list(a, 0, "last").size() - 1));
    def("toJSON", 1, 1, a -> Values.toJson(a.get(0)));
    def("fromJSON", 1, 1, a -> Values.fromJson(str(a, 0, "fromJSON"), "fromJSON"));

    // sprig (Argo exposes sprig.GenericFuncMap() as "sprig"); sprig puts the subject string last.
    def("sprig.trim", 1, 1, a -> sprigString(a.get(0)).strip());
    def("sprig.upper", 1, 1, a -> sprigString(a.get(0)).toUpperCase(Locale.ROOT));
    def("sprig.lower", 1, 1, a -> sprigString(a.get(0)).toLowerCase(Locale.ROOT));
    def("sprig.title", 1, 1, a -> title(sprigString(a.get(0))));
    def("sprig.replace", 3, 3, a -> sprigString(a.get(2)).replace(sprigString(a.get(0)), sprigString(a.get(1))));
    def("sprig.contains", 2, 2, a -> sprigString(a.get(1)).contains(sprigString(a.get(0))));
    def("sprig.hasPrefix", 2, 2, a -> sprigString(a.get(1)).startsWith(sprigString(a.get(0))));
    def("sprig.hasSuffix", 2, 2, a -> sprigString(a.get(1)).endsWith(sprigString(a.get(0))));
    def("sprig.trimPrefix", 2, 2, a -> trimPrefix(sprigString(a.get(1)), sprigString(a.get(0))));
    def("sprig.trimSuffix", 2, 2, a -> trimSuffix(sprigString(a.get(1)), sprigString(a.get(0))));
    def("sprig.repeat", 2, 2, a -> sprigString(a.get(1)).repeat((int) Math.max(0, castInt(a.get(0)))));
    def("sprig.splitList", 2, 2, a -> split(sprigString(a.get(1)), sprigString(a.get(0))));
    def("sprig.join", 2, 2, a -> join(a.get(1) instanceof List<?> l ? l : List.of(a.get(1)), sprigString(a.get(0))));
    def("sprig.quote", 0, Integer.MAX_VALUE, a -> quote(a, '"'));
    def("sprig.squote", 0, Integer.MAX_VALUE, a -> quote(a, '\''));
    def("sprig.add", 0, Integer.MAX_VALUE, a -> a.stream().mapToLong(ExprFunctions::castInt).sum());
    def("sprig.sub", 2, 2, a -> castInt(a.get(0)) - castInt(a.get(1)));
    def("sprig.mul", 1, Integer.MAX_VALUE, a -> a.stream().mapToLong(ExprFunctions::castInt).reduce(1, (x, y) -> x * y));
    def("sprig.div", 2, 2, a -> {
      long d = castInt(a.get(1));
      if (d == 0) throw new ExpressionException("sprig.div: integer divide by zero");
      return castInt(a.get(0)) / d;
    });
    def("sprig.mod", 2, 2, a -> {
      long d = castInt(a.get(1));
      if (d == 0) throw new ExpressionException("sprig.mod: integer divide by zero");
      return castInt(a.get(0)) % d;
    });
    def("sprig.max", 1, Integer.MAX_VALUE, a -> a.stream().mapToLong(ExprFunctions::castInt).max().getAsLong());
    def("sprig.min", 1, Integer.MAX_VALUE, a -> a.stream().mapToLong(ExprFunctions::castInt).min().getAsLong());
    def("sprig.int", 1, 1, a -> castInt(a.get(0)));
    def("sprig.int64", 1, 1, a -> castInt(a.get(0)));
    def("sprig.atoi", 1, 1, a -> castInt(sprigString(a.get(0))));
    def("sprig.float64", 1, 1, a -> castFloat(a.get(0)));
    def("sprig.toString", 1, 1, a -> sprigString(a.get(0)));
    def("sprig.toJson", 1, 1, a -> Values.toJson(a.get(0)));
    def("sprig.default", 1, 2, a -> a.size() < 2 || empty(a.get(1)) ? a.get(0) : a.get(1));
    def("sprig.empty", 1, 1, a -> empty(a.get(0)));
  }

  /** The names of every supported function, for documentation and error hints. */
  static Set<String> names() {
    Set<String> all = new java.util.TreeSet<>(FUNCTIONS.keySet());
    all.addAll(PREDICATES);
    return all;
  }

  static boolean exists(String name) {
    return FUNCTIONS.containsKey(name);
  }

  static boolean isPredicate(String name) {
    return PREDICATES.contains(name);
  }

  static Object call(String name, List<Object> args) {
    Def d = FUNCTIONS.get(name);
    if (args.size() < d.minArgs() || args.size() > d.maxArgs()) {
      String want = d.minArgs() == d.maxArgs() ? String.valueOf(d.minArgs())
          : d.maxArgs() == Integer.MAX_VALUE ? "at least " + d.minArgs() : d.minArgs() + " to " + d.maxArgs();
      throw new ExpressionException(name + "() takes " + want + " argument(s), got " + args.size());
    }
    return d.fn().apply(args);
  }

  static Object predicate(String name, Object subject, Function<Object, Object> predicate) {
    if (!(subject instanceof List<?> list)) {
      throw new ExpressionException(name + "() needs an array, got " + Values.typeName(subject));
    }
    List<Object> out = new ArrayList<>();
    long count = 0;
    for (int i = 0; i < list.size(); i++) {
      Object el = list.get(i);
      Object r = predicate.apply(el);
      if (name.equals("map")) {
        out.add(r);
        continue;
      }
      boolean ok = ExprOps.truth(r, name + "() predicate");
      switch (name) {
        case "filter" -> { if (ok) out.add(el); }
        case "all" -> { if (!ok) return false; }
        case "any" -> { if (ok) return true; }
        case "none" -> { if (ok) return false; }
        case "find" -> { if (ok) return el; }
        case "findIndex" -> { if (ok) return (long) i; }
        default -> { if (ok) count++; }
      }
    }
    return switch (name) {
      case "filter", "map" -> out;
      case "all", "none" -> true;
      case "any" -> false;
      case "find" -> null;
      case "findIndex" -> -1L;
      case "one" -> count == 1;
      default -> count;
    };
  }

  private static String str(List<Object> a, int i, String fn) {
    if (a.get(i) instanceof String s) return s;
    throw new ExpressionException(fn + "() argument " + (i + 1) + " must be a string, got " + Values.typeName(a.get(i)) + " " + Values.goString(a.get(i)));
  }

  private static long integer(List<Object> a, int i, String fn) {
    if (Values.isInt(a.get(i))) return ((Number) a.get(i)).longValue();
    throw new ExpressionException(fn + "() argument " + (i + 1) + " must be an int, got " + Values.typeName(a.get(i)));
  }

  private static List<?> list(List<Object> a, int i, String fn) {
    if (a.get(i) instanceof List<?> l) return l;
    throw new ExpressionException(fn + "() argument " + (i + 1) + " must be an array, got " + Values.typeName(a.get(i)));
  }

  private static Map<?, ?> map(List<Object> a, int i, String fn) {
    if (a.get(i) instanceof Map<?, ?> m) return m;
    throw new ExpressionException(fn + "() argument " + (i + 1) + " must be a map, got " + Values.typeName(a.get(i)));
  }

  /** Argo's asInt: ints and floats (truncated) pass, strings must parse as a base-10 integer. */
  private static long asInt(Object v) {
    if (v instanceof Number n) return n.longValue();
    if (v instanceof String s) {
      try {
        return Long.parseLong(s);
      } catch (NumberFormatException e) {
        throw new ExpressionException("asInt: strconv.ParseInt: parsing \"" + s + "\": invalid syntax");
      }
    }
    throw new ExpressionException("asInt() not supported on " + Values.typeName(v) + " " + Values.goString(v));
  }

  private static double asFloat(Object v) {
    if (v instanceof Number n) return n.doubleValue();
    if (v instanceof String s) {
      try {
        return Double.parseDouble(s.strip().equals(s) ? s : "x");
      } catch (NumberFormatException e) {
        throw new ExpressionException("asFloat: strconv.ParseFloat: parsing \"" + s + "\": invalid syntax");
      }
    }
    throw new ExpressionException("asFloat() not supported on " + Values.typeName(v) + " " + Values.goString(v));
  }

  private static long toInt(Object v) {
    if (v instanceof Number n) return n.longValue();
    if (v instanceof String s) {
      try {
        return Long.parseLong(s.strip());
      } catch (NumberFormatException e) {
        throw new ExpressionException("int(): cannot convert \"" + s + "\" to int");
      }
    }
    throw new ExpressionException("int(): invalid operation on " + Values.typeName(v));
  }

  private static double toFloat(Object v) {
    if (v instanceof Number n) return n.doubleValue();
    if (v instanceof String s) {
      try {
        return Double.parseDouble(s.strip());
      } catch (NumberFormatException e) {
        throw new ExpressionException("float(): cannot convert \"" + s + "\" to float");
      }
    }
    throw new ExpressionException("float(): invalid operation on " + Values.typeName(v));
  }

  private static long len(Object v) {
    if (v instanceof String s) return s.codePointCount(0, s.length());
    if (v instanceof List<?> l) return l.size();
    if (v instanceof Map<?, ?> m) return m.size();
    throw new ExpressionException("len() not supported on " + Values.typeName(v));
  }

  private static Object abs(Object v) {
    if (Values.isInt(v)) return Math.abs(((Number) v).longValue());
    if (v instanceof Number n) return Math.abs(n.doubleValue());
    throw new ExpressionException("abs() needs a number, got " + Values.typeName(v));
  }

  private static Object extreme(List<Object> a, String fn, int sign) {
    List<?> items = a.size() == 1 && a.get(0) instanceof List<?> l ? l : a;
    if (items.isEmpty()) throw new ExpressionException(fn + "() of an empty array");
    Object best = null;
    for (Object o : items) {
      if (!Values.isNumber(o)) throw new ExpressionException(fn + "() needs numbers, got " + Values.typeName(o));
      if (best == null || Double.compare(Values.toDouble(o), Values.toDouble(best)) * sign > 0) best = o;
    }
    return Values.isInt(best) ? (Object) ((Number) best).longValue() : (Object) Values.toDouble(best);
  }

  private static Object sum(List<?> items) {
    Object total = 0L;
    for (Object o : items) {
      if (!Values.isNumber(o)) throw new ExpressionException("sum() needs numbers, got " + Values.typeName(o));
      total = ExprOps.binary("+", total, o);
    }
    return total;
  }

  private static String trimChars(String s, String cut, boolean left, boolean right) {
    int a = 0, b = s.length();
    while (left && a < b && cut.indexOf(s.charAt(a)) >= 0) a++;
    while (right && b > a && cut.indexOf(s.charAt(b - 1)) >= 0) b--;
    return s.substring(a, b);
  }

  private static String trimPrefix(String s, String p) {
    return s.startsWith(p) ? s.substring(p.length()) : s;
  }

  private static String trimSuffix(String s, String p) {
    return s.endsWith(p) ? s.substring(0, s.length() - p.length()) : s;
  }

  /** Go's strings.Split: an empty separator splits into characters; no regex. */
  private static List<Object> split(String s, String sep) {
    List<Object> out = new ArrayList<>();
    if (sep.isEmpty()) {
      s.codePoints().forEach(cp -> out.add(new String(Character.toChars(cp))));
      return out;
    }
    int from = 0, i;
    while ((i = s.indexOf(sep, from)) >= 0) {
      out.add(s.substring(from, i));
      from = i + sep.length();
    }
    out.add(s.substring(from));
    return out;
  }

  private static String join(List<?> items, String sep) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < items.size(); i++) sb.append(i == 0 ? "" : sep).append(Values.goString(items.get(i)));
    return sb.toString();
  }

  private static String title(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    boolean start = true;
    for (char c : s.toCharArray()) {
      sb.append(start ? Character.toTitleCase(c) : c);
      start = Character.isWhitespace(c);
    }
    return sb.toString();
  }

  private static String quote(List<Object> a, char q) {
    List<Object> out = new ArrayList<>();
    for (Object o : a) {
      if (o == null) continue;
      String s = sprigString(o);
      out.add(q == '"' ? Values.toJson(s) : "'" + s + "'");
    }
    return join(out, " ");
  }

  /** sprig's strval: strings as-is, everything else as Go's %v. */
  private static String sprigString(Object v) {
    return v instanceof String s ? s : Values.goString(v);
  }

  /** spf13/cast ToInt64 as sprig uses it: unparsable values become 0, floats truncate. */
  private static long castInt(Object v) {
    if (v instanceof Number n) return n.longValue();
    if (v instanceof Boolean b) return b ? 1 : 0;
    if (v instanceof String s) {
      String t = s.strip().replaceFirst("\\.0*$", "");
      try {
        if (t.startsWith("0x") || t.startsWith("0X")) return Long.parseLong(t.substring(2), 16);
        return Long.parseLong(t);
      } catch (NumberFormatException e) {
        return 0;
      }
    }
    return 0;
  }

  private static double castFloat(Object v) {
    if (v instanceof Number n) return n.doubleValue();
    if (v instanceof Boolean b) return b ? 1 : 0;
    if (v instanceof String s) {
      try {
        return Double.parseDouble(s.strip());
      } catch (NumberFormatException e) {
        return 0;
      }
    }
    return 0;
  }

  /** sprig's empty: nil, "", 0, false and empty collections. */
  private static boolean empty(Object v) {
    if (v == null) return true;
    if (v instanceof String s) return s.isEmpty();
    if (v instanceof Number n) return n.doubleValue() == 0;
    if (v instanceof Boolean b) return !b;
    if (v instanceof List<?> l) return l.isEmpty();
    if (v instanceof Map<?, ?> m) return m.isEmpty();
    return false;
  }
}
