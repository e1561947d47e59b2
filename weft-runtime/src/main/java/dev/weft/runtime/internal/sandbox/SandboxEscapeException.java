package dev.weft.runtime.internal.sandbox;

/** A guest path leads outside the task's sandbox. */
public final class SandboxEscapeException extends RuntimeException {
  public SandboxEscapeException(String message) {
    super(message);
  }
}
