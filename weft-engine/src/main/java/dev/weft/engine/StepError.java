package dev.weft.engine;

/** A problem resolving a step or template; the node ends in Error with this message. */
final class StepError extends RuntimeException {
  StepError(String message) {
    super(message, null, false, false);
  }

  /** A field's whole number (after substitution), or a StepError naming the field. */
  static long wholeNumber(String s, String field) {
    try {
      return Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      throw new StepError(field + ": '" + s + "' is not a whole number");
    }
  }
}
