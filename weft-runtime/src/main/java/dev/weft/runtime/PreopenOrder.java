package dev.weft.runtime;

/**
 * The order in which a task's directories get WASI file descriptors (from 3). Programs find
 * preopens by name, so the order matters only to those that assume a number.
 */
public enum PreopenOrder {
  /**
   * {@code /work}, {@code /tmp}, then the sandbox's other directories and host mounts (the
   * default).
   */
  SANDBOX_FIRST,
  /**
   * Host mounts first, in the order given, as wasmtime's {@code --dir}; then {@code /work}, {@code
   * /tmp} and the rest. Contract v1 modules still find {@code /work}.
   */
  MOUNTS_FIRST
}
