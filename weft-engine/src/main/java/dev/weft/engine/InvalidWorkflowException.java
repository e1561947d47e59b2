package dev.weft.engine;

/** The workflow cannot be run as written; the message names the field and, when known, its line. */
public final class InvalidWorkflowException extends RuntimeException {
  private final String field;
  private final int line;
  private final String problem;

  public InvalidWorkflowException(String field, int line, String problem) {
    super(field + (line > 0 ? " (line " + line + ")" : "") + ": " + problem);
    this.field = field;
    this.line = line;
    this.problem = problem;
  }

  /** What is wrong, without the field and line. */
  public String problem() {
    return problem;
  }

  /** The field's path, e.g. {@code spec.templates[1].steps[0][0].template}. */
  public String field() {
    return field;
  }

  /** Its line in the YAML file, or 0 when unknown. */
  public int line() {
    return line;
  }
}
