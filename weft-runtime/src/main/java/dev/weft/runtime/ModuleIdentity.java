package dev.weft.runtime;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What names a module's bytes without reading them, so a runtime can find a module it has loaded
 * before at the cost of a lookup (or a file stat) instead of a read and a SHA-256. The runtime
 * keeps one bounded map from identity to the content digest of what was loaded.
 */
public sealed interface ModuleIdentity {
  /**
   * A file as it is now: its path, size and modification time. A changed file is a new identity.
   */
  record File(Path path, long size, long modifiedMillis) implements ModuleIdentity {
    public File {
      Objects.requireNonNull(path, "path");
    }

    // Written out: a record's generated equals and hashCode are bootstrapped on first use by
    // spinning method handles, tens of milliseconds of a one-shot weft exec's cold start (every
    // file load looks its identity up; docs/benchmarks.md §4.2).
    @Override
    public boolean equals(Object o) {
      return o instanceof File f
          && f.size == size
          && f.modifiedMillis == modifiedMillis
          && f.path.equals(path);
    }

    @Override
    public int hashCode() {
      return (path.hashCode() * 31 + Long.hashCode(size)) * 31 + Long.hashCode(modifiedMillis);
    }
  }

  /** Bytes pinned by their own digest ({@code sha256:<hex>}): the same module forever. */
  record Content(String digest) implements ModuleIdentity {
    public Content {
      Objects.requireNonNull(digest, "digest");
    }
  }

  /**
   * An OCI manifest ({@code sha256:<hex>}) whose layer is the module: immutable, and the registry
   * client verifies the layer against it.
   */
  record Manifest(String digest) implements ModuleIdentity {
    public Manifest {
      Objects.requireNonNull(digest, "digest");
    }
  }
}
