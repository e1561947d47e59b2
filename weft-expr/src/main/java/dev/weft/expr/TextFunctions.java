package dev.weft.expr;

import static dev.weft.expr.Arity.between;
import static dev.weft.expr.Arity.exactly;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/** expr's string functions, and Argo's {@code toJson} and {@code jsonpath}. */
final class TextFunctions {
  private TextFunctions() {}

  static List<Builtin> all() {
    return List.of(
        new Builtin("string", exactly(1), a -> Values.display(a.get(0))),
        new Builtin("toJson", exactly(1), a -> Values.toJson(a.get(0))),
        new Builtin("jsonpath", exactly(2), TextFunctions::jsonpath),
        new Builtin("upper", exactly(1), a -> a.string(0).toUpperCase(Locale.ROOT)),
        new Builtin("lower", exactly(1), a -> a.string(0).toLowerCase(Locale.ROOT)),
        new Builtin(
            "trim",
            between(1, 2),
            a -> a.size() == 1 ? a.string(0).strip() : trimChars(a.string(0), a.string(1))),
        new Builtin(
            "split",
            between(2, 3),
            a -> limit(split(a.string(0), a.string(1)), a, a.string(1), false)),
        new Builtin(
            "splitAfter",
            between(2, 3),
            a -> limit(splitAfter(a.string(0), a.string(1)), a, a.string(1), true)),
        new Builtin("repeat", exactly(2), a -> a.string(0).repeat((int) whole(a, 1))),
        new Builtin("lastIndexOf", exactly(2), a -> (long) a.string(0).lastIndexOf(a.string(1))),
        new Builtin("replace", between(3, 4), TextFunctions::replace),
        new Builtin("hasPrefix", exactly(2), a -> a.string(0).startsWith(a.string(1))),
        new Builtin("hasSuffix", exactly(2), a -> a.string(0).endsWith(a.string(1))),
        new Builtin("trimPrefix", exactly(2), a -> trimPrefix(a.string(0), a.string(1))),
        new Builtin("trimSuffix", exactly(2), a -> trimSuffix(a.string(0), a.string(1))),
        new Builtin("indexOf", exactly(2), a -> (long) a.string(0).indexOf(a.string(1))),
        new Builtin("toBase64", exactly(1), TextFunctions::toBase64),
        new Builtin("fromBase64", exactly(1), TextFunctions::fromBase64));
  }

  private static Object jsonpath(Args a) {
    Object doc;
    try {
      doc = Values.parseJson(a.string(0));
    } catch (ExpressionException e) {
      throw new ExprFunctions.Failure("jsonpath: " + e.getMessage());
    }
    return JsonPath.query(doc, a.string(1));
  }

  /** Go's strings.Replace: the fourth argument caps the replacements (negative: all). */
  private static Object replace(Args a) {
    String s = a.string(0);
    String from = a.string(1);
    String to = a.string(2);
    long n = a.size() == 4 ? whole(a, 3) : -1;
    if (n < 0 || from.isEmpty()) return n < 0 ? s.replace(from, to) : s;
    StringBuilder b = new StringBuilder();
    int at = 0;
    for (long k = 0; k < n; k++) {
      int next = s.indexOf(from, at);
      if (next < 0) break;
      b.append(s, at, next).append(to);
      at = next + from.length();
    }
    return b.append(s.substring(at)).toString();
  }

  private static long whole(Args a, int k) {
    if (!(a.get(k) instanceof Long n)) {
      throw new ExprFunctions.Failure(
          "cannot use "
              + Values.typeName(a.get(k))
              + " as argument (type int) to call "
              + a.function());
    }
    return n;
  }

  /** Go's SplitN/SplitAfterN: at most n parts, the last holding the rest (n < 0: all). */
  private static List<Object> limit(List<Object> parts, Args a, String sep, boolean after) {
    if (a.size() < 3) return parts;
    long n = whole(a, 2);
    if (n < 0 || parts.size() <= n) return parts;
    if (n == 0) return new ArrayList<>();
    List<Object> out = new ArrayList<>(parts.subList(0, (int) n - 1));
    StringBuilder rest = new StringBuilder();
    for (int k = (int) n - 1; k < parts.size(); k++) {
      rest.append(parts.get(k));
      if (!after && k < parts.size() - 1) rest.append(sep);
    }
    out.add(rest.toString());
    return out;
  }

  /** Go's strings.SplitAfter: each part keeps its separator. */
  static List<Object> splitAfter(String s, String sep) {
    if (sep.isEmpty()) return split(s, sep);
    List<Object> out = new ArrayList<>();
    int from = 0;
    while (true) {
      int at = s.indexOf(sep, from);
      if (at < 0) {
        out.add(s.substring(from));
        return out;
      }
      out.add(s.substring(from, at + sep.length()));
      from = at + sep.length();
    }
  }

  /** Go's strings.Split: an empty separator splits into characters. */
  static List<Object> split(String s, String sep) {
    List<Object> out = new ArrayList<>();
    if (sep.isEmpty()) {
      s.codePoints().forEach(cp -> out.add(new String(Character.toChars(cp))));
      return out;
    }
    int from = 0;
    while (true) {
      int at = s.indexOf(sep, from);
      if (at < 0) {
        out.add(s.substring(from));
        return out;
      }
      out.add(s.substring(from, at));
      from = at + sep.length();
    }
  }

  static String trimPrefix(String s, String prefix) {
    return s.startsWith(prefix) ? s.substring(prefix.length()) : s;
  }

  static String trimSuffix(String s, String suffix) {
    return s.endsWith(suffix) ? s.substring(0, s.length() - suffix.length()) : s;
  }

  /** Shared with sprig.b64enc: the name in a failure is whichever was called. */
  static Object toBase64(Args a) {
    return Base64.getEncoder().encodeToString(a.string(0).getBytes(StandardCharsets.UTF_8));
  }

  static Object fromBase64(Args a) {
    try {
      return new String(Base64.getDecoder().decode(a.string(0)), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new ExprFunctions.Failure(a.function() + ": invalid base64: " + e.getMessage());
    }
  }

  private static String trimChars(String s, String cutset) {
    int a = 0;
    int b = s.length();
    while (a < b && cutset.indexOf(s.charAt(a)) >= 0) {
      a++;
    }
    while (b > a && cutset.indexOf(s.charAt(b - 1)) >= 0) {
      b--;
    }
    return s.substring(a, b);
  }
}
