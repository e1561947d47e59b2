package dev.weft.bench.compare;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * PNG charts of the points with XChart: x = parallel instances on a log-2 scale (plotted as log2 n,
 * labelled n), one colour per arm, dashed lines for the second measure of an arm.
 */
final class Plots {
  private static final Map<String, Color> COLORS =
      Map.of(
          "weft", new Color(0x1f77b4), "runc", new Color(0xd62728), "native", new Color(0x2ca02c));

  private Plots() {}

  static void write(Path dir, List<Point> points, List<String> arms, List<Workload> workloads)
      throws IOException {
    for (Workload w : workloads) {
      List<Point> ps = points.stream().filter(p -> p.workload().equals(w.id())).toList();
      if (ps.isEmpty()) continue;
      XYChart t = chart("Throughput, " + w.description, "tasks per minute (log)", true);
      XYChart l =
          chart(
              "Latency p50 (solid: to code start, dashed: end to end), " + w.program,
              "ms (log)",
              true);
      XYChart u =
          chart(
              "Memory utilisation (solid: reserved = peak, dashed: = limit), " + w.program,
              "billable / held memory time (log)",
              true); // log: the arms differ by orders of magnitude
      for (String arm : arms) {
        List<Point> a = ps.stream().filter(p -> p.arm().equals(arm)).toList();
        if (a.isEmpty()) continue;
        Color c = COLORS.getOrDefault(arm, Color.GRAY);
        add(t, arm, a, Point::tasksPerMinute, SeriesLines.SOLID, c);
        add(l, arm + " to code", a, Point::toCodeP50, SeriesLines.SOLID, c);
        add(l, arm + " end to end", a, Point::e2eP50, SeriesLines.DASH_DASH, c);
        add(u, arm + " peak", a, Point::utilisation, SeriesLines.SOLID, c);
        add(u, arm + " limit", a, Point::utilisationByLimit, SeriesLines.DASH_DASH, c);
      }
      BitmapEncoder.saveBitmap(
          t,
          dir.resolve("compare-throughput-" + w.id()).toString(),
          BitmapEncoder.BitmapFormat.PNG);
      BitmapEncoder.saveBitmap(
          l, dir.resolve("compare-latency-" + w.id()).toString(), BitmapEncoder.BitmapFormat.PNG);
      BitmapEncoder.saveBitmap(
          u,
          dir.resolve("compare-utilisation-" + w.id()).toString(),
          BitmapEncoder.BitmapFormat.PNG);
    }
  }

  private static XYChart chart(String title, String yTitle, boolean logY) {
    XYChart c =
        new XYChartBuilder()
            .width(900)
            .height(500)
            .title(title)
            .xAxisTitle("parallel instances")
            .yAxisTitle(yTitle)
            .build();
    c.setCustomXAxisTickLabelsFormatter(
        x ->
            Math.abs(x - Math.rint(x)) < 1e-9 && x >= 0
                ? Long.toString(1L << (long) Math.rint(x))
                : "");
    c.getStyler()
        .setYAxisLogarithmic(logY)
        .setLegendPosition(Styler.LegendPosition.OutsideS)
        .setLegendLayout(Styler.LegendLayout.Horizontal)
        .setChartBackgroundColor(Color.WHITE);
    if (!logY) c.getStyler().setYAxisMin(0.0);
    return c;
  }

  private static void add(
      XYChart c,
      String name,
      List<Point> a,
      ToDoubleFunction<Point> y,
      java.awt.BasicStroke line,
      Color color) {
    double[] xs = a.stream().mapToDouble(p -> Math.log(p.parallel()) / Math.log(2)).toArray();
    double[] ys =
        a.stream().mapToDouble(y).map(v -> Double.isFinite(v) && v > 0 ? v : Double.NaN).toArray();
    // log axes cannot show 0 or NaN: keep only the positive points
    int n = 0;
    for (double v : ys) if (!Double.isNaN(v)) n++;
    if (n == 0) return;
    double[] fx = new double[n], fy = new double[n];
    for (int i = 0, k = 0; i < ys.length; i++)
      if (!Double.isNaN(ys[i])) {
        fx[k] = xs[i];
        fy[k++] = ys[i];
      }
    XYSeries s = c.addSeries(name, fx, fy);
    s.setMarker(SeriesMarkers.CIRCLE).setLineStyle(line).setLineColor(color);
    s.setMarkerColor(color);
  }
}
