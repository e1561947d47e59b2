package dev.weft.bench.compare;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** The points as CSV, one row per point, numbers in the root locale. */
public final class Csv {
  static final String HEADER =
      "workload,arm,parallel,tasks_ok,tasks_failed,seconds,tasks_per_min,"
          + "to_code_p50_ms,to_code_p95_ms,to_code_p99_ms,e2e_p50_ms,e2e_p95_ms,e2e_p99_ms,code_mean_ms,"
          + "reserved_mean_bytes,held_mean_bytes,held_max_bytes,utilisation,utilisation_by_limit";

  private Csv() {}

  static String row(Point p) {
    return String.format(
        Locale.ROOT,
        "%s,%s,%d,%d,%d,%.3f,%.1f,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,%.0f,%.0f,%d,%.5f,%.5f",
        p.workload(),
        p.arm(),
        p.parallel(),
        p.ok(),
        p.failed(),
        p.seconds(),
        p.tasksPerMinute(),
        p.toCodeP50(),
        p.toCodeP95(),
        p.toCodeP99(),
        p.e2eP50(),
        p.e2eP95(),
        p.e2eP99(),
        p.codeMeanMs(),
        p.reservedMeanBytes(),
        p.heldMeanBytes(),
        p.heldMaxBytes(),
        p.utilisation(),
        p.utilisationByLimit());
  }

  /** Reads what {@link #write} wrote. */
  static List<Point> read(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file);
    if (lines.isEmpty() || !lines.get(0).equals(HEADER))
      throw new IOException(file + ": not a compare CSV (header differs)");
    List<Point> points = new java.util.ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",");
      double[] d = new double[f.length];
      for (int i = 5; i < f.length; i++) d[i] = Double.parseDouble(f[i]);
      // f[6] (tasks per minute) is derived, not stored in the record
      points.add(
          new Point(
              f[0],
              f[1],
              Integer.parseInt(f[2]),
              Integer.parseInt(f[3]),
              Integer.parseInt(f[4]),
              d[5],
              d[7],
              d[8],
              d[9],
              d[10],
              d[11],
              d[12],
              d[13],
              d[14],
              d[15],
              (long) d[16],
              d[17],
              d[18]));
    }
    return points;
  }

  static void write(Path file, List<Point> points) throws IOException {
    try (Writer w = Files.newBufferedWriter(file)) {
      w.write(HEADER);
      w.write('\n');
      for (Point p : points) {
        w.write(row(p));
        w.write('\n');
      }
    }
  }
}
