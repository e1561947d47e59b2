package dev.weft.expr;

import dev.weft.expr.ExprSyntax.ArrayLit;
import dev.weft.expr.ExprSyntax.Binary;
import dev.weft.expr.ExprSyntax.Call;
import dev.weft.expr.ExprSyntax.Chain;
import dev.weft.expr.ExprSyntax.Closure;
import dev.weft.expr.ExprSyntax.Cond;
import dev.weft.expr.ExprSyntax.Ident;
import dev.weft.expr.ExprSyntax.Let;
import dev.weft.expr.ExprSyntax.Lit;
import dev.weft.expr.ExprSyntax.MapLit;
import dev.weft.expr.ExprSyntax.Member;
import dev.weft.expr.ExprSyntax.Node;
import dev.weft.expr.ExprSyntax.Seq;
import dev.weft.expr.ExprSyntax.Slice;
import dev.weft.expr.ExprSyntax.Unary;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Evaluates one expr syntax tree over an environment: names, member access and slices, unary and
 * short-circuit operators, and the scopes ({@code let}, the {@code #} of predicates, {@code #acc}).
 * Strict binary operators are {@link ExprOperators}', predicate builtins {@link ExprClosures}'.
 */
final class ExprInterpreter {
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

  private final String src;
  private final Map<String, Object> env;
  private final ExprOperators operators;
  private final ExprClosures closures = new ExprClosures(this);

  /** The elements {@code #} stands for, innermost predicate first. */
  private final Deque<Object> pointers = new ArrayDeque<>();

  /** Values bound by enclosing {@code let}s, innermost first. */
  private final Deque<Map.Entry<String, Optional<Object>>> lets = new ArrayDeque<>();

  /** reduce's {@code #acc}. */
  Object accumulator;

  ExprInterpreter(String src, Map<String, Object> env) {
    this.src = src;
    this.env = env;
    this.operators = new ExprOperators(src);
  }

  ExpressionException error(String what, int pos) {
    return ExpressionException.at(what, pos, src);
  }

  /** Evaluates a predicate's {@code body} with {@code #} standing for {@code item}. */
  Object evalFor(Object item, Node body) {
    pointers.push(item == null ? NIL : item);
    try {
      return eval(body);
    } finally {
      pointers.pop();
    }
  }

  Object eval(Node n) {
    if (n instanceof Lit l) {
      return l.value();
    }
    if (n instanceof Seq q) {
      Object last = null;
      for (Node x : q.items()) last = eval(x);
      return last;
    }
    if (n instanceof Let l) {
      lets.push(Map.entry(l.name(), Optional.ofNullable(eval(l.value()))));
      try {
        return eval(l.body());
      } finally {
        lets.pop();
      }
    }
    if (n instanceof Ident id) {
      for (Map.Entry<String, Optional<Object>> b : lets) {
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
      return closures.call(call, eval(call.args().get(0)), closure.body());
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
            + (obj == null ? "" : " (" + ExprOperators.abbreviated(obj) + ")"),
        pos);
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
        boolean l = operators.bool(eval(b.left()), op, b);
        return l ? operators.bool(eval(b.right()), op, b) : false;
      }
      case "||", "or" -> {
        boolean l = operators.bool(eval(b.left()), op, b);
        return l ? true : operators.bool(eval(b.right()), op, b);
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
    return operators.apply(b, eval(b.left()), eval(b.right()));
  }
}
