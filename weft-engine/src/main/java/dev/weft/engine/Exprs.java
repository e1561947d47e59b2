package dev.weft.engine;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The engine's one door to Argo's expression languages: {@code {{…}}} substitution, {@code when}, {@code expression}. */
final class Exprs {
  private static final Pattern TAG = Pattern.compile("\\{\\{\\s*([^{}]*?)\\s*\\}\\}");

  private Exprs() {}

  /** A {@code {{…}}} reference that has no value. */
  static final class Unresolved extends RuntimeException {
    Unresolved(String message) {
      super(message, null, false, false);
    }
  }

  /** Substitutes {@code {{name}}} tags; unknown ones fail when strict, else stay as they are. */
  static String render(String text, Map<String, String> vars, boolean strict) {
    if (text.indexOf("{{") < 0) return text;
    Matcher m = TAG.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(1);
      String v = vars.get(name);
      if (v == null) {
        if (strict) throw new Unresolved("failed to resolve {{" + name + "}}");
        v = m.group();
      }
      m.appendReplacement(out, Matcher.quoteReplacement(v));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** Argo's {@code when}: govaluate, bare words as strings. */
  static boolean when(String expr) {
    String e = expr.trim();
    if (e.equals("true")) return true;
    if (e.equals("false")) return false;
    int ne = e.indexOf("!=");
    if (ne > 0) return !e.substring(0, ne).trim().equals(e.substring(ne + 2).trim());
    int eq = e.indexOf("==");
    if (eq > 0) return e.substring(0, eq).trim().equals(e.substring(eq + 2).trim());
    throw new IllegalArgumentException("Expected boolean evaluation for '" + expr + "'. Got " + expr);
  }

  /** An expr-lang expression over the variables ({@code valueFrom.expression}). */
  static Object evaluate(String expr, Map<String, String> vars) {
    throw new IllegalArgumentException("expressions are not available yet: " + expr);
  }
}
