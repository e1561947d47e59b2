package dev.weft.argo;

import dev.weft.artifacts.ArtifactRepository;
import dev.weft.artifacts.ArtifactStore;
import dev.weft.artifacts.S3Credentials;
import dev.weft.artifacts.SecretSource;
import java.util.Objects;
import java.util.Optional;

/**
 * The artifact repository one workflow's steps read from and write to, held open for one step:
 * key-only artifacts resolve against it, outputs are stored in it under its key format. Close it
 * when the step is done.
 *
 * @param repository the S3 repository (location, Secret references, key format); empty for a local
 *     directory or when there is none
 * @param store the open store of the repository; empty when there is none
 * @param repositorySecrets where the repository's own Secret references are read
 * @param stepSecrets where Secret references written in a step's own {@code s3:} blocks are read:
 *     for a pool serving many namespaces, the workflow's namespace, whatever the repository
 * @param ambient credentials a location naming no Secrets may use; empty where lending the
 *     process's own credentials to a tenant would be wrong
 * @param origin where the repository came from, for messages; when there is none, what would
 *     configure one
 * @param release called once when the step is done with the scope
 */
public record ArtifactScope(
    Optional<ArtifactRepository> repository,
    Optional<ArtifactStore> store,
    SecretSource repositorySecrets,
    SecretSource stepSecrets,
    Optional<S3Credentials> ambient,
    String origin,
    Runnable release)
    implements AutoCloseable {

  public ArtifactScope {
    Objects.requireNonNull(repository, "repository");
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(repositorySecrets, "repositorySecrets");
    Objects.requireNonNull(stepSecrets, "stepSecrets");
    Objects.requireNonNull(ambient, "ambient");
    Objects.requireNonNull(origin, "origin");
    Objects.requireNonNull(release, "release");
    if (repository.isPresent() && store.isEmpty())
      throw new IllegalArgumentException("a repository needs its open store");
  }

  public boolean hasRepository() {
    return store.isPresent();
  }

  /** Argo's key format of the repository, or Argo's default. */
  public String keyFormat() {
    return repository
        .map(ArtifactRepository::keyFormat)
        .orElse(ArtifactRepository.DEFAULT_KEY_FORMAT);
  }

  @Override
  public void close() {
    release.run();
  }
}
