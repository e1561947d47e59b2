package dev.weft.artifacts;

import dev.weft.artifacts.ArtifactRepository.SecretRef;
import java.io.IOException;

/**
 * Where the values of Secret references come from: files of mounted Secrets ({@link SecretFiles})
 * for one process, or the Kubernetes API in the workflow's own namespace for a pool serving many.
 * Values are never logged and never put in messages.
 */
public interface SecretSource {
  /**
   * The value of one key of a Secret.
   *
   * @throws IOException naming the Secret, the key and where it was looked for; never a value
   */
  String read(SecretRef ref) throws IOException;

  /** Whether this source can read Secrets at all (false: a process with no secrets directory). */
  default boolean configured() {
    return true;
  }
}
