package dev.weft.expr;

import static dev.weft.expr.Arity.any;
import static dev.weft.expr.Arity.between;
import static dev.weft.expr.Arity.exactly;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.zip.Adler32;

/**
 * More of the sprig text functions Argo exposes (Masterminds/sprig v3 functions.go, text map minus
 * env and expandenv): case, padding, wrapping, regular expressions, hashes, paths and sequences. As
 * in sprig, the subject comes last.
 */
final class SprigText {
  private SprigText() {}

  static List<Builtin> all() {
    return List.of(
        new Builtin("sprig.title", exactly(1), a -> words(a.string(0), true)),
        new Builtin("sprig.untitle", exactly(1), a -> words(a.string(0), false)),
        new Builtin("sprig.swapcase", exactly(1), a -> swapcase(a.string(0))),
        new Builtin(
            "sprig.snakecase",
            exactly(1),
            a -> String.join("_", parts(a.string(0))).toLowerCase(Locale.ROOT)),
        new Builtin(
            "sprig.kebabcase",
            exactly(1),
            a -> String.join("-", parts(a.string(0))).toLowerCase(Locale.ROOT)),
        new Builtin("sprig.camelcase", exactly(1), a -> camel(a.string(0))),
        new Builtin(
            "sprig.repeat",
            exactly(2),
            a -> a.string(1).repeat((int) Math.max(0, SprigFunctions.castInt(a.get(0))))),
        new Builtin("sprig.substr", exactly(3), SprigText::substr),
        new Builtin("sprig.trunc", exactly(2), SprigText::trunc),
        new Builtin("sprig.nospace", exactly(1), a -> a.string(0).replaceAll("\\s", "")),
        new Builtin("sprig.trimAll", exactly(2), a -> trimAll(a.string(1), a.string(0))),
        new Builtin("sprig.trimall", exactly(2), a -> trimAll(a.string(1), a.string(0))),
        new Builtin("sprig.abbrev", exactly(2), SprigText::abbrev),
        new Builtin("sprig.initials", exactly(1), SprigText::initials),
        new Builtin(
            "sprig.wrap",
            exactly(2),
            a -> wrap(a.string(1), (int) SprigFunctions.castInt(a.get(0)), "\n")),
        new Builtin(
            "sprig.wrapWith",
            exactly(3),
            a -> wrap(a.string(2), (int) SprigFunctions.castInt(a.get(0)), a.string(1))),
        new Builtin("sprig.cat", any(), SprigText::cat),
        new Builtin(
            "sprig.indent",
            exactly(2),
            a -> indent(a.string(1), (int) SprigFunctions.castInt(a.get(0)))),
        new Builtin(
            "sprig.nindent",
            exactly(2),
            a -> "\n" + indent(a.string(1), (int) SprigFunctions.castInt(a.get(0)))),
        new Builtin("sprig.squote", any(), SprigText::squote),
        new Builtin(
            "sprig.plural",
            exactly(3),
            a -> SprigFunctions.castInt(a.get(2)) == 1 ? a.string(0) : a.string(1)),
        new Builtin(
            "sprig.regexFind",
            exactly(2),
            a -> {
              Matcher m = regex(a.string(0)).matcher(a.string(1));
              return m.find() ? m.group() : "";
            }),
        new Builtin("sprig.regexFindAll", exactly(3), SprigText::regexFindAll),
        new Builtin(
            "sprig.regexReplaceAll",
            exactly(3),
            a ->
                regex(a.string(0))
                    .matcher(a.string(1))
                    .replaceAll(a.string(2).replace("${", "$").replace("}", ""))),
        new Builtin(
            "sprig.regexReplaceAllLiteral",
            exactly(3),
            a ->
                regex(a.string(0))
                    .matcher(a.string(1))
                    .replaceAll(Matcher.quoteReplacement(a.string(2)))),
        new Builtin("sprig.regexSplit", exactly(3), SprigText::regexSplit),
        new Builtin("sprig.regexQuoteMeta", exactly(1), a -> quoteMeta(a.string(0))),
        new Builtin("sprig.sha1sum", exactly(1), a -> digest("SHA-1", a.string(0))),
        new Builtin("sprig.sha256sum", exactly(1), a -> digest("SHA-256", a.string(0))),
        new Builtin(
            "sprig.adler32sum",
            exactly(1),
            a -> {
              Adler32 c = new Adler32();
              c.update(a.string(0).getBytes(StandardCharsets.UTF_8));
              return String.valueOf(c.getValue());
            }),
        new Builtin("sprig.base", exactly(1), a -> SprigPaths.base(a.string(0))),
        new Builtin("sprig.dir", exactly(1), a -> SprigPaths.dir(a.string(0))),
        new Builtin("sprig.clean", exactly(1), a -> SprigPaths.clean(a.string(0))),
        new Builtin("sprig.ext", exactly(1), a -> SprigPaths.ext(a.string(0))),
        new Builtin("sprig.isAbs", exactly(1), a -> a.string(0).startsWith("/")),
        new Builtin("sprig.seq", between(1, 3), SprigText::seq),
        new Builtin(
            "sprig.until",
            exactly(1),
            a -> SprigPaths.range(0, SprigFunctions.castInt(a.get(0)), 1)),
        new Builtin(
            "sprig.untilStep",
            exactly(3),
            a ->
                SprigPaths.range(
                    SprigFunctions.castInt(a.get(0)),
                    SprigFunctions.castInt(a.get(1)),
                    SprigFunctions.castInt(a.get(2)))),
        new Builtin("sprig.add1", exactly(1), a -> SprigFunctions.castInt(a.get(0)) + 1),
        new Builtin(
            "sprig.div",
            exactly(2),
            a -> SprigFunctions.castInt(a.get(0)) / nonZero(SprigFunctions.castInt(a.get(1)))),
        new Builtin(
            "sprig.mod",
            exactly(2),
            a -> SprigFunctions.castInt(a.get(0)) % nonZero(SprigFunctions.castInt(a.get(1)))),
        new Builtin(
            "sprig.max",
            any(),
            a -> a.values().stream().mapToLong(SprigFunctions::castInt).max().orElse(0)),
        new Builtin(
            "sprig.min",
            any(),
            a -> a.values().stream().mapToLong(SprigFunctions::castInt).min().orElse(0)),
        new Builtin("sprig.int64", exactly(1), a -> SprigFunctions.castInt(a.get(0))),
        new Builtin(
            "sprig.ternary", exactly(3), a -> Boolean.TRUE.equals(a.get(2)) ? a.get(0) : a.get(1)),
        new Builtin(
            "sprig.coalesce",
            any(),
            a ->
                a.values().stream().filter(v -> !SprigFunctions.empty(v)).findFirst().orElse(null)),
        new Builtin(
            "sprig.semverCompare", exactly(2), a -> Semver.satisfies(a.string(1), a.string(0))),
        new Builtin("sprig.semver", exactly(1), a -> Semver.parts(a.string(0))));
  }

