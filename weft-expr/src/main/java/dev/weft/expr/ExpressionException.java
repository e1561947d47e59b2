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
}
