package dev.weft.artifacts;

/** Checks on artifact keys. */
public final class ArtifactKeys {
  /** Longest key accepted (S3's own limit is 1024 bytes). */
  public static final int MAX_LENGTH = 1024;

  private ArtifactKeys() {}

  /**
   * Returns key if it is a relative '/'-separated path: not empty, no leading or trailing '/', no
   * empty, "." or ".." segment, no backslash or control character.
   *
   * @throws IllegalArgumentException naming the key and what is wrong with it
   */
  public static String check(String key) {
    if (key == null || key.isEmpty()) {
      throw new IllegalArgumentException("artifact key is empty");
    }
    if (key.length() > MAX_LENGTH) {
      throw new IllegalArgumentException(
          "artifact key '"
              + key.substring(0, 64)
              + "…' is "
              + key.length()
              + " characters long; at most "
              + MAX_LENGTH);
    }
    if (key.startsWith("/")) {
      throw new IllegalArgumentException("artifact key '" + key + "' starts with '/'");
    }
    if (key.endsWith("/")) {
      throw new IllegalArgumentException("artifact key '" + key + "' ends with '/'");
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c < 0x20 || c == 0x7f || c == '\\') {
        throw new IllegalArgumentException(
            "artifact key '"
                + key.replaceAll("\\p{Cntrl}", "?")
                + "' contains a backslash or control character");
      }
    }
    for (String part : key.split("/", -1)) {
      if (part.isEmpty() || part.equals(".") || part.equals("..")) {
        throw new IllegalArgumentException(
            "artifact key '" + key + "' has an empty, '.' or '..' segment");
      }
    }
    return key;
  }
}
