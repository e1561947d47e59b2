package dev.weft.runtime;

/** The bytes are not a valid WebAssembly module, or not one weft can run as a task. */
public final class ModuleFormatException extends WeftException {
  public ModuleFormatException(String message, Throwable cause) {
    super(message, cause);
  }

  public ModuleFormatException(String message) {
    super(message);
  }
}
