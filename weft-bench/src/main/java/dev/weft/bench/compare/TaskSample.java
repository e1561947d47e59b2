package dev.weft.bench.compare;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One task as the harness saw it. All times are CLOCK_MONOTONIC nanoseconds (the JVM's {@code
 * System.nanoTime()} on Linux): {@code submit} when the harness started the task, {@code
 * codeStart}/{@code codeEnd} as the program stamped them, {@code done} when the harness saw the
 * task finish. {@code peakBytes} is the program's own peak memory (Wasm linear memory, or peak RSS
 * natively).
 */
public record TaskSample(
    boolean ok,
    long submit,
    long codeStart,
    long codeEnd,
    long done,
    long peakBytes,
    String error) {
  private static final Pattern START =
      Pattern.compile("^weft-bench start (\\d+)$", Pattern.MULTILINE);
  private static final Pattern END =
      Pattern.compile("^weft-bench end (\\d+) (\\d+)$", Pattern.MULTILINE);

  public static TaskSample failed(long submit, long done, String error) {
    return new TaskSample(false, submit, 0, 0, done, 0, error);
  }

  /**
   * A successful task from its stdout, or a failed one naming what was missing or inconsistent (a
   * start stamp before the submit time would mean the clocks are not the same).
   */
  public static TaskSample fromOutput(long submit, long done, String stdout, String expect) {
    Optional<long[]> s = stamps(stdout);
    if (s.isEmpty())
      return failed(
          submit, done, "no weft-bench start/end stamps in output: " + abbreviate(stdout));
    if (!stdout.contains(expect))
      return failed(submit, done, "output lacks '" + expect + "': " + abbreviate(stdout));
    long[] v = s.get();
    if (v[0] < submit || v[1] < v[0] || v[1] > done) {
      return failed(
          submit,
          done,
          "stamps out of order: submit "
              + submit
              + ", start "
              + v[0]
              + ", end "
              + v[1]
              + ", done "
              + done);
    }
    return new TaskSample(true, submit, v[0], v[1], done, v[2], "");
  }

  /** {start, end, peakBytes} from a program's output, if both stamps are there. */
  static Optional<long[]> stamps(String stdout) {
    Matcher a = START.matcher(stdout);
    Matcher b = END.matcher(stdout);
    if (!a.find() || !b.find()) return Optional.empty();
    return Optional.of(
        new long[] {
          Long.parseLong(a.group(1)), Long.parseLong(b.group(1)), Long.parseLong(b.group(2))
        });
  }

  public long toCodeNanos() {
    return codeStart - submit;
  }

  public long endToEndNanos() {
    return done - submit;
  }

  public long codeNanos() {
    return codeEnd - codeStart;
  }

  private static String abbreviate(String s) {
    String t = s.strip().replace('\n', '|');
    return t.length() <= 300 ? t : t.substring(0, 300) + "…";
  }
}
