package dev.weft.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** The size of the terminal weft runs in, asked again at every redraw so a resize takes effect. */
record Terminal(int columns, int rows) {
  static final Terminal DEFAULT = new Terminal(80, 24);

  /**
   * Asks {@code stty size} on the controlling terminal; $COLUMNS and $LINES, or 80×24, when it
   * cannot say.
   */
  static Terminal size() {
    try {
      Process p =
          new ProcessBuilder("sh", "-c", "stty size < /dev/tty")
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (p.waitFor(2, TimeUnit.SECONDS) && p.exitValue() == 0) {
        String[] rc = out.split("\\s+");
        if (rc.length == 2) {
          int rows = Integer.parseInt(rc[0]);
          int cols = Integer.parseInt(rc[1]);
          if (rows > 0 && cols > 0) return new Terminal(cols, rows);
        }
      }
    } catch (IOException | NumberFormatException e) {
      // no terminal to ask: fall back below
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return new Terminal(env("COLUMNS", DEFAULT.columns), env("LINES", DEFAULT.rows));
  }

  private static int env(String name, int fallback) {
    try {
      String v = System.getenv(name);
      return v == null ? fallback : Math.max(1, Integer.parseInt(v.strip()));
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  /**
   * How many screen rows {@code lines} take at this width (a line as wide as the screen or wider
   * wraps).
   */
  int rowsTaken(java.util.List<String> lines) {
    int n = 0;
    for (String l : lines)
      n += Math.max(1, (l.codePointCount(0, l.length()) + columns - 1) / columns);
    return n;
  }
}
