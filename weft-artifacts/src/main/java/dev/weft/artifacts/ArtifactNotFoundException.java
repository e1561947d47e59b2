package dev.weft.artifacts;

import java.io.IOException;

/** No object (and no directory prefix) exists under a key. */
public final class ArtifactNotFoundException extends IOException {
  private final String key;

  public ArtifactNotFoundException(String key, String storeDescription) {
    super("artifact '" + key + "' not found in " + storeDescription);
    this.key = key;
  }

  /** The key that was looked up. */
  public String key() {
    return key;
  }
}
