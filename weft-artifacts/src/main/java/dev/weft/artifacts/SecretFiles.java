package dev.weft.artifacts;

import dev.weft.artifacts.ArtifactRepository.SecretRef;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Resolves Kubernetes Secret references to values from files: Secret {@code name} mounted as a
 * volume at {@code <dir>/<name>}, so key {@code k} is the file {@code <dir>/<name>/<k>}. Values are
 * read when a store is made and never logged.
 */
public final class SecretFiles implements SecretSource {
  private final Optional<Path> dir;

  public SecretFiles(Optional<Path> dir) {
    this.dir = dir;
  }

  /** The value of one secret key. */
  @Override
  public String read(SecretRef ref) throws IOException {
    if (dir.isEmpty()) {
      throw new IOException(
          "the artifact repository refers to Secret '"
              + ref.name()
              + "' key '"
              + ref.key()
              + "', but no secrets directory is configured (--artifact-secrets-dir) and AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY are not set");
    }
    if (!ref.name().matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?")
        || !ref.key().matches("[-._a-zA-Z0-9]+")
        || ref.key().startsWith("..")) {
      throw new IOException(
          "Secret reference '"
              + ref.name()
              + "'/'"
              + ref.key()
              + "' is not a valid Kubernetes name and key");
    }
    return S3Credentials.readSecretFile(dir.get().resolve(ref.name()).resolve(ref.key()));
  }

  @Override
  public boolean configured() {
    return dir.isPresent();
  }

  /**
   * Makes the store for a repository: its Secret references read from the secrets directory, else
   * {@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY} from env (see {@link
   * RepositoryStores#open}).
   */
  public S3Store storeFor(ArtifactRepository repo, Map<String, String> env) throws IOException {
    return RepositoryStores.open(repo, this, S3Credentials.fromEnv(env));
  }
}
