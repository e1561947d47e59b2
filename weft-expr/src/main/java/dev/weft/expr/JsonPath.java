package dev.weft.expr;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The subset of JSONPath Argo's {@code jsonpath()} is used with: {@code $}, {@code .key}, {@code
 * ['key']}, {@code [n]} (negative from the end), {@code [*]} and {@code .*}. After a wildcard the
 * result is a list of every match.
 */
final class JsonPath {
  private JsonPath() {}

  static Object query(Object doc, String path) {
    String p = path.strip();
    if (!p.startsWith("$")) {
      throw new ExprFunctions.Failure("jsonpath '" + path + "' must start with '$'");
    }
    List<Object> current = new ArrayList<>();
    current.add(doc);
    boolean multiple = false;
    int i = 1;
    while (i < p.length()) {
      char c = p.charAt(i);
      if (c == '.') {
        if (p.startsWith("..", i)) {
          throw new ExprFunctions.Failure(
              "jsonpath '" + path + "': recursive descent '..' is not supported");
        }
        int j = i + 1;
        while (j < p.length() && p.charAt(j) != '.' && p.charAt(j) != '[') {
          j++;
        }
        String key = p.substring(i + 1, j);
        if (key.isEmpty()) {
          throw new ExprFunctions.Failure(
              "jsonpath '" + path + "': empty key at position " + (i + 1));
        }
        if (key.equals("*")) {
          current = wildcard(current);
          multiple = true;
        } else {
          current = key(current, key, multiple, path);
        }
        i = j;
      } else if (c == '[') {
        int end = p.indexOf(']', i);
        int q = i + 1;
        while (q < p.length() && p.charAt(q) == ' ') {
          q++;
        }
        if (q < p.length() && (p.charAt(q) == '\'' || p.charAt(q) == '"')) {
          int close = p.indexOf(p.charAt(q), q + 1);
          end = close < 0 ? -1 : p.indexOf(']', close);
        }
        if (end < 0) {
          throw new ExprFunctions.Failure(
              "jsonpath '" + path + "': missing ']' after position " + (i + 1));
        }
        String inner = p.substring(i + 1, end).strip();
        if (inner.equals("*")) {
          current = wildcard(current);
          multiple = true;
        } else if ((inner.startsWith("'") && inner.endsWith("'") && inner.length() >= 2)
            || (inner.startsWith("\"") && inner.endsWith("\"") && inner.length() >= 2)) {
          current = key(current, inner.substring(1, inner.length() - 1), multiple, path);
        } else {
          long idx;
          try {
            idx = Long.parseLong(inner);
          } catch (NumberFormatException e) {
            throw new ExprFunctions.Failure(
                "jsonpath '"
                    + path
                    + "': unsupported selector ["
                    + inner
                    + "] (supported: [n], ['key'], [*])");
          }
          current = index(current, idx, multiple, path);
        }
        i = end + 1;
      } else {
        throw new ExprFunctions.Failure(
            "jsonpath '" + path + "': unexpected '" + c + "' at position " + (i + 1));
      }
    }
    return multiple ? current : current.get(0);
  }

  private static List<Object> wildcard(List<Object> in) {
    List<Object> out = new ArrayList<>();
    for (Object o : in) {
      if (o instanceof List<?> l) {
        out.addAll(l);
      } else if (o instanceof Map<?, ?> m) {
        out.addAll(new TreeMap<>(m).values());
      }
    }
    return out;
  }

  private static List<Object> key(List<Object> in, String key, boolean multiple, String path) {
    List<Object> out = new ArrayList<>();
    for (Object o : in) {
      if (o instanceof Map<?, ?> m && m.containsKey(key)) {
        out.add(m.get(key));
      } else if (!multiple) {
        throw new ExprFunctions.Failure(
            "jsonpath '"
                + path
                + "': unknown key "
                + key
                + (o instanceof Map
                    ? ""
                    : " (value is " + Values.typeName(o) + ", not an object)"));
      }
    }
    return out;
  }

  private static List<Object> index(List<Object> in, long idx, boolean multiple, String path) {
    List<Object> out = new ArrayList<>();
    for (Object o : in) {
      if (o instanceof List<?> l) {
        long k = idx < 0 ? idx + l.size() : idx;
        if (k >= 0 && k < l.size()) {
          out.add(l.get((int) k));
          continue;
        }
        if (!multiple) {
          throw new ExprFunctions.Failure(
              "jsonpath '"
                  + path
                  + "': index "
                  + idx
                  + " out of range (array length is "
                  + l.size()
                  + ")");
        }
      } else if (!multiple) {
        throw new ExprFunctions.Failure(
            "jsonpath '" + path + "': cannot index " + Values.typeName(o) + " with [" + idx + "]");
      }
    }
    return out;
  }
}
