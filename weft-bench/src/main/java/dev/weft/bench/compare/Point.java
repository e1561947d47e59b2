package dev.weft.bench.compare;

import java.util.List;

/** One measured point: an arm running a workload at a number of parallel instances. */
public record Point(
    String workload,
    String arm,
    int parallel,
    int ok,
    int failed,
    double seconds,
    double toCodeP50,
    double toCodeP95,
    double toCodeP99,
    double e2eP50,
    double e2eP95,
    double e2eP99,
    double codeMeanMs,
    double reservedMeanBytes,
    double heldMeanBytes,
    long heldMaxBytes,
    double utilisation,
    double utilisationByLimit) {

  public double tasksPerMinute() {
    return seconds > 0 ? ok / seconds * 60 : 0;
  }

  /**
   * Summarises the samples of one point. {@code heldRss} and {@code heldByLimit} are the sampler's
   * integrals (byte·ns) over {@code seconds}.
   */
  static Point of(
      String workload,
      String arm,
      int parallel,
      List<TaskSample> samples,
      double seconds,
      double heldRss,
      double heldByLimit,
      long heldMax,
      long limitBytes) {
    List<TaskSample> ok = samples.stream().filter(TaskSample::ok).toList();
    long[] toCode = ok.stream().mapToLong(TaskSample::toCodeNanos).toArray();
    long[] e2e = ok.stream().mapToLong(TaskSample::endToEndNanos).toArray();
    long[] code = ok.stream().mapToLong(TaskSample::codeNanos).toArray();
    long[] peak = ok.stream().mapToLong(TaskSample::peakBytes).toArray();
    double ms = 1e6;
    return new Point(
        workload,
        arm,
        parallel,
        ok.size(),
        samples.size() - ok.size(),
        seconds,
        Stats.percentile(toCode, 50) / ms,
        Stats.percentile(toCode, 95) / ms,
        Stats.percentile(toCode, 99) / ms,
        Stats.percentile(e2e, 50) / ms,
        Stats.percentile(e2e, 95) / ms,
        Stats.percentile(e2e, 99) / ms,
        Stats.mean(code) / ms,
        Stats.mean(peak),
        seconds > 0 ? heldRss / (seconds * 1e9) : Double.NaN,
        heldMax,
        new Utilisation(
                Utilisation.billableByPeak(ok), Utilisation.heldAtLeastReserved(ok, heldRss))
            .ratio(),
        new Utilisation(Utilisation.billableByLimit(ok, limitBytes), heldByLimit).ratio());
  }
}
