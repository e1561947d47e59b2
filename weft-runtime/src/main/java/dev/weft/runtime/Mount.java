package dev.weft.runtime;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A host directory made visible to the module at {@code guestPath}. Only for trusted local use
 * (the CLI's {@code --dir}); workflow front ends grant none.
 */
public record Mount(Path hostPath, String guestPath) {
  public Mount {
    Objects.requireNonNull(hostPath, "mount host path");
    Objects.requireNonNull(guestPath, "mount guest path");
    if (!guestPath.startsWith("/")) {
      throw new IllegalArgumentException("mount guest path must be absolute: " + guestPath);
    }
  }
}
