package dev.weft.expr;

import java.util.List;
import java.util.Map;

/**
 * The arguments of one function call, with typed getters whose failures name the function, the
 * argument (from 1) and what it was.
 */
record Args(String function, List<Object> values) {
  int size() {
    return values.size();
  }

  Object get(int k) {
    return values.get(k);
  }

  String string(int k) {
    Object v = values.get(k);
    if (v instanceof String s) {
      return s;
    }
    throw new ExprFunctions.Failure(
        function
            + ": argument "
            + (k + 1)
            + " must be a string, got "
            + Values.typeName(v)
            + " ("
            + Values.display(v)
            + ")");
  }

  List<?> list(int k) {
    if (values.get(k) instanceof List<?> l) {
      return l;
    }
    throw wrongType(k, "an array");
  }

  Map<?, ?> map(int k) {
    if (values.get(k) instanceof Map<?, ?> m) {
      return m;
    }
    throw wrongType(k, "a map");
  }

  /** A number argument (Long or Double), else {@code invalid argument for NAME (type T)}. */
  Number number(int k) {
    Object v = values.get(k);
    if (v instanceof Long || v instanceof Double) {
      return (Number) v;
    }
    throw invalid(v);
  }

  /** expr's wording for a value a function cannot take at all. */
  ExprFunctions.Failure invalid(Object v) {
    return new ExprFunctions.Failure(
        "invalid argument for " + function + " (type " + Values.typeName(v) + ")");
  }

  private ExprFunctions.Failure wrongType(int k, String wanted) {
    return new ExprFunctions.Failure(
        function
            + ": argument "
            + (k + 1)
            + " must be "
            + wanted
            + ", got "
            + Values.typeName(values.get(k)));
  }
}
