package dev.weft.runtime;

import java.nio.file.Path;
import java.util.Objects;

/**
 * An input artifact: a host file or directory copied into the sandbox before the task runs, at
 * {@code /work/artifacts-in/<path minus one leading "/">}.
 *
 * @param name the artifact's name, as the module sees it in input.json
 * @param path the artifact's path as declared (Argo's {@code path}), e.g. {@code /in/text.txt}
 * @param source the host file or directory holding its content
 */
public record InputArtifact(String name, String path, Path source) {
  public InputArtifact {
    Objects.requireNonNull(name, "input artifact name");
    Objects.requireNonNull(path, "input artifact path");
    Objects.requireNonNull(source, "input artifact source");
  }
}
