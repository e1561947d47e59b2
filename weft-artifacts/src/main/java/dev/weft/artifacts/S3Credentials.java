package dev.weft.artifacts;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An S3 access key pair. {@link #toString()} never shows the values; stores keep them out of
 * messages (see {@link S3Store}).
 */
public final class S3Credentials {
  private final String accessKey;
  private final String secretKey;
  private final Optional<String> sessionToken;

  public S3Credentials(String accessKey, String secretKey, Optional<String> sessionToken) {
    this.accessKey = requireValue(accessKey, "access key");
    this.secretKey = requireValue(secretKey, "secret key");
    this.sessionToken =
        Objects.requireNonNull(sessionToken, "sessionToken")
            .map(t -> requireValue(t, "session token"));
  }

  /**
   * From {@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY} and optionally {@code
   * AWS_SESSION_TOKEN}.
   */
  public static Optional<S3Credentials> fromEnv(Map<String, String> env) {
    String id = env.get("AWS_ACCESS_KEY_ID");
    String secret = env.get("AWS_SECRET_ACCESS_KEY");
    if (id == null || id.isBlank() || secret == null || secret.isBlank()) return Optional.empty();
    String token = env.get("AWS_SESSION_TOKEN");
    return Optional.of(
        new S3Credentials(id, secret, Optional.ofNullable(token).filter(t -> !t.isBlank())));
  }

  /**
   * From two files holding the keys (e.g. a mounted Kubernetes Secret); trailing whitespace is
   * dropped.
   */
  public static S3Credentials fromFiles(Path accessKeyFile, Path secretKeyFile) throws IOException {
    return new S3Credentials(
        readSecretFile(accessKeyFile), readSecretFile(secretKeyFile), Optional.empty());
  }

  /**
   * Reads one secret value from a file; the message on failure names the file, never its content.
   */
  static String readSecretFile(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException("secret file " + file + " does not exist or is not a file");
    }
    if (Files.size(file) > 64 * 1024) {
      throw new IOException("secret file " + file + " is larger than 64 KiB");
    }
    String v = Files.readString(file, StandardCharsets.UTF_8).strip();
    if (v.isEmpty()) throw new IOException("secret file " + file + " is empty");
    return v;
  }

  String accessKey() {
    return accessKey;
  }

  String secretKey() {
    return secretKey;
  }

  Optional<String> sessionToken() {
    return sessionToken;
  }

  /** Replaces every credential value found in text with "***". */
  String redact(String text) {
    if (text == null) return null;
    String out = text.replace(secretKey, "***").replace(accessKey, "***");
    return sessionToken.map(t -> out.replace(t, "***")).orElse(out);
  }

  private static String requireValue(String v, String what) {
    if (v == null || v.isBlank())
      throw new IllegalArgumentException("the S3 " + what + " is empty");
    return v;
  }

  @Override
  public String toString() {
    return "S3Credentials[***]";
  }
}
