package dev.weft.argo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.artifacts.ArtifactStore;
import dev.weft.artifacts.LocalDirectoryStore;
import dev.weft.artifacts.S3Credentials;
import dev.weft.artifacts.S3Store;
import dev.weft.artifacts.SecretFiles;
import java.io.IOException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One repository for every workflow: {@code weft serve}'s and {@code weft run}'s, from the
 * operator's settings, with Secrets from mounted files and the process's own credentials.
 */
final class FixedArtifactScopes implements ArtifactScopes {
  private static final Logger LOG = LoggerFactory.getLogger(FixedArtifactScopes.class);
  private final ArtifactScope scope;

  FixedArtifactScopes(ArtifactSettings settings) {
    SecretFiles secrets = new SecretFiles(settings.secretsDir());
    Optional<S3Credentials> ambient = S3Credentials.fromEnv(settings.env());
    Optional<ArtifactStore> store;
    try {
      if (settings.repository().isPresent()) {
        store = Optional.of(secrets.storeFor(settings.repository().get(), settings.env()));
      } else {
        store = settings.localDir().map(LocalDirectoryStore::new);
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("artifact repository: " + e.getMessage(), e);
    }
    store.ifPresent(r -> LOG.info("artifact repository: {}", r.describe()));
    String origin =
        store.isPresent()
            ? "the configured artifact repository"
            : "none is configured: --artifact-repository FILE or --artifact-dir DIR";
    this.scope =
        new ArtifactScope(
            settings.repository(), store, secrets, secrets, ambient, origin, () -> {});
  }

  @Override
  public ArtifactScope open(JsonNode workflowMeta) {
    return scope;
  }

  @Override
  public void close() {
    scope
        .store()
        .ifPresent(
            s -> {
              if (s instanceof S3Store s3) s3.close();
            });
  }
}
