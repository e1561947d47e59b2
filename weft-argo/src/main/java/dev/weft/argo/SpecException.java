package dev.weft.argo;

/** A template or {@code plugin.wasm} block that weft cannot run; the message names the field. */
public final class SpecException extends RuntimeException {
  private final String field;

  public SpecException(String field, String problem) {
    super(field + ": " + problem);
    this.field = field;
  }

  /** The offending field's path, e.g. {@code plugin.wasm.limits.memory}. */
  public String field() {
    return field;
  }
}
