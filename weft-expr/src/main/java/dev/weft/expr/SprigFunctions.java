package dev.weft.expr;

import static dev.weft.expr.Arity.any;
import static dev.weft.expr.Arity.between;
import static dev.weft.expr.Arity.exactly;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The sprig functions Argo offers as {@code sprig.*}. Sprig puts the subject last ({@code hasPrefix
 * PREFIX S}) and ignores parse errors (an unparsable number is 0).
 */
final class SprigFunctions {
  private SprigFunctions() {}

  static List<Builtin> all() {
    return List.of(
        new Builtin("sprig.trim", exactly(1), a -> a.string(0).strip()),
        new Builtin("sprig.upper", exactly(1), a -> a.string(0).toUpperCase(Locale.ROOT)),
        new Builtin("sprig.lower", exactly(1), a -> a.string(0).toLowerCase(Locale.ROOT)),
        new Builtin(
            "sprig.replace", exactly(3), a -> a.string(2).replace(a.string(0), a.string(1))),
        new Builtin("sprig.contains", exactly(2), a -> a.string(1).contains(a.string(0))),
        new Builtin("sprig.hasPrefix", exactly(2), a -> a.string(1).startsWith(a.string(0))),
        new Builtin("sprig.hasSuffix", exactly(2), a -> a.string(1).endsWith(a.string(0))),
        new Builtin(
            "sprig.trimPrefix",
            exactly(2),
            a -> TextFunctions.trimPrefix(a.string(1), a.string(0))),
        new Builtin(
            "sprig.trimSuffix",
            exactly(2),
            a -> TextFunctions.trimSuffix(a.string(1), a.string(0))),
        new Builtin(
            "sprig.splitList", exactly(2), a -> TextFunctions.split(a.string(1), a.string(0))),
        new Builtin("sprig.join", exactly(2), SprigFunctions::join),
        new Builtin("sprig.quote", any(), SprigFunctions::quote),
        new Builtin("sprig.b64enc", exactly(1), TextFunctions::toBase64),
        new Builtin("sprig.b64dec", exactly(1), TextFunctions::fromBase64),
        new Builtin("sprig.regexMatch", exactly(2), SprigFunctions::regexMatch),
        new Builtin(
            "sprig.toString",
            exactly(1),
            a -> a.get(0) == null ? "<nil>" : Values.display(a.get(0))),
        new Builtin(
            "sprig.default",
            between(1, 2),
            a -> a.size() == 1 || empty(a.get(1)) ? a.get(0) : a.get(1)),
        new Builtin("sprig.empty", exactly(1), a -> empty(a.get(0))),
        new Builtin("sprig.list", any(), a -> new ArrayList<>(a.values())),
        new Builtin("sprig.int", exactly(1), a -> castInt(a.get(0))),
        new Builtin("sprig.atoi", exactly(1), SprigFunctions::atoi),
        new Builtin("sprig.float64", exactly(1), SprigFunctions::float64),
        new Builtin(
            "sprig.add", any(), a -> a.values().stream().mapToLong(SprigFunctions::castInt).sum()),
        new Builtin("sprig.sub", exactly(2), a -> castInt(a.get(0)) - castInt(a.get(1))),
        new Builtin("sprig.mul", any(), SprigFunctions::mul));
  }

  private static Object join(Args a) {
    List<?> l = a.list(1);
    List<String> parts = new ArrayList<>();
    for (Object o : l) {
      parts.add(Values.display(Values.normalize(o)));
    }
    return String.join(a.string(0), parts);
  }

  private static Object quote(Args a) {
    List<String> parts = new ArrayList<>();
    for (Object o : a.values()) {
      if (o != null) {
        parts.add(Values.toJson(Values.display(o)));
      }
    }
    return String.join(" ", parts);
  }

  private static Object regexMatch(Args a) {
    try {
      return Pattern.compile(a.string(0)).matcher(a.string(1)).find();
    } catch (PatternSyntaxException e) {
      throw new ExprFunctions.Failure(
          a.function() + ": invalid regular expression '" + a.get(0) + "': " + e.getDescription());
    }
  }

  private static Object atoi(Args a) {
    try {
      return Long.parseLong(a.string(0));
    } catch (NumberFormatException e) {
      return 0L;
    }
  }

  private static Object float64(Args a) {
    Object v = a.get(0);
    if (v instanceof Long || v instanceof Double) {
      return ((Number) v).doubleValue();
    }
    try {
      return v instanceof String s ? Double.parseDouble(s) : 0.0;
    } catch (NumberFormatException e) {
      return 0.0;
    }
  }

  private static Object mul(Args a) {
    long product = 1;
    for (Object o : a.values()) {
      product *= castInt(o);
    }
    return product;
  }

  /** sprig's lenient integer cast: anything unparsable is 0. */
  static long castInt(Object v) {
    if (v instanceof Long l) {
      return l;
    }
    if (v instanceof Double d) {
      return d.longValue();
    }
    if (v instanceof Boolean b) {
      return b ? 1 : 0;
    }
    if (v instanceof String s) {
      String t = s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
      try {
        return Long.decode(t);
      } catch (NumberFormatException e) {
        return 0;
      }
    }
    return 0;
  }

  /** sprig's empty: nil, false, 0, "", and empty lists and maps. */
  static boolean empty(Object v) {
    if (v == null) {
      return true;
    }
    if (v instanceof Boolean b) {
      return !b;
    }
    if (v instanceof Long l) {
      return l == 0;
    }
    if (v instanceof Double d) {
      return d == 0;
    }
    if (v instanceof String s) {
      return s.isEmpty();
    }
    if (v instanceof Collection<?> c) {
      return c.isEmpty();
    }
    if (v instanceof Map<?, ?> m) {
      return m.isEmpty();
    }
    return false;
  }
}
