package dev.weft.plugin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Checks {@code Authorization: Bearer <token>} against the token Argo's agent wrote for this
 * sidecar. Both sides are hashed before the comparison, so it takes the same time whatever the
 * header holds.
 */
final class BearerAuth {
  private final Optional<byte[]> expected;

  BearerAuth(Optional<String> token) {
    this.expected = token.map(t -> sha256("Bearer " + t.strip()));
  }

  boolean allows(String authorizationHeader) {
    if (expected.isEmpty()) return true;
    // Exactly "Bearer <token>": no whitespace of weft's own trimming (the HTTP parser already drops
    // the field's OWS).
    byte[] got = sha256(authorizationHeader == null ? "" : authorizationHeader);
    return MessageDigest.isEqual(expected.get(), got);
  }

  private static byte[] sha256(String s) {
    return dev.weft.runtime.Digests.sha256Bytes(s.getBytes(StandardCharsets.UTF_8));
  }
}
