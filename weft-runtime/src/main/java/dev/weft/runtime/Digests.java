package dev.weft.runtime;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 digests in the one form weft writes them: {@code sha256:<64 lower-case hex digits>}. */
public final class Digests {
  private Digests() {}

  public static String sha256(byte[] bytes) {
    return "sha256:" + HexFormat.of().formatHex(sha256Bytes(bytes));
  }

  public static byte[] sha256Bytes(byte[] bytes) {
    return newSha256().digest(bytes);
  }

  /** A fresh SHA-256 digest, for streaming bytes into it. */
  public static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM lacks SHA-256", e);
    }
  }
}
