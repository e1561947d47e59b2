package dev.weft.artifacts;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Where artifacts live. Keys are relative '/'-separated paths; never '/'-leading, never '..'
 * (checked by {@link ArtifactKeys#check}).
 *
 * <p>A key names either one object (a file) or, for a directory artifact, a prefix: the files under
 * {@code key/}.
 */
public interface ArtifactStore {
  /**
   * Writes the object at key to target (parents created). A key that is a prefix of several objects
   * (a directory artifact) becomes the directory {@code target}.
   *
   * @throws ArtifactNotFoundException naming the key
   */
  void get(String key, Path target) throws IOException;

  /**
   * Stores the file at source under key atomically: after a failure nothing is visible under key. A
   * directory source is stored as one object per file under {@code key/}.
   */
  void put(Path source, String key) throws IOException;

  /** e.g. "s3://bucket at http://host:port" or "local directory <dir>" — never credentials. */
  String describe();
}
