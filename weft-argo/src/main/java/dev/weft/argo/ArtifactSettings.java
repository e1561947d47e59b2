package dev.weft.argo;

import dev.weft.artifacts.ArtifactRepository;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where {@code weft serve} reads and writes artifacts.
 *
 * @param repository the S3 repository key-only artifacts resolve against (Argo's YAML)
 * @param localDir a local directory used as the repository instead (one machine, tests)
 * @param secretsDir where Kubernetes Secrets named by the repository are mounted, one directory per
 *     Secret
 * @param allowedUrls URL prefixes that {@code http:} artifacts and {@code s3:} artifacts on other
 *     endpoints may use; everything else is refused
 * @param maxArtifactBytes the largest input or output artifact, packed or unpacked
 * @param lazyThreshold un-archived S3 inputs at least this large are read by range on demand
 *     instead of downloaded first; {@code Long.MAX_VALUE} turns lazy reads off
 * @param env the process environment, for {@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY}
 */
public record ArtifactSettings(
    Optional<ArtifactRepository> repository,
    Optional<Path> localDir,
    Optional<Path> secretsDir,
    List<String> allowedUrls,
    long maxArtifactBytes,
    long lazyThreshold,
    Map<String, String> env) {

  /**
   * The default sandbox limit for this heap (1 GiB on a big one): an input must fit the sandbox,
   * and a larger cap would let one artifact hold more of the heap than the memory budget gives a
   * task.
   */
  public static final long DEFAULT_MAX_ARTIFACT_BYTES =
      dev.weft.runtime.Limits.defaults().maxSandboxBytes();

  /** 64 MiB. */
  public static final long DEFAULT_LAZY_THRESHOLD = 64L << 20;

  public ArtifactSettings {
    Objects.requireNonNull(repository, "repository");
    Objects.requireNonNull(localDir, "localDir");
    Objects.requireNonNull(secretsDir, "secretsDir");
    if (repository.isPresent() && localDir.isPresent()) {
      throw new IllegalArgumentException(
          "give either --artifact-repository or --artifact-dir, not both");
    }
    allowedUrls = List.copyOf(allowedUrls);
    for (String u : allowedUrls) {
      if (!u.startsWith("http://") && !u.startsWith("https://")) {
        throw new IllegalArgumentException(
            "--artifact-allow-url must start with http:// or https://, got '" + u + "'");
      }
    }
    if (maxArtifactBytes < 1)
      throw new IllegalArgumentException(
          "--artifact-max-size must be positive, got " + maxArtifactBytes);
    if (lazyThreshold < 1)
      throw new IllegalArgumentException(
          "--artifact-lazy-threshold must be positive, got " + lazyThreshold);
    env = Map.copyOf(env);
  }

  /** No repository: raw inputs only, output artifacts refused. */
  public static ArtifactSettings none() {
    return new ArtifactSettings(
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        List.of(),
        DEFAULT_MAX_ARTIFACT_BYTES,
        DEFAULT_LAZY_THRESHOLD,
        Map.of());
  }

  public boolean hasRepository() {
    return repository.isPresent() || localDir.isPresent();
  }

  public ArtifactSettings withLocalDir(Path dir) {
    return new ArtifactSettings(
        Optional.empty(),
        Optional.of(dir),
        secretsDir,
        allowedUrls,
        maxArtifactBytes,
        lazyThreshold,
        env);
  }

  public ArtifactSettings withRepository(
      ArtifactRepository r, Optional<Path> secrets, Map<String, String> environment) {
    return new ArtifactSettings(
        Optional.of(r),
        Optional.empty(),
        secrets,
        allowedUrls,
        maxArtifactBytes,
        lazyThreshold,
        environment);
  }

  public ArtifactSettings withAllowedUrls(List<String> urls) {
    return new ArtifactSettings(
        repository, localDir, secretsDir, urls, maxArtifactBytes, lazyThreshold, env);
  }

  public ArtifactSettings withLimits(long maxBytes, long lazyFrom) {
    return new ArtifactSettings(
        repository, localDir, secretsDir, allowedUrls, maxBytes, lazyFrom, env);
  }
}
