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
public final class SecretFiles {
  private final Optional<Path> dir;

  public SecretFiles(Optional<Path> dir) {
    this.dir = dir;
  }

  /** The value of one secret key. */
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

  /**
   * Makes the store for a repository. Credentials: from its Secret references when a secrets
   * directory is configured; else from {@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY} in
   * env (in Argo's agent pod a sidecar cannot mount volumes, but its env can take {@code
   * secretKeyRef}s); else the SDK's default chain when {@code useSDKCreds}; else anonymous, unless
   * the repository names Secrets, which is then an error naming them.
   */
  public S3Store storeFor(ArtifactRepository repo, Map<String, String> env) throws IOException {
    S3Store.Builder b =
        S3Store.builder()
            .endpoint(repo.endpoint(), repo.insecure())
            .bucket(repo.bucket())
            .region(repo.region())
            .pathStyle(repo.pathStyle());
    Optional<S3Credentials> envCredentials = S3Credentials.fromEnv(env);
    if (repo.accessKeySecret().isPresent() && dir.isEmpty() && envCredentials.isPresent()) {
      b.credentials(envCredentials.get());
    } else if (repo.accessKeySecret().isPresent()) {
      Optional<String> token =
          repo.sessionTokenSecret().isPresent()
              ? Optional.of(read(repo.sessionTokenSecret().get()))
              : Optional.empty();
      b.credentials(
          new S3Credentials(
              read(repo.accessKeySecret().get()), read(repo.secretKeySecret().get()), token));
    } else {
      if (envCredentials.isPresent()) b.credentials(envCredentials.get());
      else b.sdkDefaultCredentials(repo.useSdkCreds());
    }
    if (repo.caSecret().isPresent()) {
      b.caCertificates(
          dir.orElseThrow()
              .resolve(repo.caSecret().get().name())
              .resolve(repo.caSecret().get().key()));
    }
    return b.build();
  }
}
