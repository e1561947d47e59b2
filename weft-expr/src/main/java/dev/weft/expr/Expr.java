package dev.weft.expr;

import dev.weft.expr.ExprParser.ArrayLit;
import dev.weft.expr.ExprParser.Binary;
import dev.weft.expr.ExprParser.Call;
import dev.weft.expr.ExprParser.Chain;
import dev.weft.expr.ExprParser.Closure;
import dev.weft.expr.ExprParser.Cond;
import dev.weft.expr.ExprParser.Ident;
import dev.weft.expr.ExprParser.Lit;
import dev.weft.expr.ExprParser.MapLit;
import dev.weft.expr.ExprParser.Member;
import dev.weft.expr.ExprParser.Node;
import dev.weft.expr.ExprParser.Slice;
import dev.weft.expr.ExprParser.Unary;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

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
      return new Interpreter(expression, env == null ? Map.of() : env).eval(ast);
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

  /** Thrown inside a {@code ?.} chain on nil; caught by the chain, which yields nil. */
  private static final class NilChain extends RuntimeException {
    private static final long serialVersionUID = 1L;
    static final NilChain INSTANCE = new NilChain();

    private NilChain() {
      super(null, null, false, false);
    }
  }

  /** Stands for a nil element on the pointer stack (ArrayDeque refuses null). */
  private static final Object NIL = new Object();

  private static final class Interpreter {
    private final String src;
    private final Map<String, Object> env;

    /** The elements {@code #} stands for, innermost predicate first. */
    private final Deque<Object> pointers = new ArrayDeque<>();

    Interpreter(String src, Map<String, Object> env) {
      this.src = src;
      this.env = env;
    }

    ExpressionException error(String what, int pos) {
      return new ExpressionException(what + " at position " + (pos + 1) + " in '" + src + "'");
    }

    Object eval(Node n) {
      if (n instanceof Lit l) {
        return l.value();
      }
      if (n instanceof ExprParser.Seq q) {
        Object last = null;
        for (Node x : q.items()) last = eval(x);
        return last;
      }
      if (n instanceof ExprParser.Let l) {
        lets.push(Map.entry(l.name(), java.util.Optional.ofNullable(eval(l.value()))));
        try {
          return eval(l.body());
        } finally {
          lets.pop();
        }
      }
      if (n instanceof Ident id) {
        for (Map.Entry<String, java.util.Optional<Object>> b : lets) {
          if (b.getKey().equals(id.name())) return b.getValue().orElse(null);
        }
        if (id.name().equals("#")) {
          return pointers.isEmpty() || pointers.peek() == NIL ? null : pointers.peek();
        }
        if (id.name().equals("#acc")) {
          return accumulator;
        }
        if (!env.containsKey(id.name())) {
          if (ExprFunctions.exists(id.name())) {
            throw error("function " + id.name() + " must be called with parentheses", id.pos());
          }
          throw error("unknown name " + id.name(), id.pos());
        }
        return Values.normalize(env.get(id.name()));
      }
      if (n instanceof Member m) {
        Object obj = eval(m.obj());
        Object key = eval(m.key());
        if (obj == null && m.optional()) {
          throw NilChain.INSTANCE;
        }
        return member(obj, key, m.pos());
      }
      if (n instanceof Chain c) {
        try {
          return eval(c.inner());
        } catch (NilChain e) {
          return null;
        }
      }
      if (n instanceof Slice s) {
        return slice(s);
      }
      if (n instanceof Unary u) {
        return unary(u);
      }
      if (n instanceof Binary b) {
        return binary(b);
      }
      if (n instanceof Cond c) {
        Object cond = eval(c.cond());
        if (!(cond instanceof Boolean flag)) {
          throw new ExpressionException(
              "non-bool condition (" + Values.typeName(cond) + ") in ternary in '" + src + "'");
        }
        return flag ? eval(c.then()) : eval(c.otherwise());
      }
      if (n instanceof Call call
          && call.args().size() >= 2
          && call.args().get(1) instanceof Closure closure) {
        Object collection = eval(call.args().get(0));
        return switch (call.name()) {
          case "reduce", "groupBy", "findLast", "findLastIndex" ->
              folds(call, collection, closure.body());
          default -> predicate(call, collection, closure.body());
        };
      }
      if (n instanceof Call call) {
        List<Object> args = new ArrayList<>(call.args().size());
        for (Node a : call.args()) {
          args.add(eval(a));
        }
        try {
          return ExprFunctions.call(call.name(), args);
        } catch (ExprFunctions.Failure f) {
          throw error(f.getMessage(), call.pos());
        }
      }
      if (n instanceof ArrayLit a) {
        List<Object> out = new ArrayList<>(a.items().size());
        for (Node item : a.items()) {
          out.add(eval(item));
        }
        return out;
      }
      if (n instanceof MapLit m) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int k = 0; k < m.keys().size(); k++) {
          out.put(Values.display(eval(m.keys().get(k))), eval(m.values().get(k)));
        }
        return out;
      }
      throw new IllegalStateException("unknown node " + n);
    }

    /**
     * expr v1.17's reduce (#acc, optional initial value), groupBy, findLast, findLastIndex and sum
     * with a predicate.
     */
    Object folds(Call call, Object collection, Node body) {
      if (!(collection instanceof List<?> list)) {
        throw error(
            "builtin "
                + call.name()
                + " takes only array (got "
                + Values.typeName(collection)
                + ")",
            call.pos());
      }
      Map<String, Object> groups = new LinkedHashMap<>();
      boolean hasInit = call.args().size() > 2;
      Object acc = hasInit ? eval(call.args().get(2)) : null;
      int from = call.name().startsWith("findLast") ? list.size() - 1 : 0;
      int step = call.name().startsWith("findLast") ? -1 : 1;
      Object total = 0L;
      for (int k = from; k >= 0 && k < list.size(); k += step) {
        Object item = Values.normalize(list.get(k));
        if (call.name().equals("reduce") && !hasInit && k == 0) {
          acc = item;
          continue;
        }
        pointers.push(item == null ? NIL : item);
        accumulator = acc;
        Object v;
        try {
          v = eval(body);
        } finally {
          pointers.pop();
        }
        switch (call.name()) {
          case "reduce" -> acc = v;
          case "groupBy" -> {
            @SuppressWarnings("unchecked")
            List<Object> g =
                (List<Object>)
                    groups.computeIfAbsent(
                        v == null ? "<nil>" : Values.display(v), x -> new ArrayList<Object>());
            g.add(item);
          }
          case "sum" -> {
            if (!(v instanceof Long || v instanceof Double))
              throw error(
                  "sum: predicate must return a number, got " + Values.typeName(v), call.pos());
            total =
                total instanceof Long a && v instanceof Long b
                    ? (Object) (a + b)
                    : (Object) (((Number) total).doubleValue() + ((Number) v).doubleValue());
          }
          default -> {
            if (Boolean.TRUE.equals(v))
              return call.name().equals("findLast") ? item : (Object) (long) k;
          }
        }
      }
      return switch (call.name()) {
        case "reduce" -> acc;
        case "groupBy" -> groups;
        case "sum" -> total;
        case "findLast" -> null;
        default -> -1L;
      };
    }

    /** Values bound by enclosing {@code let}s, innermost first. */
    private final Deque<Map.Entry<String, java.util.Optional<Object>>> lets = new ArrayDeque<>();

    /** reduce's {@code #acc}. */
    private Object accumulator;

    /** Runs a predicate builtin (filter, map, all, ...) over a list. */
    Object predicate(Call call, Object collection, Node body) {
      if (!(collection instanceof List<?> list)) {
        throw error(
            call.name() + ": argument 1 must be an array, got " + Values.typeName(collection),
            call.pos());
      }
      List<Object> out = new ArrayList<>();
      long matches = 0;
      for (int k = 0; k < list.size(); k++) {
        Object item = Values.normalize(list.get(k));
        pointers.push(item == null ? NIL : item);
        Object v;
        try {
          v = eval(body);
        } finally {
          pointers.pop();
        }
        if (call.name().equals("map")) {
          out.add(v);
          continue;
        }
        if (!(v instanceof Boolean ok)) {
          throw error(
              call.name() + ": predicate must return bool, got " + Values.typeName(v), call.pos());
        }
        if (!ok) {
          continue;
        }
        matches++;
        switch (call.name()) {
          case "any":
            return true;
          case "none":
            return false;
          case "find":
            return item;
          case "findIndex":
            return (long) k;
          case "filter":
            out.add(item);
            break;
          default:
            break;
        }
      }
      return switch (call.name()) {
        case "all" -> matches == list.size();
        case "any" -> false;
        case "none" -> true;
        case "one" -> matches == 1;
        case "count" -> matches;
        case "find" -> null;
        case "findIndex" -> -1L;
        default -> out; // filter, map
      };
    }

    Object member(Object obj, Object key, int pos) {
      if (obj instanceof Map<?, ?> map) {
        if (key == null || key instanceof Long || key instanceof Boolean) {
          return Values.normalize(
              map.get(Values.display(key))); // groupBy's keys (ints, bools, nil) are held as text
        }
        if (!(key instanceof String)) {
          throw error("cannot use " + Values.typeName(key) + " as a map key", pos);
        }
        return Values.normalize(map.get(key));
      }
      if (obj instanceof List<?> list) {
        if (!(key instanceof Long idx)) {
          throw error(
              "array index must be an int, not "
                  + Values.typeName(key)
                  + " ("
                  + Values.display(key)
                  + ")",
              pos);
        }
        long k = idx < 0 ? idx + list.size() : idx;
        if (k < 0 || k >= list.size()) {
          throw error("index out of range: " + idx + " (array length is " + list.size() + ")", pos);
        }
        return Values.normalize(list.get((int) k));
      }
      if (obj instanceof String s && key instanceof Long idx) {
        int len = s.codePointCount(0, s.length());
        long k = idx < 0 ? idx + len : idx;
        if (k < 0 || k >= len) {
          throw error("index out of range: " + idx + " (string length is " + len + ")", pos);
        }
        int at = s.offsetByCodePoints(0, (int) k);
        return new String(Character.toChars(s.codePointAt(at)));
      }
      throw error(
          "cannot fetch "
              + Values.display(key)
              + " from "
              + Values.typeName(obj)
              + (obj == null ? "" : " (" + abbreviated(obj) + ")"),
          pos);
    }

    private static String abbreviated(Object v) {
      String s = Values.display(v);
      return s.length() > 40 ? s.substring(0, 37) + "..." : s;
    }

    Object slice(Slice s) {
      Object obj = eval(s.obj());
      Object from = s.from() == null ? null : eval(s.from());
      Object to = s.to() == null ? null : eval(s.to());
      int len;
      if (obj instanceof List<?> l) {
        len = l.size();
      } else if (obj instanceof String str) {
        len = str.length();
      } else {
        throw error("cannot slice " + Values.typeName(obj), s.pos());
      }
      int a = sliceBound(from, 0, len, s.pos());
      int b = sliceBound(to, len, len, s.pos());
      if (b < a) {
        b = a;
      }
      if (obj instanceof List<?> l) {
        return new ArrayList<Object>(l.subList(a, b));
      }
      return ((String) obj).substring(a, b);
    }

    private int sliceBound(Object v, int dflt, int len, int pos) {
      if (v == null) {
        return dflt;
      }
      if (!(v instanceof Long l)) {
        throw error("slice bound must be an int, not " + Values.typeName(v), pos);
      }
      long k = l < 0 ? l + len : l;
      return (int) Math.max(0, Math.min(len, k));
    }

    Object unary(Unary u) {
      Object v = eval(u.operand());
      switch (u.op()) {
        case "not" -> {
          if (v instanceof Boolean b) {
            return !b;
          }
          throw error("invalid operation: not " + Values.typeName(v) + " (needs bool)", u.pos());
        }
        case "-" -> {
          if (v instanceof Long l) {
            return -l;
          }
          if (v instanceof Double d) {
            return -d;
          }
          throw error("invalid operation: -" + Values.typeName(v) + " (needs a number)", u.pos());
        }
        default -> {
          if (v instanceof Long || v instanceof Double) {
            return v;
          }
          throw error("invalid operation: +" + Values.typeName(v) + " (needs a number)", u.pos());
        }
      }
    }

    Object binary(Binary b) {
      String op = b.op();
      switch (op) {
        case "&&", "and" -> {
          boolean l = bool(eval(b.left()), op, b);
          return l ? bool(eval(b.right()), op, b) : false;
        }
        case "||", "or" -> {
          boolean l = bool(eval(b.left()), op, b);
          return l ? true : bool(eval(b.right()), op, b);
        }
        case "??" -> {
          Object l;
          try {
            l = eval(b.left());
          } catch (NilChain e) {
            l = null;
          }
          return l != null ? l : eval(b.right());
        }
        default -> {
          // fall through to strict operators below
        }
      }
      Object l = eval(b.left());
      Object r = eval(b.right());
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

    private boolean bool(Object v, String op, Binary b) {
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
      if ((l instanceof Long || l instanceof Double)
          && (r instanceof Long || r instanceof Double)) {
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
      if ((l instanceof Long || l instanceof Double)
          && (r instanceof Long || r instanceof Double)) {
        return Double.compare(((Number) l).doubleValue(), ((Number) r).doubleValue());
      }
      if (l instanceof String x && r instanceof String y) {
        return x.compareTo(y);
      }
      throw mismatch(l, r, b);
    }
  }
}
