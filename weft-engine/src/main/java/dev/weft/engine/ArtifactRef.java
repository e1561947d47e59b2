package dev.weft.engine;

import dev.weft.engine.Model.Archive;
import java.util.Optional;

/**
 * Where an artifact's content is: a key in the artifact store (archived as {@code archive} says) or
 * literal {@code raw} data.
 *
 * @param path the path it was declared with, if any
 */
public record ArtifactRef(
    String name,
    Optional<String> path,
    Optional<String> key,
    Archive archive,
    Optional<String> raw) {
  /** Literal data, as a {@code raw} artifact gives it. */
  static ArtifactRef raw(String name, Optional<String> path, String data) {
    return new ArtifactRef(name, path, Optional.empty(), Archive.NONE, Optional.of(data));
  }

  ArtifactRef renamed(String newName, Optional<String> newPath) {
    return new ArtifactRef(newName, newPath, key, archive, raw);
  }
}
