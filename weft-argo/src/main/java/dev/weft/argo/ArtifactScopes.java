package dev.weft.argo;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;

/**
 * Finds the artifact repository of a workflow's steps. One process serving one installation has one
 * repository ({@link #fixed}); a pool serving many namespaces resolves each workflow's own, with
 * Secrets read in its namespace. Asked only for steps that use the repository.
 */
public interface ArtifactScopes extends AutoCloseable {
  /**
   * The repository of the workflow {@code workflowMeta} ({@code name}, {@code namespace}, {@code
   * uid}) describes, open for one step.
   *
   * @throws IOException naming what could not be resolved (the workflow, the Secret, the field)
   */
  ArtifactScope open(JsonNode workflowMeta) throws IOException;

  /** Releases the stores held open. */
  @Override
  void close();

  /**
   * The one repository of the settings, for every workflow; opened now, so errors show at start.
   */
  static ArtifactScopes fixed(ArtifactSettings settings) {
    return new FixedArtifactScopes(settings);
  }
}
