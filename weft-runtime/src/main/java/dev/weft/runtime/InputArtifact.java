package dev.weft.runtime;

import java.nio.file.Path;
import java.util.Objects;

/**
 * An input artifact: a host file or directory copied into the sandbox before the task runs, at
 * {@code /work/artifacts-in/<path minus one leading "/">}, and also at {@code path} itself when it
 * is absolute and not directly under "/" (Argo's contract; docs/module-contract.md).
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
    String rel = path.startsWith("/") ? path.substring(1) : path;
    String norm =
        rel.isEmpty() || rel.startsWith("/")
            ? ""
            : java.nio.file.Path.of(rel).normalize().toString();
    if (norm.isEmpty() || norm.equals("..") || norm.startsWith("../") || path.indexOf('\0') >= 0) {
      throw new IllegalArgumentException(
          "input artifact '"
              + name
              + "' has path '"
              + path
              + "', which does not name a place under /work/artifacts-in");
    }
  }
}
