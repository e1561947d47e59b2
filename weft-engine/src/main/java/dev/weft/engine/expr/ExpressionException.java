package dev.weft.engine.expr;

/** An expression that cannot be parsed or evaluated; the message names the expression and the fault. */
public final class ExpressionException extends RuntimeException {
  public ExpressionException(String message) {
    super(message);
  }

  public ExpressionException(String message, Throwable cause) {
    super(message, cause);
  }
}