  private static long nonZero(long d) {
    if (d == 0) throw new ExprFunctions.Failure("integer divide by zero");
    return d;
  }

  private static boolean isWordChar(int c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '\'';
  }

  /** Go's strings.Title (and sprig's untitle): the first letter of each word up or down. */
  private static String words(String s, boolean up) {
    StringBuilder b = new StringBuilder();
    int prev = ' ';
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean start = !isWordChar(prev);
      b.append(start ? (up ? Character.toTitleCase(c) : Character.toLowerCase(c)) : c);
      prev = c;
    }
    return b.toString();
  }

  private static String swapcase(String s) {
    StringBuilder b = new StringBuilder();
    for (char c : s.toCharArray())
      b.append(Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c));
    return b.toString();
  }

  /** The words of an identifier: split at _, -, spaces and lower-to-upper case changes. */
  private static List<String> parts(String s) {
    List<String> out = new ArrayList<>();
    for (String w : s.split("[_\\-\\s]+")) {
      if (w.isEmpty()) continue;
      for (String p : w.split("(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")) out.add(p);
    }
    return out;
  }

  /** xstrings.ToCamelCase: leading underscores stay; "_x" becomes "X"; of "__" one "_" stays. */
  private static String camel(String s) {
    StringBuilder b = new StringBuilder();
    int i = 0;
    while (i < s.length() && s.charAt(i) == '_') b.append(s.charAt(i++));
    boolean upper = true;
    for (; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '_' && i + 1 < s.length()) {
        if (s.charAt(i + 1) == '_') b.append('_');
        upper = true;
        continue;
      }
      b.append(upper ? Character.toUpperCase(c) : c);
      upper = false;
    }
    return b.toString();
  }

  private static Object substr(Args a) {
    String s = a.string(2);
    int start = (int) SprigFunctions.castInt(a.get(0));
    int end = (int) SprigFunctions.castInt(a.get(1));
    if (start < 0) return s.substring(0, Math.min(Math.max(end, 0), s.length()));
    if (end < 0 || end > s.length()) return start > s.length() ? "" : s.substring(start);
    return start > end ? "" : s.substring(start, end);
  }

  private static Object trunc(Args a) {
    String s = a.string(1);
    int c = (int) SprigFunctions.castInt(a.get(0));
    if (c < 0 && s.length() + c > 0) return s.substring(s.length() + c);
    if (c >= 0 && s.length() > c) return s.substring(0, c);
    return s;
  }

  private static String trimAll(String s, String cutset) {
    int b = 0;
    int e = s.length();
    while (b < e && cutset.indexOf(s.charAt(b)) >= 0) b++;
    while (e > b && cutset.indexOf(s.charAt(e - 1)) >= 0) e--;
    return s.substring(b, e);
  }

  private static Object abbrev(Args a) {
    String s = a.string(1);
    int w = (int) SprigFunctions.castInt(a.get(0));
    if (w < 4 || s.length() <= w) return s;
    return s.substring(0, w - 3) + "...";
  }

  private static Object initials(Args a) {
    StringBuilder b = new StringBuilder();
    for (String w : a.string(0).trim().split("\\s+"))
      if (!w.isEmpty()) b.appendCodePoint(w.codePointAt(0));
    return b.toString();
  }

  /**
   * goutils.WrapCustom: breaks lines at spaces so none is longer than width where a space allows.
   */
  private static String wrap(String s, int width, String newline) {
    if (width < 1) width = 1;
    StringBuilder out = new StringBuilder();
    for (String line : s.split("\n", -1)) {
      if (out.length() > 0) out.append(newline);
      StringBuilder cur = new StringBuilder();
      for (String w : line.split(" ")) {
        if (cur.length() > 0 && cur.length() + 1 + w.length() > width) {
          out.append(cur).append(newline);
          cur.setLength(0);
        } else if (cur.length() > 0) {
          cur.append(' ');
        }
        cur.append(w);
      }
      out.append(cur);
    }
    return out.toString();
  }

  private static Object cat(Args a) {
    List<String> parts = new ArrayList<>();
    for (Object v : a.values()) if (v != null) parts.add(Values.display(v));
    return String.join(" ", parts);
  }

  private static String indent(String s, int n) {
    String pad = " ".repeat(Math.max(0, n));
    return pad + s.replace("\n", "\n" + pad);
  }

  private static Object squote(Args a) {
    List<String> parts = new ArrayList<>();
    for (Object v : a.values()) if (v != null) parts.add("'" + Values.display(v) + "'");
    return String.join(" ", parts);
  }

  private static Pattern regex(String re) {
    try {
      return Pattern.compile(re);
    } catch (PatternSyntaxException e) {
      throw new ExprFunctions.Failure("error parsing regexp: " + e.getDescription());
    }
  }

  private static Object regexFindAll(Args a) {
    long n = SprigFunctions.castInt(a.get(2));
    List<Object> out = new ArrayList<>();
    Matcher m = regex(a.string(0)).matcher(a.string(1));
    while ((n < 0 || out.size() < n) && m.find()) out.add(m.group());
    return out;
  }

  private static Object regexSplit(Args a) {
    long n = SprigFunctions.castInt(a.get(2));
    String[] parts = regex(a.string(0)).split(a.string(1), n < 0 ? -1 : (int) n);
    return new ArrayList<Object>(List.of((Object[]) parts));
  }

  /** Go's regexp.QuoteMeta. */
  static String quoteMeta(String s) {
    StringBuilder b = new StringBuilder();
    for (char c : s.toCharArray()) {
      if ("\\.+*?()|[]{}^$".indexOf(c) >= 0) b.append('\\');
      b.append(c);
    }
    return b.toString();
  }

  private static String digest(String algorithm, String s) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance(algorithm).digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(algorithm + " is part of every JVM", e);
    }
  }

  /** sprig's seq: like the seq command, the numbers as one space-separated string. */
  private static Object seq(Args a) {
    long first = 1;
    long step = 1;
    long last;
    if (a.size() == 1) {
      last = SprigFunctions.castInt(a.get(0));
    } else if (a.size() == 2) {
      first = SprigFunctions.castInt(a.get(0));
      last = SprigFunctions.castInt(a.get(1));
      step = first <= last ? 1 : -1;
    } else {
      first = SprigFunctions.castInt(a.get(0));
      step = SprigFunctions.castInt(a.get(1));
      last = SprigFunctions.castInt(a.get(2));
    }
    List<String> out = new ArrayList<>();
    if (step == 0) return "";
    for (long v = first; step > 0 ? v <= last : v >= last; v += step) out.add(String.valueOf(v));
    return String.join(" ", out);
  }
}
