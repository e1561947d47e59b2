package dev.weft.bench.compare;

import java.util.Collection;

/** One way of running a task: weft, a runc container, or a native process. */
interface Arm extends AutoCloseable {
  String name();

  /** Runs one task to completion; failures are samples, not exceptions. */
  TaskSample run(Workload w, int worker, long seq);

  /** The processes whose memory the arm holds (with their descendants). */
  Collection<Long> rootPids();

  /**
   * How many tasks hold a reservation when {@code inFlight} are submitted (weft: at most its
   * workers).
   */
  default int holding(int inFlight) {
    return inFlight;
  }

  @Override
  default void close() throws Exception {}
}
