package dev.weft.engine.expr;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Value rules shared by the expression languages: Go-style printing, numeric equality, JSON. */
final class Values {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Values() {}

  static boolean isInt(Object v) {
    return v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte;
  }

  static boolean isNumber(Object v) {
    return v instanceof Number;
  }

  static double toDouble(Object v) {
    return ((Number) v).doubleValue();
  }

  /** The type name as expr prints it in errors. */
  static String typeName(Object v) {
    if (v == null) return "nil";
    if (v instanceof String) return "string";
    if (isInt(v)) return "int";
    if (v instanceof Number) return "float64";
    if (v instanceof Boolean) return "bool";
    if (v instanceof List) return "array";
    if (v instanceof Map) return "map";
    return v.getClass().getSimpleName();
  }

  /** Equality as Go's expr and govaluate see it: numbers by value, collections deeply, never string vs number. */
  static boolean equal(Object a, Object b) {
    if (a == null || b == null) return a == b;
    if (a instanceof Number && b instanceof Number) {
      if (isInt(a) && isInt(b)) return ((Number) a).longValue() == ((Number) b).longValue();
      return toDouble(a) == toDouble(b);
    }
    if (a instanceof List<?> la && b instanceof List<?> lb) {
      if (la.size() != lb.size()) return false;
      for (int i = 0; i < la.size(); i++) if (!equal(la.get(i), lb.get(i))) return false;
      return true;
    }
    if (a instanceof Map<?, ?> ma && b instanceof Map<?, ?> mb) {
      if (ma.size() != mb.size()) return false;
      for (Map.Entry<?, ?> e : ma.entrySet()) {
        if (!mb.containsKey(e.getKey()) || !equal(e.getValue(), mb.get(e.getKey()))) return false;
      }
      return true;
    }
    return a.equals(b);
  }

  /** A float64 printed as Go's %v does: shortest form, exponent only below 1e-4 or from 1e21. */
  static String formatFloat(double d) {
    if (Double.isNaN(d)) return "NaN";
    if (Double.isInfinite(d)) return d > 0 ? "+Inf" : "-Inf";
    if (d == 0) return (1 / d < 0) ? "-0" : "0";
    BigDecimal bd = new BigDecimal(Double.toString(d)).stripTrailingZeros();
    int exp = bd.precision() - bd.scale() - 1;
    if (exp < -4 || exp >= 21) {
      String digits = bd.unscaledValue().abs().toString();
      StringBuilder sb = new StringBuilder(d < 0 ? "-" : "");
      sb.append(digits.charAt(0));
      if (digits.length() > 1) sb.append('.').append(digits, 1, digits.length());
      sb.append('e').append(exp < 0 ? '-' : '+');
      int abs = Math.abs(exp);
      if (abs < 10) sb.append('0');
      return sb.append(abs).toString();
    }
    return bd.toPlainString();
  }

  /** A value printed as Go's fmt.Sprint (%v) does. */
  static String goString(Object v) {
    if (v == null) return "<nil>";
    if (v instanceof String s) return s;
    if (isInt(v)) return v.toString();
    if (v instanceof Number n) return formatFloat(n.doubleValue());
    if (v instanceof List<?> l) {
      StringBuilder sb = new StringBuilder("[");
      for (int i = 0; i < l.size(); i++) sb.append(i == 0 ? "" : " ").append(goString(l.get(i)));
      return sb.append(']').toString();
    }
    if (v instanceof Map<?, ?> m) {
      StringBuilder sb = new StringBuilder("map[");
      Iterator<? extends Map.Entry<?, ?>> it = new TreeMap<>(stringKeys(m)).entrySet().iterator();
      while (it.hasNext()) {
        Map.Entry<?, ?> e = it.next();
        sb.append(e.getKey()).append(':').append(goString(e.getValue())).append(it.hasNext() ? " " : "");
      }
      return sb.append(']').toString();
    }
    return v.toString();
  }

  /** JSON as Go's encoding/json writes it: integral floats without ".0", map keys sorted. */
  static String toJson(Object v) {
    try {
      return JSON.writeValueAsString(forJson(v));
    } catch (JsonProcessingException e) {
      throw new ExpressionException("cannot encode value as JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** Parses JSON into plain values: numbers become Double (as Go's encoding/json does), objects keep order. */
  static Object fromJson(String json, String what) {
    try {
      return plain(JSON.readValue(json, Object.class));
    } catch (JsonProcessingException e) {
      throw new ExpressionException(what + ": invalid JSON: " + e.getOriginalMessage(), e);
    }
  }

  private static Object plain(Object v) {
    if (v instanceof Number n) return n.doubleValue();
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>(l.size());
      for (Object o : l) out.add(plain(o));
      return out;
    }
    if (v instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      m.forEach((k, val) -> out.put(String.valueOf(k), plain(val)));
      return out;
    }
    return v;
  }

  private static Object forJson(Object v) {
    if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      if (d == Math.rint(d) && Math.abs(d) < 1e21) return new BigDecimal(d).toBigInteger();
      return v;
    }
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>(l.size());
      for (Object o : l) out.add(forJson(o));
      return out;
    }
    if (v instanceof Map<?, ?> m) {
      Map<String, Object> out = new TreeMap<>();
      stringKeys(m).forEach((k, val) -> out.put(k, forJson(val)));
      return out;
    }
    return v;
  }

  private static Map<String, Object> stringKeys(Map<?, ?> m) {
    Map<String, Object> out = new LinkedHashMap<>();
    m.forEach((k, v) -> out.put(String.valueOf(k), v));
    return out;
  }
}
