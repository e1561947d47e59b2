package dev.weft.cli;

import dev.weft.artifacts.ArtifactRepository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Argo's artifact repository YAML and where its Secrets are, for {@code run} and {@code serve}. */
final class ArtifactRepositoryOptions {
  @Option(
      names = "--artifact-repository",
      paramLabel = "FILE",
      description = {
        "Argo's artifact repository YAML (workflow-controller-configmap, its artifactRepository value, or an artifact-repositories ConfigMap).",
        "weft serve also reads it from env WEFT_ARTIFACT_REPOSITORY.",
        "weft agent uses each workflow's own repository (as Argo resolved it, Secrets from its namespace) and this one only for workflows Argo resolved none for."
      })
  Path file;

  @Option(
      names = "--artifact-repository-key",
      paramLabel = "KEY",
      description =
          "Entry of an artifact-repositories ConfigMap (default: its default-artifact-repository annotation).")
  String key;

  @Option(
      names = "--artifact-secrets-dir",
      paramLabel = "DIR",
      description =
          "Where the Secrets the repository names are mounted, as DIR/<secret>/<key> (else AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY).")
  Path secretsDir;

  boolean given() {
    return file != null;
  }

  /**
   * The repository from {@code --artifact-repository}, else from {@code fallbackYaml} when there is
   * one; empty when neither.
   *
   * @throws IllegalArgumentException naming the option or the YAML field at fault
   */
  Optional<ArtifactRepository> repository(Optional<String> fallbackYaml) {
    String yaml;
    if (file != null) {
      try {
        yaml = Files.readString(file);
      } catch (IOException e) {
        throw new IllegalArgumentException(
            "--artifact-repository " + file + " cannot be read: " + e.getMessage());
      }
    } else if (fallbackYaml.filter(y -> !y.isBlank()).isPresent()) {
      yaml = fallbackYaml.get();
    } else {
      return Optional.empty();
    }
    return Optional.of(ArtifactRepository.parse(yaml, Optional.ofNullable(key)));
  }

  Optional<Path> secretsDir() {
    return Optional.ofNullable(secretsDir);
  }
}
