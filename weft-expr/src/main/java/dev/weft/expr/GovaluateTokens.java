package dev.weft.expr;

import dev.weft.expr.Lexer.Dialect;
import dev.weft.expr.Lexer.Escapes;
import dev.weft.expr.Lexer.Kind;
import dev.weft.expr.Lexer.Source;
import dev.weft.expr.Lexer.Token;
import java.util.List;

/**
 * govaluate's lexical rules for the shared {@link Lexer}, as Argo's {@code when} reads them: every
 * number a float64, words that may hold dots and become strings (Argo's rewrite of govaluate
 * variables) unless they are {@code true}, {@code false} or {@code in}, {@code [name with spaces]}
 * parameters, and backslashes that keep the next character.
 */
final class GovaluateTokens {
  static final Dialect DIALECT =
      new Dialect(
          List.of(GovaluateTokens::number, GovaluateTokens::word, GovaluateTokens::bracketName),
          "'\"",
          "",
          Escapes.LITERAL,
          List.of(
              "**", "==", "!=", ">=", "<=", "=~", "!~", "&&", "||", "??", "<<", ">>", ">", "<", "+",
              "-", "*", "/", "%", "&", "|", "^", "!", "~", "?", ":", "(", ")", ","),
          "Invalid token:",
          "Unclosed string literal",
          (text, what, index) -> new Govaluate.Syntax(what + " at position " + (index + 1)));

  private GovaluateTokens() {}

  private static Token number(Source src, int start) {
    String s = src.text();
    char c = s.charAt(start);
    if (!Character.isDigit(c) && c != '.') {
      return null;
    }
    if (s.startsWith("0x", start) || s.startsWith("0X", start)) {
      int end = Lexer.wordEnd(s, start + 2, ch -> Character.digit(ch, 16) >= 0);
      String text = s.substring(start, end);
      try {
        return new Token(Kind.NUMBER, text, (double) Long.parseLong(text.substring(2), 16), start);
      } catch (NumberFormatException e) {
        throw new Govaluate.Syntax("Unable to parse hex value '" + text + "' to float64");
      }
    }
    int end = Lexer.wordEnd(s, start, ch -> Character.isDigit(ch) || ch == '.');
    String text = s.substring(start, end);
    try {
      return new Token(Kind.NUMBER, text, Double.parseDouble(text), start);
    } catch (NumberFormatException e) {
      throw new Govaluate.Syntax("Unable to parse numeric value '" + text + "' to float64");
    }
  }

  private static Token word(Source src, int start) {
    String s = src.text();
    char c = s.charAt(start);
    if (!Character.isLetter(c) && c != '_') {
      return null;
    }
    int end =
        Lexer.wordEnd(s, start, ch -> Character.isLetterOrDigit(ch) || ch == '_' || ch == '.');
    String word = s.substring(start, end);
    return switch (word) {
      case "true" -> new Token(Kind.BOOLEAN, word, Boolean.TRUE, start);
      case "false" -> new Token(Kind.BOOLEAN, word, Boolean.FALSE, start);
      case "in", "IN" -> new Token(Kind.OP, "in", null, start);
      // Argo turns govaluate's variables into string literals
      default -> new Token(Kind.STRING, word, word, start);
    };
  }

  /** {@code [some var]}: a parameter name with any characters, a string here. */
  private static Token bracketName(Source src, int start) {
    String s = src.text();
    if (s.charAt(start) != '[') {
      return null;
    }
    int end = s.indexOf(']', start);
    if (end < 0) {
      throw src.error("Unclosed parameter bracket starting", start);
    }
    return new Token(Kind.STRING, s.substring(start, end + 1), s.substring(start + 1, end), start);
  }
}
