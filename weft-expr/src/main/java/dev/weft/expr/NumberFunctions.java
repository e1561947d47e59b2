package dev.weft.expr;

import static dev.weft.expr.Arity.any;
import static dev.weft.expr.Arity.exactly;

import java.util.ArrayList;
import java.util.List;

/** expr's number functions, and Argo's {@code asInt} and {@code asFloat}. */
final class NumberFunctions {
  private NumberFunctions() {}

  static List<Builtin> all() {
    return List.of(
        new Builtin("int", exactly(1), a -> toInt(a)),
        new Builtin("asInt", exactly(1), a -> toInt(a)),
        new Builtin("float", exactly(1), a -> toFloat(a)),
        new Builtin("asFloat", exactly(1), a -> toFloat(a)),
        new Builtin("abs", exactly(1), NumberFunctions::abs),
        new Builtin("floor", exactly(1), a -> Math.floor(a.number(0).doubleValue())),
        new Builtin("ceil", exactly(1), a -> Math.ceil(a.number(0).doubleValue())),
        // Go rounds half away from zero; Math.round differs for -x.5
        new Builtin("round", exactly(1), a -> (double) Math.round(a.number(0).doubleValue())),
        // max and min take numbers or one list of them; an empty call says so in its own words
        new Builtin("max", any(), a -> best(a, true)),
        new Builtin("min", any(), a -> best(a, false)));
  }

  private static Object abs(Args a) {
    Number v = a.number(0);
    return v instanceof Long l ? (Object) Math.abs(l) : (Object) Math.abs(v.doubleValue());
  }

  private static Object best(Args a, boolean max) {
    List<?> items =
        ArrayFunctions.flatten(
            a.values(), new ArrayList<>()); // expr v1.17 takes numbers and arrays alike
    if (items.isEmpty()) {
      throw new ExprFunctions.Failure(a.function() + " needs at least one number");
    }
    Object best = null;
    for (Object raw : items) {
      Object o = Values.normalize(raw);
      if (!(o instanceof Long || o instanceof Double)) {
        throw a.invalid(o);
      }
      if (best == null) {
        best = o;
        continue;
      }
      double x = ((Number) o).doubleValue();
      double y = ((Number) best).doubleValue();
      if (max ? x > y : x < y) {
        best = o;
      }
    }
    return best;
  }

  /** expr's int(): strings must be whole decimal numbers, floats are truncated. */
  private static long toInt(Args a) {
    Object v = a.get(0);
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
        throw new ExprFunctions.Failure(a.function() + ": cannot parse '" + s + "' as an int");
      }
    }
    throw invalid(a, v);
  }

  private static double toFloat(Args a) {
    Object v = a.get(0);
    if (v instanceof Long l) {
      return l;
    }
    if (v instanceof Double d) {
      return d;
    }
    if (v instanceof String s) {
      // Java would accept " 1", "1d" and "1f"; Go's ParseFloat does not
      if (!s.equals(s.strip())
          || s.endsWith("d")
          || s.endsWith("D")
          || s.endsWith("f")
          || s.endsWith("F")) {
        throw new ExprFunctions.Failure(a.function() + ": cannot parse '" + s + "' as a float");
      }
      try {
        return Double.parseDouble(s);
      } catch (NumberFormatException e) {
        throw new ExprFunctions.Failure(a.function() + ": cannot parse '" + s + "' as a float");
      }
    }
    throw invalid(a, v);
  }

  private static ExprFunctions.Failure invalid(Args a, Object v) {
    return new ExprFunctions.Failure(
        a.function() + ": invalid argument (type " + Values.typeName(v) + ")");
  }
}
