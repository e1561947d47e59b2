package dev.weft.argo;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Where remote modules come from: how {@code module: {oci: …}} references are pulled, and which
 * {@code module: {http: …}} URLs may be fetched.
 *
 * @param insecure registries ({@code host:port}) reached over plain HTTP
 * @param dockerConfig a Docker {@code config.json} with credentials and credential helpers
 * @param tagTtl how long a tag's resolution to a manifest digest is trusted
 * @param moduleUrls URL prefixes module URLs must be under (none by default: module URLs are
 *     refused)
 */
public record RegistrySettings(
    Set<String> insecure,
    Optional<Path> dockerConfig,
    Duration tagTtl,
    java.util.List<String> moduleUrls) {
  public RegistrySettings {
    insecure = Set.copyOf(insecure);
    moduleUrls = java.util.List.copyOf(moduleUrls);
    for (String u : moduleUrls) {
      if (!u.startsWith("http://") && !u.startsWith("https://")) {
        throw new IllegalArgumentException(
            "--module-allow-url must start with http:// or https://, got '" + u + "'");
      }
    }
    Objects.requireNonNull(dockerConfig, "dockerConfig");
    Objects.requireNonNull(tagTtl, "tagTtl");
  }

  /** No module URL allowed. */
  public RegistrySettings(Set<String> insecure, Optional<Path> dockerConfig, Duration tagTtl) {
    this(insecure, dockerConfig, tagTtl, java.util.List.of());
  }

  public RegistrySettings withModuleUrls(java.util.List<String> prefixes) {
    return new RegistrySettings(insecure, dockerConfig, tagTtl, prefixes);
  }

  public static RegistrySettings defaults() {
    return new RegistrySettings(Set.of(), Optional.empty(), Duration.ofSeconds(60));
  }
}
