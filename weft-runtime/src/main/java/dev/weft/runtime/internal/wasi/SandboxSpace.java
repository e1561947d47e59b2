package dev.weft.runtime.internal.wasi;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The sandbox's accounting as the WASI calls see it: each new directory entry is charged before it
 * is created and refunded when removed, and a refusal for lack of space is noted, so a task that
 * then fails is reported as having hit the sandbox limit.
 */
public interface SandboxSpace {
  /**
   * @throws IOException "out of disk space" when the entry does not fit (the guest gets ENOSPC)
   */
  void charge(Path entry) throws IOException;

  void refund(Path entry);

  /** A write or a new entry was refused with ENOSPC. */
  void refused();

  /** Charges nothing (host directories, the import check). */
  SandboxSpace NONE =
      new SandboxSpace() {
        @Override
        public void charge(Path entry) {}

        @Override
        public void refund(Path entry) {}

        @Override
        public void refused() {}
      };
}
