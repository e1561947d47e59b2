package dev.weft.engine.expr;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The JSONPath subset Argo's {@code jsonpath(json, path)} is used with: {@code $}, {@code .key},
 * {@code ['key']}, {@code [n]} (negative from the end) and {@code [*]} / {@code .*}. A path with a
 * wildcard yields an array of the matches.
 */
final class JsonPath {
  private JsonPath() {}

  static Object query(String json, String path) {
    Object doc = Values.fromJson(json, "jsonpath");
    String p = path.strip();
    if (!p.startsWith("$")) throw new ExpressionException("jsonpath: path '" + path + "' must start with '$'");
    List<Object> current = new ArrayList<>();
    current.add(doc);
    boolean multi = false;
    int i = 1;
    while (i < p.length()) {
      char c = p.charAt(i);
      if (c == '.') {
        if (p.startsWith("..", i)) throw new ExpressionException("jsonpath: recursive descent '..' is not supported in '" + path + "'");
        int j = i + 1;
        while (j < p.length() && p.charAt(j) != '.' && p.charAt(j) != '[') j++;
        String key = p.substring(i + 1, j);
        if (key.isEmpty()) throw new ExpressionException("jsonpath: empty key at position " + (i + 1) + " in '" + path + "'");
        if (key.equals("*")) {
          current = wildcard(current);
          multi = true;
        } else {
          current = child(current, key, multi, path);
        }
        i = j;
      } else if (c == '[') {
        int j = p.indexOf(']', i);
        if (j < 0) throw new ExpressionException("jsonpath: unclosed '[' at position " + (i + 1) + " in '" + path + "'");
        String sel = p.substring(i + 1, j).strip();
        if (sel.equals("*")) {
          current = wildcard(current);
          multi = true;
        } else if (sel.length() >= 2 && (sel.charAt(0) == '\'' || sel.charAt(0) == '"') && sel.charAt(sel.length() - 1) == sel.charAt(0)) {
          current = child(current, sel.substring(1, sel.length() - 1), multi, path);
        } else {
          int n;
          try {
            n = Integer.parseInt(sel);
          } catch (NumberFormatException e) {
            throw new ExpressionException("jsonpath: unsupported selector '[" + sel + "]' in '" + path + "' (supported: $, .key, ['key'], [n], [*])");
          }
          current = index(current, n, multi, path);
        }
        i = j + 1;
      } else {
        throw new ExpressionException("jsonpath: unexpected '" + c + "' at position " + (i + 1) + " in '" + path + "'");
      }
    }
    return multi ? current : current.get(0);
  }

  private static List<Object> wildcard(List<Object> in) {
    List<Object> out = new ArrayList<>();
    for (Object o : in) {
      if (o instanceof List<?> l) out.addAll(l);
      else if (o instanceof Map<?, ?> m) out.addAll(m.values());
    }
    return out;
  }

  private static List<Object> child(List<Object> in, String key, boolean multi, String path) {
    List<Object> out = new ArrayList<>();
    for (Object o : in) {
      if (o instanceof Map<?, ?> m && m.containsKey(key)) out.add(m.get(key));
      else if (!multi) throw new ExpressionException("jsonpath: unknown key " + key + " in '" + path + "'");
    }
    return out;
  }

  private static List<Object> index(List<Object> in, int n, boolean multi, String path) {
    List<Object> out = new ArrayList<>();
    for (Object o : in) {
      if (o instanceof List<?> l && (n < 0 ? l.size() + n : n) >= 0 && (n < 0 ? l.size() + n : n) < l.size()) {
        out.add(l.get(n < 0 ? l.size() + n : n));
      } else if (!multi) {
        throw new ExpressionException("jsonpath: index [" + n + "] out of range in '" + path + "'"
            + (o instanceof List<?> l ? " (array length is " + l.size() + ")" : " (not an array)"));
      }
    }
    return out;
  }
}
