package dev.weft.cli;

import dev.weft.oci.Credentials;
import dev.weft.oci.ImageRef;
import dev.weft.oci.ModuleStore;
import dev.weft.oci.RegistryClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * How commands reach OCI registries: plain-HTTP registries and where credentials are. One mixin for
 * every command that pulls (run, exec, pull, push, inspect, serve; agent too), so the flags agree.
 */
final class RegistryOptions {
  @Option(
      names = "--insecure-registry",
      paramLabel = "HOST:PORT",
      description = "Use plain HTTP for this registry (repeatable); all others use HTTPS.")
  List<String> insecure = new ArrayList<>();

  @Option(
      names = "--registry-config",
      paramLabel = "FILE",
      description =
          "A docker config.json (or Kubernetes dockerconfigjson) with registry credentials (default: $DOCKER_CONFIG/config.json, else ~/.docker/config.json if present).")
  Path config;

  Optional<Path> dockerConfig() {
    if (config != null) {
      if (!Files.isRegularFile(config))
        throw new IllegalArgumentException("--registry-config " + config + " is not a file");
      return Optional.of(config);
    }
    String env = System.getenv("DOCKER_CONFIG");
    Path p =
        env != null && !env.isBlank()
            ? Path.of(env, "config.json")
            : Path.of(System.getProperty("user.home"), ".docker", "config.json");
    return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
  }

  /** The same options for the step runners of weft run and weft serve. */
  dev.weft.argo.RegistrySettings settings(Duration tagTtl) {
    return new dev.weft.argo.RegistrySettings(
        java.util.Set.copyOf(insecure), dockerConfig(), tagTtl);
  }

  RegistryClient client() {
    return client(null);
  }

  /**
   * @param progressTo where to draw a progress line for large modules, or null
   */
  RegistryClient client(java.io.PrintWriter progressTo) {
    RegistryClient.Builder b = RegistryClient.builder();
    if (progressTo != null) {
      b.progress(
          (digest, bytes, total) -> {
            progressTo.printf(
                "\rpulling %s: %s / %s (%d%%)%s",
                digest.substring(0, 19),
                dev.weft.runtime.Limits.formatBytes(bytes),
                dev.weft.runtime.Limits.formatBytes(total),
                total > 0 ? bytes * 100 / total : 0,
                bytes >= total ? "\n" : "");
            progressTo.flush();
          });
    }
    insecure.forEach(b::insecure);
    dockerConfig().ifPresent(p -> b.credentials(Credentials.fromDockerConfig(p)));
    return b.build();
  }

  /**
   * @param progressTo where to draw a progress line for large modules, or null
   */
  ModuleStore store(Path cacheRoot, long maxBytes, java.io.PrintWriter progressTo) {
    return new ModuleStore(
        cacheRoot.resolve("modules"), client(progressTo), Duration.ofSeconds(60), maxBytes);
  }

  /** Whether a command-line module argument names an OCI artifact rather than a file. */
  static Optional<ImageRef> asReference(String module) {
    if (Files.exists(Path.of(module))
        || module.endsWith(".wasm") && !module.contains("@") && !module.contains(":"))
      return Optional.empty();
    try {
      ImageRef ref = ImageRef.parse(module);
      return ref.registry().equals("docker.io") && !module.startsWith("docker.io/")
          ? Optional.empty()
          : Optional.of(ref);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
