package dev.weft.runtime;

/**
 * The module's bytes could not be obtained: missing file, HTTP error, digest mismatch, too large.
 */
public final class ModuleFetchException extends WeftException {
  public ModuleFetchException(String message) {
    super(message);
  }

  public ModuleFetchException(String message, Throwable cause) {
    super(message, cause);
  }
}
