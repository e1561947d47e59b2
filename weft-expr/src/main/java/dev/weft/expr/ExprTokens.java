package dev.weft.expr;

import dev.weft.expr.Lexer.Dialect;
import dev.weft.expr.Lexer.Escapes;
import dev.weft.expr.Lexer.Kind;
import dev.weft.expr.Lexer.Source;
import dev.weft.expr.Lexer.Token;
import java.util.List;

/**
 * expr's lexical rules for the shared {@link Lexer}: integers and floats (hex, {@code _}
 * separators, exponents), words with {@code $} and the lone {@code #}, three kinds of quotes
 * (backquotes raw) with Go's escapes, and errors naming the position and the expression.
 */
final class ExprTokens {
  static final Dialect DIALECT =
      new Dialect(
          List.of(ExprTokens::questionBeforeNumber, ExprTokens::number, ExprTokens::word),
          "\"'`",
          "`",
          Escapes.GO,
          List.of(
              "?.", "??", "**", "==", "!=", "<=", ">=", "&&", "||", "..", "+", "-", "*", "/", "%",
              "^", "|", "<", ">", "!", "?", ":", ";", "=", ",", ".", "(", ")", "[", "]", "{", "}"),
          "unexpected character",
          "unterminated string",
          (text, what, index) ->
              new ExpressionException(what + " at position " + (index + 1) + " in '" + text + "'"));

  private ExprTokens() {}

  /** "?." followed by a digit is "?" then a number, as in {@code a?.5:1}. */
  private static Token questionBeforeNumber(Source src, int p) {
    String s = src.text();
    if (s.startsWith("?.", p) && p + 2 < s.length() && Character.isDigit(s.charAt(p + 2))) {
      return new Token(Kind.OP, "?", null, p);
    }
    return null;
  }

  private static Token word(Source src, int p) {
    String s = src.text();
    char c = s.charAt(p);
    if (c
        == '#') { // the current element inside a predicate; #acc, #index: reduce's accumulator, the
      // position
      int end = Lexer.wordEnd(s, p + 1, Character::isLetter);
      String w = s.substring(p, end);
      return new Token(Kind.IDENT, w, w, p);
    }
    if (!Character.isLetter(c) && c != '_' && c != '$') {
      return null;
    }
    int end =
        Lexer.wordEnd(s, p + 1, ch -> Character.isLetterOrDigit(ch) || ch == '_' || ch == '$');
    String word = s.substring(p, end);
    return new Token(Kind.IDENT, word, word, p);
  }

  private static Token number(Source src, int start) {
    String s = src.text();
    int n = s.length();
    char c = s.charAt(start);
    // ".5" is a number, but in "1..5" the second '.' belongs to the range operator
    boolean fraction =
        c == '.'
            && start + 1 < n
            && Character.isDigit(s.charAt(start + 1))
            && !(start > 0 && s.charAt(start - 1) == '.');
    if (!Character.isDigit(c) && !fraction) {
      return null;
    }
    int p = start;
    if (s.startsWith("0x", p) || s.startsWith("0X", p)) {
      p = Lexer.wordEnd(s, p + 2, ch -> Character.digit(ch, 16) >= 0 || ch == '_');
      String text = s.substring(start, p);
      return new Token(
          Kind.NUMBER, text, parseLong(text.substring(2).replace("_", ""), 16, s, start), start);
    }
    boolean isFloat = false;
    p = Lexer.wordEnd(s, p, ch -> Character.isDigit(ch) || ch == '_');
    // a '.' followed by '.' is the range operator, not a fraction
    if (p < n && s.charAt(p) == '.' && !(p + 1 < n && s.charAt(p + 1) == '.')) {
      isFloat = true;
      p = Lexer.wordEnd(s, p + 1, ch -> Character.isDigit(ch) || ch == '_');
    }
    if (p < n && (s.charAt(p) == 'e' || s.charAt(p) == 'E')) {
      int q = p + 1;
      if (q < n && (s.charAt(q) == '+' || s.charAt(q) == '-')) {
        q++;
      }
      if (q < n && Character.isDigit(s.charAt(q))) {
        isFloat = true;
        p = Lexer.wordEnd(s, q, Character::isDigit);
      }
    }
    if (p < n && (Character.isLetter(s.charAt(p)) || s.charAt(p) == '_')) {
      throw src.error("invalid number '" + s.substring(start, p + 1) + "'", start);
    }
    String text = s.substring(start, p);
    String digits = text.replace("_", "");
    Object value = isFloat ? (Object) Double.parseDouble(digits) : parseLong(digits, 10, s, start);
    return new Token(Kind.NUMBER, text, value, start);
  }

  private static Long parseLong(String digits, int radix, String s, int pos) {
    try {
      return Long.parseLong(digits, radix);
    } catch (NumberFormatException e) {
      throw new ExpressionException(
          "invalid integer '"
              + digits
              + "' at position "
              + (pos + 1)
              + " in '"
              + s
              + "' (out of range or malformed)");
    }
  }
}
