package dev.weft.expr;

import dev.weft.expr.Lexer.Kind;
import dev.weft.expr.Lexer.Token;
import java.util.List;

/**
 * A position in an expression's tokens, shared by the parts of one parse, with expr's error
 * messages (which name the 1-based position and the whole expression).
 */
final class TokenCursor {
  private final String src;
  private final List<Token> tokens;
  private int i;

  TokenCursor(String src, List<Token> tokens) {
    this.src = src;
    this.tokens = tokens;
  }

  Token peek() {
    return tokens.get(i);
  }

  Token peekAt(int k) {
    return tokens.get(Math.min(i + k, tokens.size() - 1));
  }

  /** The current token, then moves past it; the end stays the end. */
  Token next() {
    Token t = tokens.get(i);
    if (t.kind() != Kind.EOF) {
      i++;
    }
    return t;
  }

  Token expect(String op) {
    Token t = peek();
    if (t.kind() != Kind.OP || !t.text().equals(op)) {
      throw error("expected '" + op + "' but found " + describe(t), t);
    }
    return next();
  }

  static String describe(Token t) {
    return t.kind() == Kind.EOF ? "end of expression" : "'" + t.text() + "'";
  }

  ExpressionException error(String what, Token t) {
    return ExpressionException.at(what, t.pos(), src);
  }
}
