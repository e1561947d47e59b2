package dev.weft.argo;

/**
 * An artifact could not be fetched, unpacked, packed or stored; the node fails with this message.
 */
final class ArtifactFailure extends RuntimeException {
  ArtifactFailure(String message) {
    super(message);
  }

  ArtifactFailure(String message, Throwable cause) {
    super(message, cause);
  }
}
