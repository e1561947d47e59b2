package dev.weft.runtime;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A directory made visible to the module at {@code guestPath}: a host directory for trusted local
 * use (the CLI's {@code --dir}), or a read-only file system of weft's own, such as a lazily read
 * input artifact. Workflow front ends never mount writable host directories.
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
