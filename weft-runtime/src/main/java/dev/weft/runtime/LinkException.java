package dev.weft.runtime;

/** The module imports something weft does not provide; the message names {@code module.name}. */
public final class LinkException extends WeftException {
  public LinkException(String message) {
    super(message);
  }
}
