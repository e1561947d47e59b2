package dev.weft.expr;

import static dev.weft.expr.Arity.between;
import static dev.weft.expr.Arity.exactly;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/** expr's functions over arrays and maps (the predicate ones, such as filter, are the parser's). */
final class CollectionFunctions {
  private CollectionFunctions() {}

  static List<Builtin> all() {
    return List.of(
        new Builtin("len", exactly(1), CollectionFunctions::len),
        new Builtin("join", between(1, 2), CollectionFunctions::join),
        new Builtin("keys", exactly(1), a -> new ArrayList<Object>(a.map(0).keySet())),
        new Builtin("values", exactly(1), CollectionFunctions::values),
        new Builtin("first", exactly(1), a -> at(a.list(0), 0)),
        new Builtin("last", exactly(1), a -> at(a.list(0), a.list(0).size() - 1)),
        new Builtin("reverse", exactly(1), CollectionFunctions::reverse),
        new Builtin("sum", exactly(1), CollectionFunctions::sum));
  }

  private static Object len(Args a) {
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
    throw a.invalid(v);
  }

  private static Object join(Args a) {
    List<?> list = a.list(0);
    String sep = a.size() == 2 ? a.string(1) : "";
    List<String> parts = new ArrayList<>();
    for (Object o : list) {
      if (!(o instanceof String s)) {
        throw new ExprFunctions.Failure(
            "join: array items must be strings, got " + Values.typeName(o));
      }
      parts.add(s);
    }
    return String.join(sep, parts);
  }

  private static Object values(Args a) {
    List<Object> out = new ArrayList<>();
    for (Object v : a.map(0).values()) {
      out.add(Values.normalize(v));
    }
    return out;
  }

  /** An element of a list, or nil when the list is empty. */
  private static Object at(List<?> l, int k) {
    return l.isEmpty() ? null : Values.normalize(l.get(k));
  }

  private static Object reverse(Args a) {
    List<Object> out = new ArrayList<>(a.list(0));
    Collections.reverse(out);
    return out;
  }

  private static Object sum(Args a) {
    long longSum = 0;
    double doubleSum = 0;
    boolean anyFloat = false;
    for (Object o : a.list(0)) {
      Object v = Values.normalize(o);
      if (v instanceof Long x) {
        longSum += x;
      } else if (v instanceof Double d) {
        anyFloat = true;
        doubleSum += d;
      } else {
        throw new ExprFunctions.Failure(
            "sum: array items must be numbers, got " + Values.typeName(v));
      }
    }
    return anyFloat ? (Object) (doubleSum + longSum) : (Object) longSum;
  }
}
