package dev.weft.bench.compare;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** The points as CSV, one row per point, numbers in the root locale. */
public final class Csv {
  static final String HEADER = "workload,arm,parallel,tasks_ok,tasks_failed,seconds,tasks_per_min,"
      + "to_code_p50_ms,to_code_p95_ms,to_code_p99_ms,e2e_p50_ms,e2e_p95_ms,e2e_p99_ms,code_mean_ms,"
      + "reserved_mean_bytes,held_mean_bytes,held_max_bytes,utilisation,utilisation_by_limit";

  private Csv() {}

  static String row(Point p) {
    return String.format(Locale.ROOT, "%s,%s,%d,%d,%d,%.3f,%.1f,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,%.0f,%.0f,%d,%.5f,%.5f",
        p.workload(), p.arm(), p.parallel(), p.ok(), p.failed(), p.seconds(), p.tasksPerMinute(),
        p.toCodeP50(), p.toCodeP95(), p.toCodeP99(), p.e2eP50(), p.e2eP95(), p.e2eP99(), p.codeMeanMs(),
        p.reservedMeanBytes(), p.heldMeanBytes(), p.heldMaxBytes(), p.utilisation(), p.utilisationByLimit());
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
