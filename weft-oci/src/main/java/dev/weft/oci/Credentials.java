package dev.weft.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.runtime.ModuleFetchException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Registry credentials by registry host: none, explicit, or read from a docker {@code config.json}
 * (the format of a Kubernetes {@code dockerconfigjson} secret too), including Docker's credential
 * helpers ({@code credHelpers} per registry, {@code credsStore} for the rest). Never logged.
 */
public final class Credentials {
  private static final Duration HELPER_TIMEOUT = Duration.ofSeconds(10);
  private static final int HELPER_OUTPUT_LIMIT = 64 * 1024;

  private final Map<String, String> basicByRegistry; // host -> "user:password"
  private final Map<String, String> helperByRegistry; // host -> helper name
  private final Optional<String> defaultHelper;
  private final Function<String, Optional<Path>> findHelper;

  /** What helpers answered, so each is asked once per registry; empty means "it has none". */
  private final Map<String, Optional<String>> fromHelpers = new ConcurrentHashMap<>();

  private Credentials(
      Map<String, String> basic,
      Map<String, String> helpers,
      Optional<String> defaultHelper,
      Function<String, Optional<Path>> findHelper) {
    this.basicByRegistry = Map.copyOf(basic);
    this.helperByRegistry = Map.copyOf(helpers);
    this.defaultHelper = defaultHelper;
    this.findHelper = findHelper;
  }

  public static Credentials anonymous() {
    return new Credentials(Map.of(), Map.of(), Optional.empty(), Credentials::onPath);
  }

  public static Credentials basic(String registry, String user, String password) {
    return new Credentials(
        Map.of(registry, user + ":" + password), Map.of(), Optional.empty(), Credentials::onPath);
  }

  /**
   * Reads {@code {"auths": {"host": {"auth": base64(user:pass)} | {"username", "password"}},
   * "credHelpers": {"host": "name"}, "credsStore": "name"}}; helpers are programs named {@code
   * docker-credential-<name>} on the PATH.
   */
  public static Credentials fromDockerConfig(Path configJson) {
    return fromDockerConfig(configJson, Credentials::onPath);
  }

  /**
   * As {@link #fromDockerConfig(Path)}, finding helper programs by their full name with {@code
   * findHelper}.
   */
  public static Credentials fromDockerConfig(
      Path configJson, Function<String, Optional<Path>> findHelper) {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(Files.readAllBytes(configJson));
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read registry credentials from " + configJson + ": " + e.getMessage());
    }
    Map<String, String> basic = new HashMap<>();
    root.path("auths")
        .fields()
        .forEachRemaining(
            e -> {
              String host = host(e.getKey());
              JsonNode a = e.getValue();
              if (a.hasNonNull("auth")) {
                String decoded =
                    new String(
                        Base64.getDecoder().decode(a.get("auth").asText().trim()),
                        StandardCharsets.UTF_8);
                if (decoded.contains(":")) basic.put(host, decoded);
              } else if (a.hasNonNull("username") && a.hasNonNull("password")) {
                basic.put(host, a.get("username").asText() + ":" + a.get("password").asText());
              }
            });
    Map<String, String> helpers = new HashMap<>();
    root.path("credHelpers")
        .fields()
        .forEachRemaining(e -> helpers.put(host(e.getKey()), e.getValue().asText()));
    Optional<String> store =
        root.hasNonNull("credsStore") && !root.get("credsStore").asText().isBlank()
            ? Optional.of(root.get("credsStore").asText())
            : Optional.empty();
    return new Credentials(basic, helpers, store, findHelper);
  }

  private static String host(String key) {
    return key.replaceFirst("^https?://", "").replaceFirst("/.*$", "");
  }

  /** {@code user:password} for this registry; Docker Hub is also written as index.docker.io. */
  Optional<String> basicFor(String registry) {
    String c = basicByRegistry.get(registry);
    if (c == null && registry.equals("docker.io")) c = basicByRegistry.get("index.docker.io");
    if (c != null) return Optional.of(c);
    // Docker's order: a registry's own helper, then auths, then the default store
    String helper = helperByRegistry.get(registry);
    if (helper == null) helper = defaultHelper.orElse(null);
    if (helper == null) return Optional.empty();
    String name = helper;
    return fromHelpers.computeIfAbsent(registry, r -> ask(name, r));
  }

  /**
   * Docker's credential-helper protocol: {@code docker-credential-<name> get}, the registry on
   * stdin, {@code {"Username", "Secret"}} on stdout; "not found" answers mean no credentials.
   */
  private Optional<String> ask(String helper, String registry) {
    String program = "docker-credential-" + helper;
    Path exe =
        findHelper
            .apply(program)
            .orElseThrow(
                () ->
                    new ModuleFetchException(
                        "the credential helper "
                            + program
                            + " named for "
                            + registry
                            + " in the docker config is not on the PATH"));
    Process p;
    try {
      p =
          new ProcessBuilder(exe.toString(), "get")
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      try (OutputStream in = p.getOutputStream()) {
        in.write(registry.getBytes(StandardCharsets.UTF_8));
      }
      byte[] out;
      try (InputStream o = p.getInputStream()) {
        out = o.readNBytes(HELPER_OUTPUT_LIMIT);
      }
      if (!p.waitFor(HELPER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new ModuleFetchException(
            "the credential helper "
                + program
                + " did not answer for "
                + registry
                + " within "
                + HELPER_TIMEOUT.toSeconds()
                + "s");
      }
      String text = new String(out, StandardCharsets.UTF_8);
      if (p.exitValue() != 0) {
        if (text.toLowerCase(java.util.Locale.ROOT).contains("not found")) return Optional.empty();
        throw new ModuleFetchException(
            "the credential helper "
                + program
                + " failed for "
                + registry
                + " (exit code "
                + p.exitValue()
                + ")");
      }
      JsonNode answer = new ObjectMapper().readTree(text);
      String user = answer.path("Username").asText("");
      String secret = answer.path("Secret").asText("");
      if (user.equals("<token>")) {
        throw new ModuleFetchException(
            "the credential helper "
                + program
                + " gave an identity token for "
                + registry
                + "; weft supports user name and password credentials only");
      }
      return user.isEmpty() && secret.isEmpty()
          ? Optional.empty()
          : Optional.of(user + ":" + secret);
    } catch (IOException e) {
      // the message never includes the helper's output: it may hold the secret
      throw new ModuleFetchException(
          "the credential helper "
              + program
              + " could not be used for "
              + registry
              + ": "
              + e.getClass().getSimpleName());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ModuleFetchException(
          "interrupted while asking " + program + " for " + registry + "'s credentials");
    }
  }

  private static Optional<Path> onPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) return Optional.empty();
    for (String dir : path.split(java.io.File.pathSeparator)) {
      if (dir.isEmpty()) continue;
      Path p = Path.of(dir, program);
      if (Files.isExecutable(p)) return Optional.of(p);
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return "Credentials"
        + basicByRegistry.keySet()
        + (helperByRegistry.isEmpty() && defaultHelper.isEmpty()
            ? ""
            : " and helpers"); // never secrets
  }
}
