package dev.weft.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where weft run keeps each run's status and step logs, for weft logs and weft list. */
final class RunsOptions {
  @Option(
      names = "--runs-dir",
      paramLabel = "DIR",
      description =
          "Where runs are kept, one directory each (default: $XDG_STATE_HOME/weft/runs or ~/.local/state/weft/runs).")
  Path dir;

  /**
   * The flag, else the weft.runs.dir system property (the tests' own), else
   * $XDG_STATE_HOME/weft/runs, else ~/.local/state/weft/runs.
   */
  Path root() {
    if (dir != null) return dir;
    String prop = System.getProperty("weft.runs.dir");
    if (prop != null && !prop.isBlank()) return Path.of(prop);
    String xdg = System.getenv("XDG_STATE_HOME");
    if (xdg != null && !xdg.isBlank()) return Path.of(xdg, "weft", "runs");
    return Path.of(System.getProperty("user.home"), ".local", "state", "weft", "runs");
  }
}
