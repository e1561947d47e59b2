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
    Object v = new When(expr).parse();
    if (!(v instanceof Boolean b)) throw new IllegalArgumentException("Expected boolean evaluation for '" + expr + "'. Got " + text(v));
    return b;
  }

  private static String text(Object v) {
    if (v instanceof Double d && d == Math.rint(d) && !d.isInfinite()) return String.valueOf(d.longValue());
    return String.valueOf(v);
  }

  /** govaluate's grammar for conditions: || && ! comparisons =~ !~ parentheses, numbers, quoted strings, bare words. */
  private static final class When {
    final String s;
    int i;

    When(String s) {
      this.s = s;
    }

    IllegalArgumentException bad(String why) {
      return new IllegalArgumentException("Invalid 'when' expression '" + s + "': " + why);
    }

    Object parse() {
      Object v = or();
      skip();
      if (i < s.length()) throw bad("unexpected '" + s.substring(i) + "'");
      return v;
    }

    void skip() {
      while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
    }

    boolean eat(String t) {
      skip();
      if (s.startsWith(t, i)) {
        i += t.length();
        return true;
      }
      return false;
    }

    Object or() {
      Object l = and();
      while (eat("||")) {
        Object r = and();
        l = bool(l) || bool(r);
      }
      return l;
    }

    Object and() {
      Object l = cmp();
      while (eat("&&")) {
        Object r = cmp();
        l = bool(l) && bool(r);
      }
      return l;
    }

    boolean bool(Object o) {
      if (o instanceof Boolean b) return b;
      throw bad("'" + text(o) + "' is not a boolean");
    }

    Object cmp() {
      Object l = unary();
      for (String op : new String[] {"==", "!=", "<=", ">=", "=~", "!~", "<", ">"}) {
        if (eat(op)) {
          Object r = unary();
          return switch (op) {
            case "==" -> same(l, r);
            case "!=" -> !same(l, r);
            case "=~" -> java.util.regex.Pattern.compile(text(r)).matcher(text(l)).find();
            case "!~" -> !java.util.regex.Pattern.compile(text(r)).matcher(text(l)).find();
            default -> {
              if (!(l instanceof Double a) || !(r instanceof Double b)) throw bad("'" + op + "' needs numbers, got '" + text(l) + "' and '" + text(r) + "'");
              yield switch (op) {
                case "<" -> a < b;
                case ">" -> a > b;
                case "<=" -> a <= b;
                default -> a >= b;
              };
            }
          };
        }
      }
      return l;
    }

    static boolean same(Object a, Object b) {
      return a.getClass() == b.getClass() && a.equals(b);
    }

    Object unary() {
      if (eat("!")) return !bool(unary());
      if (eat("(")) {
        Object v = or();
        if (!eat(")")) throw bad("missing ')'");
        return v;
      }
      skip();
      if (i >= s.length()) throw bad("unexpected end");
      char c = s.charAt(i);
      if (c == '\'' || c == '"') {
        int end = s.indexOf(c, i + 1);
        if (end < 0) throw bad("unterminated string");
        String v = s.substring(i + 1, end);
        i = end + 1;
        return v;
      }
      int start = i;
      if (c == '-' || Character.isDigit(c)) {
        i++;
        while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) i++;
        String num = s.substring(start, i);
        if (i < s.length() && !Character.isWhitespace(s.charAt(i)) && "()=!<>&|".indexOf(s.charAt(i)) < 0) {
          i = start; // a word that starts with a digit, e.g. 3rd
        } else {
          try {
            return Double.parseDouble(num);
          } catch (NumberFormatException e) {
            throw bad("'" + num + "' is not a number");
          }
        }
      }
      while (i < s.length() && !Character.isWhitespace(s.charAt(i)) && "()=!<>&|'\"".indexOf(s.charAt(i)) < 0) i++;
      if (start == i) throw bad("unexpected '" + s.charAt(i) + "'");
      String word = s.substring(start, i);
      if (word.equals("true")) return Boolean.TRUE;
      if (word.equals("false")) return Boolean.FALSE;
      return word; // govaluate variables become strings in Argo's when
    }
  }

  /** An expr-lang expression over the variables ({@code valueFrom.expression}). */
  static Object evaluate(String expr, Map<String, String> vars) {
    throw new IllegalArgumentException("expressions are not available yet: " + expr);
  }
}
