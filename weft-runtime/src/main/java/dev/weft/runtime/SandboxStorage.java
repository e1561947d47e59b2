package dev.weft.runtime;

/** Where a task's sandbox file system lives. Both are fresh per task and deleted afterwards. */
public enum SandboxStorage {
  /**
   * An in-memory file system (Jimfs) per task: faster (see docs/benchmarks.md), and a path that
   * escapes the sandbox still cannot reach a host file, because there is none in it.
   */
  MEMORY,
  /** A fresh host temporary directory per task; for comparison and very large outputs. */
  HOST_TEMP
}
