package dev.weft.expr;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Value helpers shared by the two languages: number normalising, type names, Go-like printing. */
final class Values {
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  private Values() {}

  /** Integers become Long, other numbers Double; lists and maps are normalised deeply. */
  static Object normalize(Object v) {
    if (v instanceof Long
        || v instanceof Double
        || v instanceof String
        || v instanceof Boolean
        || v == null) {
      return v;
    }
    if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
      return ((Number) v).longValue();
    }
    if (v instanceof BigInteger b) {
      return b.longValue();
    }
    if (v instanceof Float || v instanceof BigDecimal) {
      return ((Number) v).doubleValue();
    }
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    if (v instanceof Character c) {
      return c.toString();
    }
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>(l.size());
      for (Object o : l) {
        out.add(normalize(o));
      }
      return out;
    }
    if (v instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        out.put(String.valueOf(e.getKey()), normalize(e.getValue()));
      }
      return out;
    }
    return v;
  }

  static String typeName(Object v) {
    if (v == null) {
      return "nil";
    }
    if (v instanceof Long) {
      return "int";
    }
    if (v instanceof Double) {
      return "float";
    }
    if (v instanceof String) {
      return "string";
    }
    if (v instanceof Boolean) {
      return "bool";
    }
    if (v instanceof List) {
      return "array";
    }
    if (v instanceof Map) {
      return "map";
    }
    return v.getClass().getSimpleName();
  }

  /** Formats a double like Go's %v: shortest form, exponent outside [1e-4, 1e21). */
  static String goFloat(double d) {
    if (Double.isNaN(d)) {
      return "NaN";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "+Inf" : "-Inf";
    }
    if (d == 0) {
      return (1 / d < 0) ? "-0" : "0";
    }
    double abs = Math.abs(d);
    if (abs >= 1e-4 && abs < 1e21) {
      return new BigDecimal(Double.toString(d)).stripTrailingZeros().toPlainString();
    }
    String s = Double.toString(d); // e.g. 1.5E21 or 1.0E-5
    int e = s.indexOf('E');
    String mant = new BigDecimal(s.substring(0, e)).stripTrailingZeros().toPlainString();
    int exp = Integer.parseInt(s.substring(e + 1));
    String expDigits = String.valueOf(Math.abs(exp));
    if (expDigits.length() < 2) {
      expDigits = "0" + expDigits;
    }
    return mant + "e" + (exp < 0 ? "-" : "+") + expDigits;
  }

  /**
   * Stringifies a result like Argo writes it into a template: strings as they are, numbers without
   * a trailing ".0", lists and maps as JSON.
   */
  static String display(Object v) {
    if (v == null) {
      return "<nil>";
    }
    if (v instanceof String s) {
      return s;
    }
    if (v instanceof Double d) {
      return goFloat(d);
    }
    if (v instanceof List || v instanceof Map) {
      return toJson(v);
    }
    return String.valueOf(v);
  }

  static String toJson(Object v) {
    try {
      return JSON.writeValueAsString(jsonReady(v));
    } catch (JsonProcessingException e) {
      throw new ExpressionException(
          "cannot encode " + typeName(v) + " as JSON: " + e.getMessage(), e);
    }
  }

  /** Integral doubles become longs so JSON shows 5, not 5.0, as Go's encoder does. */
  private static Object jsonReady(Object v) {
    if (v instanceof Double d
        && !d.isInfinite()
        && !d.isNaN()
        && d == Math.rint(d)
        && Math.abs(d) < 1e15) {
      return d.longValue();
    }
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>(l.size());
      for (Object o : l) {
        out.add(jsonReady(o));
      }
      return out;
    }
    if (v instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        out.put(String.valueOf(e.getKey()), jsonReady(e.getValue()));
      }
      return out;
    }
    return v;
  }

  static Object parseJson(String text) {
    try {
      return normalize(JSON.readValue(text, Object.class));
    } catch (JsonProcessingException e) {
      throw new ExpressionException(
          "invalid JSON " + abbreviate(text) + ": " + e.getOriginalMessage(), e);
    }
  }

  static String abbreviate(String s) {
    return "'" + (s.length() > 80 ? s.substring(0, 77) + "..." : s) + "'";
  }

  /** expr's equality: numbers compare by value across int and float, collections deeply. */
  static boolean equal(Object a, Object b) {
    a = normalize(a);
    b = normalize(b);
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
}
