package dev.weft.runtime;

/**
 * Root of weft's errors: problems with the module itself (it cannot be loaded, parsed or linked),
 * raised before any task runs. Problems during a task are reported in {@link TaskResult}.
 */
public class WeftException extends RuntimeException {
  public WeftException(String message) {
    super(message);
  }

  public WeftException(String message, Throwable cause) {
    super(message, cause);
  }
}
