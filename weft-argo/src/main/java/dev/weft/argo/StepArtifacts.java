package dev.weft.argo;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;

/**
 * A step's artifact repository, opened on first use: a step whose artifacts never touch the
 * repository (raw or http inputs only) never resolves one. Not thread-safe: one step, one thread.
 */
final class StepArtifacts implements AutoCloseable {
  private final ArtifactScopes scopes;
  private final JsonNode workflowMeta;
  private ArtifactScope scope;

  StepArtifacts(ArtifactScopes scopes, JsonNode workflowMeta) {
    this.scopes = scopes;
    this.workflowMeta = workflowMeta;
  }

  /**
   * The scope, opened now if it was not yet.
   *
   * @throws ArtifactFailure naming the workflow and what could not be resolved
   */
  ArtifactScope get() {
    if (scope == null) {
      try {
        scope = scopes.open(workflowMeta);
      } catch (IOException e) {
        throw new ArtifactFailure(
            "artifact repository of workflow "
                + workflowMeta.path("namespace").asText("")
                + "/"
                + workflowMeta.path("name").asText("")
                + ": "
                + e.getMessage(),
            e);
      }
    }
    return scope;
  }

  @Override
  public void close() {
    if (scope != null) scope.close();
  }
}
