package dev.weft.bench.agent;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A flight recording of one phase of PoolBench, when {@code -Dpoolbench.jfr=DIR} is set: {@code
 * DIR/<phase>.jfr} with the JDK's {@code profile} settings, so a phase (burst 2, the in-loop run)
 * can be looked at without the others (start-up, the cold burst) mixed in.
 */
final class Profile {
  private final jdk.jfr.Recording recording;
  private final Path file;

  private Profile(jdk.jfr.Recording recording, Path file) {
    this.recording = recording;
    this.file = file;
  }

  static Profile start(String phase) {
    String dir = System.getProperty("poolbench.jfr");
    if (dir == null) return new Profile(null, null);
    try {
      Files.createDirectories(Path.of(dir));
      jdk.jfr.Recording r =
          new jdk.jfr.Recording(jdk.jfr.Configuration.getConfiguration("profile"));
      r.setName(phase);
      r.start();
      return new Profile(r, Path.of(dir, phase + ".jfr"));
    } catch (Exception e) {
      throw new IllegalStateException("cannot start a flight recording", e);
    }
  }

  void stop() {
    if (recording == null) return;
    try {
      recording.stop();
      recording.dump(file);
      recording.close();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
