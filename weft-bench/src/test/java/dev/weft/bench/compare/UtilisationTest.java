package dev.weft.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class UtilisationTest {
  private static final long MIB = 1 << 20;

  // submit, start, end, done in ns; peak in bytes
  private static TaskSample task(long start, long end, long peak) {
    return new TaskSample(true, 0, start, end, end + 10, peak, "");
  }

  @Test
  void billableIsPeakTimesCodeTimeOfSuccessfulTasksOnly() {
    List<TaskSample> tasks =
        List.of(
            task(100, 1_100, 2 * MIB), task(0, 500, 4 * MIB), TaskSample.failed(0, 9_999, "boom"));
    assertThat(Utilisation.billableByPeak(tasks)).isEqualTo(2.0 * MIB * 1_000 + 4.0 * MIB * 500);
    assertThat(Utilisation.billableByLimit(tasks, 64 * MIB)).isEqualTo(64.0 * MIB * 1_500);
  }

  @Test
  void ratioIsBillableOverHeld() {
    // one task of 2 MiB running 1 s while the system held 8 MiB for 1 s: a quarter is billable
    double billable = Utilisation.billableByPeak(List.of(task(0, 1_000_000_000L, 2 * MIB)));
    assertThat(new Utilisation(billable, 8.0 * MIB * 1e9).ratio()).isCloseTo(0.25, within(1e-12));
    assertThat(new Utilisation(billable, 0).ratio())
        .as("nothing held: undefined, not infinite")
        .isNaN();
  }

  @Test
  void heldIsAtLeastWhatTheTasksReservedFromSubmitToDone() {
    // two 1 MiB tasks alive for 3 ms and 5 ms; the sampler saw nothing (too short-lived)
    List<TaskSample> s =
        List.of(
            new TaskSample(true, 0, 1_000_000, 2_000_000, 3_000_000, MIB, ""),
            new TaskSample(true, 0, 3_000_000, 4_000_000, 5_000_000, MIB, ""));
    assertThat(Utilisation.heldAtLeastReserved(s, 0)).isEqualTo(8.0 * MIB * 1e6);
    assertThat(Utilisation.heldAtLeastReserved(s, 9.0 * MIB * 1e6)).isEqualTo(9.0 * MIB * 1e6);
    Point p = Point.of("hello", "native", 2, s, 0.01, 0, 0, 0, 64 * MIB);
    assertThat(p.utilisation())
        .as("1 ms of code in each task's 3 and 5 ms lives")
        .isCloseTo(2.0 / 8, within(1e-12));
  }

  @Test
  void pointSummarisesLatenciesFromStampsAndUtilisation() {
    // two tasks: submitted at 0, code starts at 1 ms / 3 ms, runs 1 ms, done 1 ms later
    List<TaskSample> s =
        List.of(
            new TaskSample(true, 0, 1_000_000, 2_000_000, 3_000_000, MIB, ""),
            new TaskSample(true, 0, 3_000_000, 4_000_000, 5_000_000, MIB, ""),
            TaskSample.failed(0, 1, "x"));
    double seconds = 0.01;
    double held = 4.0 * MIB * seconds * 1e9; // 4 MiB held for 10 ms
    Point p = Point.of("hello", "native", 2, s, seconds, held, held, 4 * MIB, 64 * MIB);
    assertThat(p.ok()).isEqualTo(2);
    assertThat(p.failed()).isEqualTo(1);
    assertThat(p.tasksPerMinute()).isCloseTo(12_000, within(1e-6));
    assertThat(p.toCodeP50()).isEqualTo(1.0);
    assertThat(p.toCodeP99()).isEqualTo(3.0);
    assertThat(p.e2eP50()).isEqualTo(3.0);
    assertThat(p.codeMeanMs()).isEqualTo(1.0);
    assertThat(p.heldMeanBytes()).isCloseTo(4.0 * MIB, within(1e-6));
    // billable 2 × 1 MiB × 1 ms over 4 MiB × 10 ms
    assertThat(p.utilisation()).isCloseTo(0.05, within(1e-12));
    assertThat(p.utilisationByLimit()).isCloseTo(2 * 64.0 * 1e6 / (4.0 * 1e7), within(1e-12));
  }
}
