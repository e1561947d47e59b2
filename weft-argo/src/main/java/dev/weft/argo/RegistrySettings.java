package dev.weft.argo;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * How {@code module: {oci: …}} references are pulled.
 *
 * @param insecure registries ({@code host:port}) reached over plain HTTP
 * @param dockerConfig a Docker {@code config.json} with credentials and credential helpers
 * @param tagTtl how long a tag's resolution to a manifest digest is trusted
 */
public record RegistrySettings(Set<String> insecure, Optional<Path> dockerConfig, Duration tagTtl) {
  public RegistrySettings {
    insecure = Set.copyOf(insecure);
    Objects.requireNonNull(dockerConfig, "dockerConfig");
    Objects.requireNonNull(tagTtl, "tagTtl");
  }

  public static RegistrySettings defaults() {
    return new RegistrySettings(Set.of(), Optional.empty(), Duration.ofSeconds(60));
  }
}
