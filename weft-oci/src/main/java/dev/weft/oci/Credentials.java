package dev.weft.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Registry credentials by registry host: none, explicit, or read from a docker {@code config.json}
 * (the format of a Kubernetes {@code dockerconfigjson} secret too). Never logged.
 */
public final class Credentials {
  private final Map<String, String> basicByRegistry; // host -> "user:password"

  private Credentials(Map<String, String> basic) {
    this.basicByRegistry = Map.copyOf(basic);
  }

  public static Credentials anonymous() {
    return new Credentials(Map.of());
  }

  public static Credentials basic(String registry, String user, String password) {
    return new Credentials(Map.of(registry, user + ":" + password));
  }

  /** Reads {@code {"auths": {"host": {"auth": base64(user:pass)} | {"username", "password"}}}}. */
  public static Credentials fromDockerConfig(Path configJson) {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(Files.readAllBytes(configJson));
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read registry credentials from " + configJson + ": " + e.getMessage());
    }
    Map<String, String> basic = new HashMap<>();
    root.path("auths").fields().forEachRemaining(e -> {
      String host = e.getKey().replaceFirst("^https?://", "").replaceFirst("/.*$", "");
      JsonNode a = e.getValue();
      if (a.hasNonNull("auth")) {
        String decoded = new String(Base64.getDecoder().decode(a.get("auth").asText().trim()), StandardCharsets.UTF_8);
        if (decoded.contains(":")) basic.put(host, decoded);
      } else if (a.hasNonNull("username") && a.hasNonNull("password")) {
        basic.put(host, a.get("username").asText() + ":" + a.get("password").asText());
      }
    });
    return new Credentials(basic);
  }

  /** {@code user:password} for this registry; Docker Hub is also written as index.docker.io. */
  Optional<String> basicFor(String registry) {
    String c = basicByRegistry.get(registry);
    if (c == null && registry.equals("docker.io")) c = basicByRegistry.get("index.docker.io");
    return Optional.ofNullable(c);
  }

  @Override
  public String toString() {
    return "Credentials" + basicByRegistry.keySet(); // hosts only, never secrets
  }
}
