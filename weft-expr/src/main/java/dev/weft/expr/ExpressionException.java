package dev.weft.expr;

/**
 * An expression could not be parsed or evaluated. The message names the expression text and what
 * was wrong with it (the position and token, the unknown function or variable, the type mismatch).
 */
public final class ExpressionException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ExpressionException(String message) {
    super(message);
  }

  public ExpressionException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * expr's form: what was wrong, at a 0-based offset {@code pos} into the expression {@code src}.
   */
  static ExpressionException at(String what, int pos, String src) {
    return new ExpressionException(what + " at position " + (pos + 1) + " in '" + src + "'");
  }
}
