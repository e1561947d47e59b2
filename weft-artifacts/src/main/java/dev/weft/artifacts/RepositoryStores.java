package dev.weft.artifacts;

import java.io.IOException;
import java.util.Optional;

/** Opens the S3 store of an artifact repository, with credentials from a {@link SecretSource}. */
public final class RepositoryStores {
  private RepositoryStores() {}

  /**
   * The store for a repository. Credentials: from its Secret references, read from {@code secrets};
   * when the repository names Secrets but the source cannot read any, from {@code ambient} (in
   * Argo's agent pod a sidecar cannot mount volumes, but its env can take {@code secretKeyRef}s); a
   * repository naming no Secrets uses {@code ambient}, else the SDK's default chain when {@code
   * useSDKCreds}, else anonymous access.
   *
   * @param ambient the process's own credentials ({@code AWS_ACCESS_KEY_ID}…), or empty where
   *     lending them would be wrong (a repository configured by a tenant)
   * @throws IOException naming a Secret that cannot be read, or the field that is unusable (a CA
   *     bundle holding no certificate, an endpoint or bucket name S3 cannot take)
   */
  public static S3Store open(
      ArtifactRepository repo, SecretSource secrets, Optional<S3Credentials> ambient)
      throws IOException {
    return open(repo, secrets, ambient, Optional.empty());
  }

  /**
   * As {@link #open(ArtifactRepository, SecretSource, Optional)}, every connection going only to
   * addresses {@code addresses} returns for the endpoint's host (see {@link
   * S3Store.Builder#addresses}).
   */
  public static S3Store open(
      ArtifactRepository repo,
      SecretSource secrets,
      Optional<S3Credentials> ambient,
      Optional<dev.weft.runtime.capability.http.HostResolver> addresses)
      throws IOException {
    try {
      return build(repo, secrets, ambient, addresses);
    } catch (IllegalArgumentException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  private static S3Store build(
      ArtifactRepository repo,
      SecretSource secrets,
      Optional<S3Credentials> ambient,
      Optional<dev.weft.runtime.capability.http.HostResolver> addresses)
      throws IOException {
    S3Store.Builder b =
        S3Store.builder()
            .endpoint(repo.endpoint(), repo.insecure())
            .bucket(repo.bucket())
            .region(repo.region())
            .pathStyle(repo.pathStyle());
    addresses.ifPresent(b::addresses);
    if (repo.accessKeySecret().isPresent() && !secrets.configured() && ambient.isPresent()) {
      b.credentials(ambient.get());
    } else if (repo.accessKeySecret().isPresent()) {
      Optional<String> token =
          repo.sessionTokenSecret().isPresent()
              ? Optional.of(secrets.read(repo.sessionTokenSecret().get()))
              : Optional.empty();
      b.credentials(
          new S3Credentials(
              secrets.read(repo.accessKeySecret().get()),
              secrets.read(repo.secretKeySecret().get()),
              token));
    } else if (ambient.isPresent()) {
      b.credentials(ambient.get());
    } else {
      b.sdkDefaultCredentials(repo.useSdkCreds());
    }
    if (repo.caSecret().isPresent()) {
      ArtifactRepository.SecretRef ca = repo.caSecret().get();
      b.caCertificates(
          secrets.read(ca), "Secret '" + ca.name() + "' key '" + ca.key() + "' (s3.caSecret)");
    }
    return b.build();
  }
}
