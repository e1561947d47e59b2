package dev.weft.expr;

import static dev.weft.expr.Arity.exactly;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * expr v1.17's array and JSON builtins beyond the basic ones (expr-lang/expr builtin/builtin.go):
 * get, take, concat, flatten, uniq, toPairs, fromPairs, mean, median, toJSON, fromJSON.
 */
final class ArrayFunctions {
  private static final ObjectMapper INDENTED =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ArrayFunctions() {}

  static List<Builtin> all() {
    return List.of(
        new Builtin("get", exactly(2), ArrayFunctions::get),
        new Builtin("take", exactly(2), a -> take(a.list(0), a.number(1).longValue())),
        new Builtin("concat", Arity.any(), ArrayFunctions::concat),
        new Builtin("flatten", exactly(1), a -> flatten(a.list(0), new ArrayList<>())),
        new Builtin("uniq", exactly(1), ArrayFunctions::uniq),
        new Builtin("toPairs", exactly(1), ArrayFunctions::toPairs),
        new Builtin("fromPairs", exactly(1), ArrayFunctions::fromPairs),
        new Builtin("mean", Arity.any(), ArrayFunctions::mean),
        new Builtin("median", Arity.any(), ArrayFunctions::median),
        new Builtin("toJSON", exactly(1), ArrayFunctions::toJson),
        new Builtin("fromJSON", exactly(1), a -> fromJson(a.string(0))));
  }

  /** {@code get(array, i)} (negative from the end) or {@code get(map, key)}; nil when absent. */
  private static Object get(Args a) {
    Object c = a.get(0);
    if (c instanceof List<?> l) {
      if (!(a.get(1) instanceof Long i))
        throw new ExprFunctions.Failure("non-integer slice index " + Values.typeName(a.get(1)));
      long k = i < 0 ? l.size() + i : i;
      return k < 0 || k >= l.size() ? null : Values.normalize(l.get((int) k));
    }
    if (c instanceof Map<?, ?> m) return Values.normalize(m.get(Values.display(a.get(1))));
    throw new ExprFunctions.Failure("type " + Values.typeName(c) + " does not support indexing");
  }

  private static Object take(List<?> l, long n) {
    return new ArrayList<Object>(l.subList(0, (int) Math.max(0, Math.min(n, l.size()))));
  }

  private static Object concat(Args a) {
    List<Object> out = new ArrayList<>();
    for (int k = 0; k < a.size(); k++) out.addAll(a.list(k));
    return out;
  }

  static List<Object> flatten(List<?> l, List<Object> out) {
    for (Object o : l) {
      if (o instanceof List<?> inner) flatten(inner, out);
      else out.add(Values.normalize(o));
    }
    return out;
  }

  private static Object uniq(Args a) {
    List<Object> out = new ArrayList<>();
    for (Object o : a.list(0)) {
      Object v = Values.normalize(o);
      if (!out.contains(v)) out.add(v);
    }
    return out;
  }

  private static Object toPairs(Args a) {
    List<Object> out = new ArrayList<>();
    new TreeMap<>(a.map(0)).forEach((k, v) -> out.add(List.of(k, Values.normalize(v))));
    return out;
  }

  private static Object fromPairs(Args a) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Object p : a.list(0)) {
      if (!(p instanceof List<?> pair) || pair.size() != 2)
        throw new ExprFunctions.Failure("fromPairs: each item must be a [key, value] pair");
      out.put(Values.display(pair.get(0)), Values.normalize(pair.get(1)));
    }
    return out;
  }

  /** The numbers of all arguments, arrays flattened (expr's mean, median, max, min). */
  static List<Double> numbers(Args a) {
    List<Double> out = new ArrayList<>();
    for (Object o : flatten(a.values(), new ArrayList<>())) {
      if (!(o instanceof Long || o instanceof Double)) throw a.invalid(o);
      out.add(((Number) o).doubleValue());
    }
    return out;
  }

  private static Object mean(Args a) {
    List<Double> xs = numbers(a);
    return xs.isEmpty() ? 0.0 : xs.stream().mapToDouble(Double::doubleValue).sum() / xs.size();
  }

  private static Object median(Args a) {
    List<Double> xs = new ArrayList<>(numbers(a));
    if (xs.isEmpty()) return 0.0;
    xs.sort(null);
    int n = xs.size();
    return n % 2 == 1 ? xs.get(n / 2) : (xs.get(n / 2 - 1) + xs.get(n / 2)) / 2;
  }

  /** Go's json.MarshalIndent(v, "", " "): map keys sorted. */
  private static Object toJson(Args a) {
    try {
      return INDENTED
          .writeValueAsString(sorted(a.get(0)))
          .replace(" : ", ": ")
          .replace("\r\n", "\n");
    } catch (JsonProcessingException e) {
      throw new ExprFunctions.Failure("toJSON: " + e.getMessage());
    }
  }

  private static Object sorted(Object v) {
    if (v instanceof Map<?, ?> m) {
      Map<String, Object> out = new TreeMap<>();
      m.forEach((k, x) -> out.put(String.valueOf(k), sorted(x)));
      return out;
    }
    if (v instanceof List<?> l) return l.stream().map(ArrayFunctions::sorted).toList();
    if (v instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15) return d.longValue();
    return v;
  }

  /** Go's json.Unmarshal into any: numbers are float64. */
  private static Object fromJson(String s) {
    return floats(Values.parseJson(s));
  }

  private static Object floats(Object v) {
    if (v instanceof Long l) return l.doubleValue();
    if (v instanceof List<?> l) return l.stream().map(ArrayFunctions::floats).toList();
    if (v instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      m.forEach((k, x) -> out.put(String.valueOf(k), floats(x)));
      return out;
    }
    return v;
  }
}
