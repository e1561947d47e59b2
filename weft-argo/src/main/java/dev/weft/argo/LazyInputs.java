package dev.weft.argo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.artifacts.ArtifactStore;
import dev.weft.runtime.TaskSpec;
import java.io.IOException;
import java.util.List;

/** Large un-archived S3 inputs read by range as the module reads, instead of downloaded first. */
final class LazyInputs {
  private final long threshold;

  LazyInputs(long threshold) {
    this.threshold = threshold;
  }

  /** Mounts the input lazily when it qualifies; false when it must be downloaded. */
  boolean tryMount(ArtifactStore store, String key, JsonNode artifact, String path, List<String> declared, TaskSpec.Builder b,
      List<AutoCloseable> toClose, String what) throws IOException {
    return false;
  }
}
