package dev.weft.runtime;

import java.util.Objects;

/**
 * A declared output artifact read from an absolute guest path after the run (plain WASI contract),
 * e.g. {@code /work/out/report.txt}.
 */
public record OutputArtifactSpec(String name, String path) {
  public OutputArtifactSpec {
    Objects.requireNonNull(name, "output artifact name");
    Objects.requireNonNull(path, "output artifact path");
  }
}
